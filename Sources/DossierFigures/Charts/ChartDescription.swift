import Foundation

/// Writes the plain-words description of a chart that screen readers announce, when the
/// author gives no `alt`.
enum ChartDescription {
    static func describe(_ chart: ChartContext) -> String {
        let table = chart.table
        let kind: String
        switch chart.spec.type {
        case .bar:
            kind =
                chart.spec.stack == .none
                ? "Bar chart" : (chart.spec.stack == .percent ? "100% stacked bar chart" : "Stacked bar chart")
        case .column:
            kind =
                chart.spec.stack == .none
                ? "Column chart" : (chart.spec.stack == .percent ? "100% stacked column chart" : "Stacked column chart")
        case .line: kind = "Line chart"
        case .donut: kind = "Donut chart"
        case .waffle: kind = "Waffle chart"
        case .timeline: kind = "Timeline"
        case .table: kind = "Table"
        }
        let head = chart.spec.title.map { "\(kind) of \(lowerFirst($0))." } ?? "\(kind)."
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
                text +=
                    "from \(chart.short(first.1)) in \(table.categories[first.0]) to \(chart.short(last.1)) in \(table.categories[last.0])"
                if let peak = points.max(by: { $0.1 < $1.1 }), peak.1 > last.1, peak.1 > first.1 {
                    text += ", peaking at \(chart.short(peak.1)) in \(table.categories[peak.0])"
                }
                parts.append(capitalizedFirst(text) + ".")
            }
        case .donut:
            let total = table.values[0].compactMap { $0 }.reduce(0, +)
            parts.append("Total \(chart.short(total)).")
            let items = table.categories.indices.compactMap { c -> String? in
                guard let v = table.values[0][c] else { return nil }
                let share = total == 0 ? 0 : NSDecimalNumber(decimal: v / total * 100).doubleValue
                return "\(table.categories[c]): \(chart.short(v)) (\(chart.percent(share)))"
            }
            parts.append(items.joined(separator: "; ") + ".")
        case .waffle:
            let counts = table.values[0].map { $0 ?? 0 }
            let total = counts.reduce(0, +)
            let unit = countUnit(chart)
            let items = table.categories.indices.map {
                "\(chart.short(counts[$0])) \(lowerFirst(table.categories[$0]))"
            }
            parts.append(
                "\(chart.short(total))\(unit.map { " " + $0 } ?? " in all"): \(items.joined(separator: ", ")).")
        case .timeline:
            parts.append("\(table.categories.count) events, in order.")
            let items = table.categories.indices.map { i in
                (table.dates[i].map { "\($0): " } ?? "Undated: ") + table.categories[i]
            }
            parts.append(items.joined(separator: "; ") + ".")
        case .table:
            parts.append("\(table.rows.count) rows; columns: \(table.columns.map(\.label).joined(separator: ", ")).")
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
        let points = table.categories.indices.compactMap { c in table.values[0][c].map { (c, $0) } }
        guard points.count >= 2, chart.spec.stack == .none else { return "" }
        if points.count == 2 {
            let (a, b) = (points[0], points[1])
            let (big, small) = a.1 >= b.1 ? (a, b) : (b, a)
            guard small.1 > 0 else { return "" }
            let ratio = chart.format.fixed(big.1 / small.1, places: 1)
            return "\(table.categories[big.0]) is \(ratio) times \(table.categories[small.0])."
        }
        guard let high = points.max(by: { $0.1 < $1.1 }), let low = points.min(by: { $0.1 < $1.1 }) else { return "" }
        return
            "Highest: \(table.categories[high.0]) (\(chart.short(high.1))); lowest: \(table.categories[low.0]) (\(chart.short(low.1)))."
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
