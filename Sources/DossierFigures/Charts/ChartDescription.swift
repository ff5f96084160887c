import Foundation

/// Writes the plain-words description of a chart that screen readers announce, when the
/// author gives no `alt`.
enum ChartDescription {
    static func describe(_ chart: ChartContext) -> String {
        let table = chart.table
        let words = chart.format.words
        let stacked = chart.spec.stack == .none ? "" : (chart.spec.stack == .percent ? "_percent" : "_stacked")
        let kind: String
        switch chart.spec.type {
        case .bar: kind = words.text("describe_bar" + stacked)
        case .column: kind = words.text("describe_column" + stacked)
        case .line: kind = words.text("describe_line")
        case .donut: kind = words.text("describe_donut")
        case .waffle: kind = words.text("describe_waffle")
        case .timeline: kind = words.text("describe_timeline")
        case .table: kind = words.text("describe_table")
        }
        // English lowers the title's first word after "of"; Russian and Kazakh put it after a colon.
        let lower = words.text("describe_lowercase_title") == "yes"
        let head =
            chart.spec.title.map { words.text("describe_titled", ["kind": kind, "title": lower ? lowerFirst($0) : $0]) }
            ?? words.text("describe_untitled", ["kind": kind])
        var parts = [head]
        switch chart.spec.type {
        case .bar, .column:
            if table.isMultiSeries {
                for (s, name) in table.series.enumerated() {
                    let items = table.categories.indices.compactMap { c in
                        table.values[s][c].map { "\(table.categories[c]) \(chart.short($0))" }
                    }
                    parts.append("\(name): \(items.joined(separator: ", ")).")
                }
            } else {
                parts.append(listing(chart))
                parts.append(comparison(chart))
            }
        case .line:
            for (s, name) in table.series.enumerated() {
                let points = table.categories.indices.compactMap { c in table.values[s][c].map { (c, $0) } }
                guard let first = points.first, let last = points.last else { continue }
                var text = table.isMultiSeries ? "\(name): " : ""
                text += words.text(
                    "describe_from_to",
                    [
                        "first": chart.short(first.1), "from": table.categories[first.0], "last": chart.short(last.1),
                        "to": table.categories[last.0],
                    ])
                if let peak = points.max(by: { $0.1 < $1.1 }), peak.1 > last.1, peak.1 > first.1 {
                    text += words.text("describe_peak", ["value": chart.short(peak.1), "at": table.categories[peak.0]])
                }
                parts.append(capitalizedFirst(text) + ".")
            }
        case .donut:
            let total = table.values[0].compactMap { $0 }.reduce(0, +)
            parts.append(words.text("describe_total", ["value": chart.short(total)]))
            let items = table.categories.indices.compactMap { c -> String? in
                guard let v = table.values[0][c] else { return nil }
                let share = total == 0 ? 0 : NSDecimalNumber(decimal: v / total * 100).doubleValue
                return "\(table.categories[c]): \(chart.short(v)) (\(chart.percent(share)))"
            }
            parts.append(items.joined(separator: "; ") + ".")
        case .waffle:
            let counts = table.values[0].map { $0 ?? 0 }
            let total = counts.reduce(0, +)
            // A counted unit in the page's language: `unit_lots` of Templates/i18n (by plural form).
            let unit = countUnit(chart).map { unit -> String in
                let n = NSDecimalNumber(decimal: total).intValue
                let table = words.table
                return table["unit_\(unit).\(Plural.category(n, language: words.language))"] ?? table["unit_\(unit)"] ?? unit
            }
            let items = table.categories.indices.map {
                "\(chart.short(counts[$0])) \(lower ? lowerFirst(table.categories[$0]) : table.categories[$0])"
            }
            parts.append(
                "\(chart.short(total)) \(unit ?? words.text("describe_in_all")): \(items.joined(separator: ", ")).")
        case .timeline:
            let n = table.categories.count
            parts.append(words.count("describe_events", n, number: chart.format.grouped(Decimal(n))))
            let undated = words.text("describe_undated")
            let items = table.categories.indices.map { i in
                (table.dates[i] ?? undated) + ": " + table.categories[i]
            }
            parts.append(items.joined(separator: "; ") + ".")
        case .table:
            let n = table.rows.count
            parts.append(
                words.count(
                    "describe_rows", n, number: chart.format.grouped(Decimal(n)),
                    ["columns": table.columns.map(\.label).joined(separator: ", ")]))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func listing(_ chart: ChartContext) -> String {
        let table = chart.table
        let items = table.categories.indices.compactMap { c in
            table.values[0][c].map { "\(table.categories[c]): \(chart.short($0))" }
        }
        return items.joined(separator: "; ") + "."
    }

    /// For two positive values, how many times one is the other; for more, the extremes.
    private static func comparison(_ chart: ChartContext) -> String {
        let table = chart.table
        let words = chart.format.words
        let points = table.categories.indices.compactMap { c in table.values[0][c].map { (c, $0) } }
        guard points.count >= 2, chart.spec.stack == .none else { return "" }
        if points.count == 2 {
            let (a, b) = (points[0], points[1])
            let (big, small) = a.1 >= b.1 ? (a, b) : (b, a)
            guard small.1 > 0 else { return "" }
            let ratio = chart.format.fixed(big.1 / small.1, places: 1)
            return words.text(
                "describe_times", ["big": table.categories[big.0], "ratio": ratio, "small": table.categories[small.0]])
        }
        guard let high = points.max(by: { $0.1 < $1.1 }), let low = points.min(by: { $0.1 < $1.1 }) else { return "" }
        return words.text(
            "describe_extremes",
            [
                "high": table.categories[high.0], "high_value": chart.short(high.1), "low": table.categories[low.0],
                "low_value": chart.short(low.1),
            ])
    }

    /// A counted unit such as "lots", from the column's unit, if it is a word.
    private static func countUnit(_ chart: ChartContext) -> String? {
        guard let unit = chart.table.unit, unit.first?.isLetter == true, unit != "year",
            chart.format.currencies[unit] == nil
        else { return nil }
        return unit
    }

    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase else { return text }
        // Keep acronyms and names: only lower a capital followed by a lower-case letter.
        let second = text.dropFirst().first
        guard second?.isLowercase == true else { return text }
        let word = text.prefix { $0 != " " }
        if ["I"].contains(String(word)) { return text }
        return first.lowercased() + text.dropFirst()
    }

    static func capitalizedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
