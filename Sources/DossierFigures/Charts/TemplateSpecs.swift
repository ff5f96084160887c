import Foundation

/// The chart specs of `{{#chart}}` sections, parsed once per template text instead of once per
/// page: on 100,000 pages made from data, parsing the same YAML again was a tenth of a chart.
///
/// Each `$name` is parsed as a placeholder; a page puts its values into the parsed spec's text
/// fields. When a placeholder lands anywhere else (a format, a colour, an id) or the spec does
/// not parse with placeholders, the page parses its own text, as before, and reports its own
/// errors.
package final class TemplateSpecs: @unchecked Sendable {
    package struct Parsed {
        package var spec: ChartSpec
        /// How many placeholders the text had.
        package var placeholders: Int
    }

    private var parsed: [String: Parsed?] = [:]
    private let lock = NSLock()

    package init() {}

    static func placeholder(_ name: String) -> String { "\u{E000}\(name)\u{E001}" }

    /// A value as a YAML double-quoted string holds it: `\` and `"` escaped.
    package static func escaped(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 }) else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar == "\\" || scalar == "\"" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// The spec of `text` with placeholders for `names`, or nil if it has to be parsed per page.
    package func spec(_ text: String, names: [String]) -> Parsed? {
        let key = names.sorted().joined(separator: ",") + "\n" + text
        if let known = lock.withLock({ parsed[key] }) { return known }
        var source = text
        var count = 0
        for name in names.sorted(by: >) {
            let pieces = source.components(separatedBy: "$" + name)
            count += pieces.count - 1
            source = pieces.joined(separator: "\"" + TemplateSpecs.placeholder(name) + "\"")
        }
        let result = (try? ChartSpec.parse(source)).map { Parsed(spec: $0, placeholders: count) }
        lock.withLock { parsed[key] = .some(result) }
        return result
    }
}

extension ChartSpec {
    /// The spec with each placeholder in its text fields replaced by its value; nil when a
    /// placeholder is in a field whose value the parser checks. `replaced` counts replacements.
    package func substituting(_ values: [String: String], replaced: inout Int) -> ChartSpec? {
        let mark: Character = "\u{E000}"
        var count = 0
        func put(_ text: String) -> String {
            // U+E000 is EE 80 80 in UTF-8: a byte test, as most fields hold no placeholder.
            guard text.utf8.contains(0xEE) else { return text }
            var source = text
            return source.withUTF8 { bytes -> String? in
                // One pass over the bytes: each `U+E000 name U+E001` whose name has a value is
                // replaced. Inside a longer plain text (`title: Lots of $key`) the quotes around
                // the value stay, with its escapes, as when the page's own text is parsed; a
                // whole value (`winner: $key`) is the value itself.
                var out: [UInt8] = []
                var copied = 0
                var i = 0
                let n = bytes.count
                while i + 2 < n {
                    guard bytes[i] == 0xEE, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 else {
                        i += 1
                        continue
                    }
                    var end = i + 3
                    while end + 2 < n, !(bytes[end] == 0xEE && bytes[end + 1] == 0x80 && bytes[end + 2] == 0x81) {
                        end += 1
                    }
                    guard end + 2 < n,
                        let value = values[String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 3)..<end]), as: UTF8.self)]
                    else {
                        i += 3
                        continue
                    }
                    let after = end + 3
                    let quoted = i > 0 && bytes[i - 1] == 0x22 && after < n && bytes[after] == 0x22
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                    out.append(contentsOf: (quoted ? TemplateSpecs.escaped(value) : value).utf8)
                    count += 1
                    copied = after
                    i = after
                }
                guard copied > 0 else { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<n]))
                return String(decoding: out, as: UTF8.self)
            } ?? text
        }
        func put(_ value: Value) -> Value {
            if case .text(let text) = value { return .text(put(text)) }
            return value
        }
        // Fields the parser checks: a placeholder there means per-page parsing.
        let checked =
            [id, format].compactMap { $0 } + colors.keys + colors.values + figures.flatMap { [$0.label, $0.name] }
            + (convert.map { [$0.to, $0.when.plainText] } ?? [])
        guard !checked.contains(where: { $0.utf8.contains(0xEE) && $0.contains(mark) }) else { return nil }
        var spec = self
        spec.data = put(data)
        spec.x = x.map(put)
        spec.y = y.map(put)
        spec.series = series.map(put)
        spec.filters = filters.map { filter in
            switch filter {
            case .oneOf(let column, let values): return .oneOf(column: put(column), values: values.map(put))
            case .range(let column, let min, let max):
                return .range(column: put(column), min: min.map(put), max: max.map(put))
            }
        }
        spec.title = title.map(put)
        spec.subtitle = subtitle.map(put)
        spec.note = note.map(put)
        spec.source = source.map(put)
        spec.alt = alt.map(put)
        spec.label = label.map(put)
        spec.labels = Dictionary(labels.map { (put($0.key), put($0.value)) }, uniquingKeysWith: { a, _ in a })
        spec.highlight = highlight.map(put)
        spec.columns = columns.map(put)
        replaced += count
        return spec
    }
}
