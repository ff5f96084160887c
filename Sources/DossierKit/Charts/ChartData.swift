import Foundation

/// The rows a chart plots, after filtering, grouping, sorting and limiting.
struct ChartTable: Sendable {
    /// Category keys (raw values as text) and their display labels, in drawing order.
    var categoryKeys: [String] = []
    var categories: [String] = []
    /// Series keys and display names; one unnamed series when the chart has only one.
    var seriesKeys: [String] = [""]
    var series: [String] = [""]
    /// `values[s][c]`: the value of series `s` in category `c`, nil when missing.
    var values: [[Decimal?]] = [[]]
    /// The unit of the values (`KZT`, `%`, …) and the column they came from, for formatting.
    var unit: String?
    var valueColumn: String?
    /// Timeline only: the date text of each event, if it has one.
    var dates: [String?] = []

    /// Exactly what is plotted, as columns and raw values: the "Get the data" CSV and the
    /// "Show the data" table are both made from this.
    var columns: [Column] = []
    var rows: [[Value]] = []

    var isMultiSeries: Bool { series.count > 1 }

    /// The sum of each category over all series.
    var categoryTotals: [Decimal] {
        categories.indices.map { c in values.reduce(Decimal(0)) { $0 + ($1[c] ?? 0) } }
    }

    var allValues: [Decimal] { values.flatMap { $0.compactMap { $0 } } }
}

/// Turns a chart spec and the site's datasets into a ``ChartTable``, or an error pointing at
/// the key of the spec that is wrong.
enum ChartData {
    static func prepare(_ spec: ChartSpec, datasets: [String: Dataset], format: NumberFormat) throws(LocalError) -> ChartTable {
        func fail(_ key: String, _ message: String, hint: String? = nil) -> LocalError {
            let (line, column) = spec.position(of: key)
            return LocalError(line: line, column: column, message, hint: hint)
        }
        guard let dataset = datasets[spec.data] else {
            throw fail(
                "data", "dataset '\(spec.data)' does not exist",
                hint: "datasets: \(datasets.keys.sorted().joined(separator: ", "))")
        }
        let known = dataset.columns.map(\.name)
        func column(_ name: String, key: String) throws(LocalError) -> Int {
            guard let index = dataset.columnIndex(name) else {
                throw fail(key, "dataset '\(dataset.name)' has no column '\(name)'", hint: "its columns: \(known.joined(separator: ", "))")
            }
            return index
        }
        let xIndex = try spec.x.map { (name) throws(LocalError) in try column(name, key: "x") }
        var yIndices: [Int] = []
        for name in spec.y {
            let i = try column(name, key: "y")
            if spec.type != .table && spec.type != .timeline, !dataset.columns[i].isNumeric {
                throw fail(
                    "y", "column '\(name)' holds \(dataset.columns[i].type.rawValue), but a chart needs numbers",
                    hint: "numeric columns: \(dataset.columns.filter(\.isNumeric).map(\.name).joined(separator: ", "))")
            }
            yIndices.append(i)
        }
        let seriesIndex = try spec.series.map { (name) throws(LocalError) in try column(name, key: spec.keyLines["series"] != nil ? "series" : "color") }
        let labelIndex = try spec.label.map { (name) throws(LocalError) in try column(name, key: "label") }
        var tableIndices: [Int] = []
        for name in spec.columns { tableIndices.append(try column(name, key: "columns")) }

        // Filters.
        var filters: [(Int, ChartSpec.Filter)] = []
        for filter in spec.filters { filters.append((try column(filter.column, key: "filter"), filter)) }
        let rows = dataset.rows.filter { row in filters.allSatisfy { matches(row[$0.0], $0.1) } }
        if rows.isEmpty {
            if spec.filters.isEmpty { throw fail("data", "dataset '\(dataset.name)' has no rows") }
            throw fail("filter", "the filter leaves no rows of '\(dataset.name)' (it has \(dataset.rows.count))")
        }

        switch spec.type {
        case .table:
            return try table(spec, dataset: dataset, rows: rows, indices: tableIndices, fail: fail)
        case .timeline:
            return timeline(spec, dataset: dataset, rows: rows, x: xIndex, label: labelIndex!, format: format)
        default:
            break
        }

        var table = ChartTable()
        table.unit = yIndices.first.flatMap { dataset.columns[$0].unit }
        table.valueColumn = yIndices.first.map { dataset.columns[$0].name }
        let aggregate = spec.aggregate

        if let xIndex {
            let xColumn = dataset.columns[xIndex]
            // Group rows by (x, series) in order of first appearance.
            var categoryOrder: [String] = []
            var categoryRaw: [String: Value] = [:]
            var seriesOrder: [String] = []
            var groups: [String: [String: [[Value]]]] = [:]
            for row in rows {
                let xValue = row[xIndex]
                let key = xValue.plainText
                if categoryRaw[key] == nil {
                    categoryRaw[key] = xValue
                    categoryOrder.append(key)
                }
                let s = seriesIndex.map { row[$0].plainText } ?? ""
                if !seriesOrder.contains(s) { seriesOrder.append(s) }
                groups[key, default: [:]][s, default: []].append(row)
            }
            if aggregate == nil {
                for key in categoryOrder {
                    for (s, members) in groups[key]! where members.count > 1 {
                        let what = seriesIndex == nil ? "'\(key)'" : "'\(key)' and series '\(s)'"
                        throw fail(
                            "x", "\(members.count) rows of '\(dataset.name)' share x \(what)",
                            hint: "add `aggregate: sum` (or count, mean, min, max), or a filter")
                    }
                }
            }
            let seriesKeys: [String]
            let seriesNames: [String]
            if yIndices.count > 1 {
                seriesKeys = yIndices.map { dataset.columns[$0].name }
                seriesNames = yIndices.map { spec.labels[dataset.columns[$0].name] ?? dataset.columns[$0].label }
            } else {
                seriesKeys = seriesOrder
                seriesNames = seriesOrder.map { spec.labels[$0] ?? $0 }
            }
            var values = [[Decimal?]](repeating: [], count: seriesKeys.count)
            for key in categoryOrder {
                for (s, seriesKey) in seriesKeys.enumerated() {
                    let members: [[Value]]
                    let y: Int?
                    if yIndices.count > 1 {
                        members = groups[key]?[""] ?? []
                        y = yIndices[s]
                    } else {
                        members = groups[key]?[seriesKey] ?? []
                        y = yIndices.first
                    }
                    values[s].append(combine(members, y: y, aggregate: aggregate))
                }
            }
            table.categoryKeys = categoryOrder
            table.categories = categoryOrder.map { label(for: categoryRaw[$0]!, key: $0, spec: spec, format: format) }
            table.seriesKeys = seriesKeys
            table.series = seriesNames
            table.values = values
            // Plotted columns: x, the series if any, then the values.
            let yName: (Int) -> String = { i in
                let name = dataset.columns[i].name
                guard let aggregate else { return name }
                return "\(aggregate.rawValue)_\(name)"
            }
            table.columns = [Column(name: xColumn.name, type: xColumn.type, label: xColumn.label, unit: xColumn.unit)]
            if let seriesIndex {
                let sc = dataset.columns[seriesIndex]
                table.columns.append(Column(name: sc.name, type: sc.type, label: sc.label))
            }
            if aggregate == .count {
                table.columns.append(Column(name: "count", type: .integer, label: "Count", unit: nil))
                table.unit = nil
                table.valueColumn = "count"
            } else if yIndices.count > 1 {
                for i in yIndices {
                    let c = dataset.columns[i]
                    table.columns.append(Column(name: yName(i), type: c.type, label: c.label, unit: c.unit))
                }
            } else if let y = yIndices.first {
                let c = dataset.columns[y]
                table.columns.append(Column(name: yName(y), type: c.type == .integer && aggregate == .mean ? .number : c.type, label: c.label, unit: c.unit))
            }
        } else {
            // No x: the y columns of the (single, or aggregated) row are the categories.
            if rows.count > 1 && aggregate == nil {
                throw fail(
                    "y", "\(rows.count) rows of '\(dataset.name)' remain; a chart of several y columns needs one",
                    hint: "add a filter that picks one row, or `aggregate: sum`")
            }
            table.categoryKeys = yIndices.map { dataset.columns[$0].name }
            table.categories = yIndices.map { spec.labels[dataset.columns[$0].name] ?? dataset.columns[$0].label }
            table.values = [yIndices.map { combine(rows, y: $0, aggregate: aggregate ?? .sum) }]
            let first = dataset.columns[yIndices[0]]
            table.columns = [
                Column(name: "column", type: .text, label: "Column"),
                Column(name: "value", type: first.type, label: "Value", unit: first.unit),
            ]
        }

        sortAndLimit(&table, spec: spec)

        // The plotted rows, from the final table.
        table.rows = []
        if xIndex != nil {
            let hasSeries = seriesIndex != nil
            for (c, key) in table.categoryKeys.enumerated() {
                let xValue = typed(key, as: table.columns[0].type)
                if yIndices.count > 1 {
                    table.rows.append([xValue] + table.values.map { $0[c].map(Value.number) ?? .null })
                } else {
                    for (s, seriesKey) in table.seriesKeys.enumerated() {
                        guard let v = table.values[s][c] else { continue }
                        var row = [xValue]
                        if hasSeries { row.append(.text(seriesKey)) }
                        row.append(.number(v))
                        table.rows.append(row)
                    }
                }
            }
        } else {
            for (c, key) in table.categoryKeys.enumerated() {
                table.rows.append([.text(key), table.values[0][c].map(Value.number) ?? .null])
            }
        }
        if table.allValues.isEmpty {
            throw fail("y", "no value to plot: every selected cell of '\(dataset.name)' is empty")
        }
        return table
    }

    /// Rows combined into one value; nil when there is nothing to combine.
    static func combine(_ rows: [[Value]], y: Int?, aggregate: Aggregate?) -> Decimal? {
        if aggregate == .count { return Decimal(rows.count) }
        guard let y else { return nil }
        let numbers = rows.compactMap { $0[y].decimal }
        guard !numbers.isEmpty else { return nil }
        switch aggregate ?? .sum {
        case .sum: return numbers.reduce(0, +)
        case .mean: return numbers.reduce(0, +) / Decimal(numbers.count)
        case .min: return numbers.min()
        case .max: return numbers.max()
        case .count: return Decimal(rows.count)
        }
    }

    static func matches(_ cell: Value, _ filter: ChartSpec.Filter) -> Bool {
        switch filter {
        case .oneOf(_, let values):
            return values.contains { equal(cell, $0) }
        case .range(_, let min, let max):
            if let min, compare(cell, min).map({ $0 < 0 }) ?? true { return false }
            if let max, compare(cell, max).map({ $0 > 0 }) ?? true { return false }
            return true
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = a.decimal, let y = b.decimal { return x == y }
        return a.plainText == b.plainText
    }

    /// -1, 0 or 1; nil when the two cannot be ordered.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        if let x = a.decimal, let y = b.decimal { return x < y ? -1 : (x > y ? 1 : 0) }
        if case .date(let x) = a {
            let y: DateValue?
            switch b {
            case .date(let d): y = d
            case .integer(let year): y = DateValue(iso: String(format: "%04d-01-01", year))
            default: y = DateValue(iso: b.plainText)
            }
            guard let y else { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        if a.isNull { return nil }
        return a.plainText < b.plainText ? -1 : (a.plainText > b.plainText ? 1 : 0)
    }

    static func label(for value: Value, key: String, spec: ChartSpec, format: NumberFormat) -> String {
        if let label = spec.labels[key] { return label }
        if case .date(let d) = value { return format.shortDate(d) }
        return key
    }

    static func typed(_ key: String, as type: ColumnType) -> Value {
        DatasetLoader.coerce(.text(key), to: type) ?? .text(key)
    }

    static func sortAndLimit(_ table: inout ChartTable, spec: ChartSpec) {
        var order = Array(table.categories.indices)
        if let sort = spec.sort {
            let totals = table.categoryTotals
            order.sort { a, b in
                let (x, y) = sort.descending ? (b, a) : (a, b)
                switch sort.by {
                case .value: return totals[x] != totals[y] ? totals[x] < totals[y] : a < b
                case .label:
                    let (l, r) = (table.categoryKeys[x], table.categoryKeys[y])
                    if let ld = DecimalText.parse(l), let rd = DecimalText.parse(r), ld != rd { return ld < rd }
                    return l != r ? l < r : a < b
                }
            }
        }
        if let limit = spec.limit, order.count > limit { order = Array(order.prefix(limit)) }
        table.categoryKeys = order.map { table.categoryKeys[$0] }
        table.categories = order.map { table.categories[$0] }
        table.values = table.values.map { row in order.map { row[$0] } }
    }

    static func table(
        _ spec: ChartSpec, dataset: Dataset, rows: [[Value]], indices: [Int],
        fail: (String, String, String?) -> LocalError
    ) throws(LocalError) -> ChartTable {
        let indices = indices.isEmpty ? Array(dataset.columns.indices) : indices
        var rows = rows
        if let sort = spec.sort {
            let key: Int
            switch sort.by {
            case .value:
                guard let numeric = (spec.y.first.flatMap(dataset.columnIndex)) ?? indices.first(where: { dataset.columns[$0].isNumeric }) else {
                    throw fail("sort", "sort by value needs a numeric column", nil)
                }
                key = numeric
            case .label: key = spec.x.flatMap(dataset.columnIndex) ?? indices[0]
            }
            rows = rows.enumerated().sorted { a, b in
                let c = compare(a.element[key], b.element[key]) ?? 0
                if c == 0 { return a.offset < b.offset }
                return sort.descending ? c > 0 : c < 0
            }.map(\.element)
        }
        if let limit = spec.limit { rows = Array(rows.prefix(limit)) }
        var table = ChartTable()
        table.columns = indices.map { dataset.columns[$0] }
        table.rows = rows.map { row in indices.map { row[$0] } }
        table.values = [[]]
        return table
    }

    static func timeline(_ spec: ChartSpec, dataset: Dataset, rows: [[Value]], x: Int?, label: Int, format: NumberFormat) -> ChartTable {
        var events: [(date: Value, row: [Value])] = rows.map { row in (date: x.map { row[$0] } ?? Value.null, row: row) }
        if let sort = spec.sort, sort.by == .label || x != nil {
            events = events.enumerated().sorted { a, b in
                let c = sort.by == .label
                    ? (compare(a.element.row[label], b.element.row[label]) ?? 0)
                    : (compare(a.element.date, b.element.date) ?? (a.element.date.isNull ? -1 : 1))
                if c == 0 { return a.offset < b.offset }
                return sort.descending ? c > 0 : c < 0
            }.map(\.element)
        }
        if let limit = spec.limit { events = Array(events.prefix(limit)) }
        var table = ChartTable()
        table.categoryKeys = events.map { $0.row[label].plainText }
        table.categories = events.map { spec.labels[$0.row[label].plainText] ?? $0.row[label].plainText }
        table.dates = events.map { event in
            switch event.date {
            case .null: return nil
            case .date(let d): return format.longDate(d)
            default: return event.date.plainText
            }
        }
        table.values = [events.map { _ in nil }]
        var columns: [Column] = []
        if let x { columns.append(dataset.columns[x]) }
        columns.append(dataset.columns[label])
        table.columns = columns
        table.rows = events.map { event in (x != nil ? [event.date] : []) + [event.row[label]] }
        return table
    }
}
