import Foundation

/// Builds SVG markup as text. Coordinates are written with at most two decimals, and every
/// text from data or the spec is escaped, so the output is stable and well-formed XML.
package struct SVG {
    /// The markup as UTF-8 bytes: a chart is written byte by byte (appending to a `String` and
    /// escaping into new strings was most of drawing one).
    private(set) var bytes: [UInt8] = []

    var markup: String { String(decoding: bytes, as: UTF8.self) }

    /// `capacity`: a bar chart of ten lots is about 5 KB; growing the buffer copied it.
    init(capacity: Int = 8_192) { bytes.reserveCapacity(capacity) }

    /// A coordinate or length: at most two decimals, no trailing zeros, never `-0`.
    static func number(_ value: Double) -> String {
        var out: [UInt8] = []
        appendNumber(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``number(_:)`` appended as bytes.
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        // Whole hundredths as an integer: String(format:) was a tenth of drawing a chart.
        if value.isFinite, abs(value) < 1e13 {
            let cents = Int((value * 100).rounded())
            if cents < 0 && cents > -100 && cents % 100 != 0 { out.append(0x2D) }  // -0.x
            Bytes.appendDecimal(cents / 100, to: &out)
            let fraction = abs(cents % 100)
            guard fraction != 0 else { return }
            out.append(0x2E)
            out.append(0x30 + UInt8(fraction / 10))
            if fraction % 10 != 0 { out.append(0x30 + UInt8(fraction % 10)) }
            return
        }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 9e18 {
            Bytes.appendDecimal(Int(rounded), to: &out)
            return
        }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        out.append(contentsOf: (text == "-0" ? "0" : text).utf8)
    }

    /// Escapes text for XML content and attribute values.
    package static func escape(_ text: String) -> String { HTMLText.escape(text, droppingControls: true) }

    /// An attribute list: numbers formatted, strings escaped, nil values left out.
    static func attributes(_ pairs: KeyValuePairs<String, Any?>) -> String {
        var out = ""
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
        return out
    }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func raw(_ other: SVG) { bytes.append(contentsOf: other.bytes) }

    private mutating func put(_ text: StaticString) { text.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    private mutating func escaped(_ text: String) { HTMLText.appendEscaped(text, to: &bytes, droppingControls: true) }

    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, Any?>, title: String? = nil) {
        put("<")
        raw(name)
        raw(SVG.attributes(attributes))
        if let title {
            put("><title>")
            escaped(title)
            put("</title></")
            raw(name)
            put(">")
        } else {
            put("/>")
        }
    }

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, Any?> = [:]) {
        put("<")
        raw(name)
        raw(SVG.attributes(attributes))
        put(">")
    }

    mutating func close(_ name: String) {
        put("</")
        raw(name)
        put(">")
    }

    mutating func text(
        _ content: String, x: Double, y: Double, anchor: String? = nil, className: String? = nil, title: String? = nil
    ) {
        openText(x: x, y: y, anchor: anchor, className: className, title: title)
        escaped(content)
        put("</text>")
    }

    /// `<text x="…" y="…" …>` and its tooltip.
    private mutating func openText(x: Double, y: Double, anchor: String?, className: String?, title: String?) {
        put("<text")
        position(x: x, y: y, anchor: anchor, className: className)
        put(">")
        if let title {
            put("<title>")
            escaped(title)
            put("</title>")
        }
    }

    /// ` x="…" y="…"` and the anchor and class when given: what `attributes` writes for them,
    /// without an attribute list of `Any` (read through dynamic casts: a tenth of drawing).
    private mutating func position(x: Double, y: Double, anchor: String?, className: String?) {
        attribute(" x=\"", x)
        attribute(" y=\"", y)
        if let anchor { attribute(" text-anchor=\"", anchor) }
        if let className { attribute(" class=\"", className) }
    }

    /// ` name="value"`: `start` is ` name="`.
    private mutating func attribute(_ start: StaticString, _ value: Double) {
        put(start)
        SVG.appendNumber(value, to: &bytes)
        bytes.append(0x22)
    }

    private mutating func attribute(_ start: StaticString, _ value: String) {
        put(start)
        escaped(value)
        bytes.append(0x22)
    }

    /// A `line`: `element("line", [x1, x2, y1, y2, class])` typed.
    mutating func line(x1: Double, x2: Double, y1: Double, y2: Double, className: String) {
        put("<line")
        attribute(" x1=\"", x1)
        attribute(" x2=\"", x2)
        attribute(" y1=\"", y1)
        attribute(" y2=\"", y2)
        attribute(" class=\"", className)
        put("/>")
    }

    /// A `rect` with its tooltip: `element("rect", [x, y, width, height, class, fill])` typed.
    mutating func rect(x: Double, y: Double, width: Double, height: Double, className: String?, fill: String?, title: String?) {
        put("<rect")
        attribute(" x=\"", x)
        attribute(" y=\"", y)
        attribute(" width=\"", width)
        attribute(" height=\"", height)
        if let className { attribute(" class=\"", className) }
        if let fill { attribute(" fill=\"", fill) }
        if let title {
            put("><title>")
            escaped(title)
            put("</title></rect>")
        } else {
            put("/>")
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
        openText(x: x, y: y, anchor: anchor, className: className, title: title)
        for (i, line) in lines.enumerated() {
            put("<tspan")
            attribute(" x=\"", x)
            if i > 0 { attribute(" dy=\"", lineHeight) }
            put(">")
            escaped(line)
            put("</tspan>")
        }
        put("</text>")
    }
}
