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
        SVG.attributes(["x": x, "y": y, "text-anchor": anchor, "class": className], into: &markup)
        markup += ">"
        if let title { markup += "<title>\(SVG.escape(title))</title>" }
        markup += SVG.escape(content)
        markup += "</text>"
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
        SVG.attributes(["x": x, "y": y, "text-anchor": anchor, "class": className], into: &markup)
        markup += ">"
        if let title { markup += "<title>\(SVG.escape(title))</title>" }
        for (i, line) in lines.enumerated() {
            markup += "<tspan"
            SVG.attributes(["x": x, "dy": i == 0 ? nil : lineHeight], into: &markup)
            markup += ">"
            markup += SVG.escape(line)
            markup += "</tspan>"
        }
        markup += "</text>"
    }
}
