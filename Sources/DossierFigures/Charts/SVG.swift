import Foundation

/// Builds SVG markup as text. Coordinates are written with at most two decimals, and every
/// text from data or the spec is escaped, so the output is stable and well-formed XML.
package struct SVG {
    private(set) var markup = ""

    /// A coordinate or length: at most two decimals, no trailing zeros, never `-0`.
    static func number(_ value: Double) -> String {
        // Whole hundredths as an integer: String(format:) was a tenth of drawing a chart.
        if value.isFinite, abs(value) < 1e13 {
            let cents = Int((value * 100).rounded())
            let whole = String(cents / 100)
            let fraction = abs(cents % 100)
            if fraction == 0 { return whole }
            let sign = cents < 0 && cents > -100 ? "-" : ""
            let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
            return sign + whole + "." + digits
        }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Escapes text for XML content and attribute values.
    package static func escape(_ text: String) -> String { HTMLText.escape(text, droppingControls: true) }

    /// An attribute list: numbers formatted, strings escaped, nil values left out.
    static func attributes(_ pairs: KeyValuePairs<String, Any?>) -> String {
        var out = ""
        attributes(pairs, into: &out)
        return out
    }

    /// The attribute list appended straight onto `out`.
    static func attributes(_ pairs: KeyValuePairs<String, Any?>, into out: inout String) {
        for (name, value) in pairs {
            guard let value else { continue }
            let text: String
            switch value {
            case let d as Double: text = number(d)
            case let i as Int: text = String(i)
            case let s as String: text = escape(s)
            default: text = escape("\(value)")
            }
            out += " "
            out += name
            out += "=\""
            out += text
            out += "\""
        }
    }

    mutating func raw(_ text: String) { markup += text }

    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, Any?>, title: String? = nil) {
        markup += "<"
        markup += name
        SVG.attributes(attributes, into: &markup)
        if let title {
            markup += "><title>"
            markup += SVG.escape(title)
            markup += "</title></"
            markup += name
            markup += ">"
        } else {
            markup += "/>"
        }
    }

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, Any?> = [:]) {
        markup += "<"
        markup += name
        SVG.attributes(attributes, into: &markup)
        markup += ">"
    }

    mutating func close(_ name: String) { markup += "</\(name)>" }

    mutating func text(
        _ content: String, x: Double, y: Double, anchor: String? = nil, className: String? = nil, title: String? = nil
    ) {
        markup += "<text"
        position(x: x, y: y, anchor: anchor, className: className)
        markup += ">"
        if let title { markup += "<title>\(SVG.escape(title))</title>" }
        markup += SVG.escape(content)
        markup += "</text>"
    }

    /// ` x="…" y="…"` and the anchor and class when given: what `attributes` writes for them,
    /// without an attribute list of `Any` (read through dynamic casts: a tenth of drawing).
    private mutating func position(x: Double, y: Double, anchor: String?, className: String?) {
        attribute("x", x)
        attribute("y", y)
        if let anchor { attribute("text-anchor", anchor) }
        if let className { attribute("class", className) }
    }

    private mutating func attribute(_ name: String, _ value: Double) {
        markup += " "
        markup += name
        markup += "=\""
        markup += SVG.number(value)
        markup += "\""
    }

    private mutating func attribute(_ name: String, _ value: String) {
        markup += " "
        markup += name
        markup += "=\""
        markup += SVG.escape(value)
        markup += "\""
    }

    /// A `line`: `element("line", [x1, x2, y1, y2, class])` typed.
    mutating func line(x1: Double, x2: Double, y1: Double, y2: Double, className: String) {
        markup += "<line"
        attribute("x1", x1)
        attribute("x2", x2)
        attribute("y1", y1)
        attribute("y2", y2)
        attribute("class", className)
        markup += "/>"
    }

    /// A `rect` with its tooltip: `element("rect", [x, y, width, height, class, fill])` typed.
    mutating func rect(x: Double, y: Double, width: Double, height: Double, className: String?, fill: String?, title: String?) {
        markup += "<rect"
        attribute("x", x)
        attribute("y", y)
        attribute("width", width)
        attribute("height", height)
        if let className { attribute("class", className) }
        if let fill { attribute("fill", fill) }
        if let title {
            markup += "><title>"
            markup += SVG.escape(title)
            markup += "</title></rect>"
        } else {
            markup += "/>"
        }
    }

    /// Several lines of text, one `tspan` each, the first at `y`.
    mutating func lines(
        _ lines: [String], x: Double, y: Double, lineHeight: Double, anchor: String? = nil, className: String? = nil,
        title: String? = nil
    ) {
        guard lines.count > 1 else {
            text(lines.first ?? "", x: x, y: y, anchor: anchor, className: className, title: title)
            return
        }
        markup += "<text"
        position(x: x, y: y, anchor: anchor, className: className)
        markup += ">"
        if let title { markup += "<title>\(SVG.escape(title))</title>" }
        for (i, line) in lines.enumerated() {
            markup += "<tspan"
            attribute("x", x)
            if i > 0 { attribute("dy", lineHeight) }
            markup += ">"
            markup += SVG.escape(line)
            markup += "</tspan>"
        }
        markup += "</text>"
    }
}
