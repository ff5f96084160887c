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
    /// Where the plotted rows come from: the values of the dataset's `role: source` column.
    var rowSources: [String] = []
    /// What the notes call them: the source column's label, or "Rows from".
    var rowSourcesLabel = "Rows from"
    /// More sources than the chart lists: the CSV gives each category's instead.
    static let listedSources = 5
    /// The rate a `convert:` used, said in the chart's notes.
    var conversionNote: String?
    /// Categories in time order (dates, or buckets of `interval:`): labels are thinned to fit
    /// rather than wrapped, and sorting keeps time order unless asked otherwise.
    var timeAxis = false
    /// What the build should warn of (a donut folded into "Other").
    var warnings: [String] = []

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
package enum ChartData {
    /// The rows of one page made from data (one key's rows): a chart of that dataset filtered
    /// on that key needs to look at no other row, which keeps 100,000 such pages fast.
    package struct RowHint: Sendable {
        var dataset: String
        var column: String
        var key: String
        var rows: [Int]

        package init(dataset: String, column: String, key: String, rows: [Int]) {
            self.dataset = dataset
            self.column = column
            self.key = key
            self.rows = rows
        }

        /// The rows to start from, when the spec filters on exactly this key.
        func rows(for spec: ChartSpec) -> [Int]? {
            guard spec.data == dataset else { return nil }
            for filter in spec.filters {
                if case .oneOf(let c, let values) = filter, c == column, values.count == 1,
                    values[0].plainText == key
                {
                    return rows
                }
            }
            return nil
        }
    }

    static func prepare(
        _ spec: ChartSpec, datasets: [String: Dataset], format: NumberFormat, rowHint: RowHint? = nil
    ) throws(LocalError) -> ChartTable {
        func fail(_ key: String, _ message: String, hint: String? = nil) -> LocalError {
            let (line, column) = spec.position(of: key)
            return LocalError(line: line, column: column, message, hint: hint)
        }
        guard var dataset = datasets[spec.data] else {
            // A name close to one the project has is a typo: an error. Any other is a dataset
            // this project does not have (templates copied from another project).
            let close = datasets.keys.sorted().first { name in
                name.lowercased().hasPrefix(spec.data.lowercased()) || spec.data.lowercased().hasPrefix(name.lowercased())
                    || NameCleaning.editDistance(Array(name.lowercased()), Array(spec.data.lowercased()), limit: 2) != nil
            }
            var error = fail(
                "data", "dataset '\(spec.data)' does not exist",
                hint: close.map { "did you mean '\($0)'?" } ?? "datasets: \(datasets.keys.sorted().joined(separator: ", "))")
            if close == nil { error.code = .chartMissingDataset }
            throw error
        }
        // Column labels in the page's language (`label_DATASET_COLUMN` of Templates/i18n).
        dataset = dataset.relabeled(format.words)
        var conversionNote: String?
        if let conversion = spec.convert {
            (dataset, conversionNote) = try convert(
                dataset, conversion, spec: spec, datasets: datasets, format: format, fail: fail)
        }
        let known = dataset.columns.map(\.name)
        func column(_ name: String, key: String) throws(LocalError) -> Int {
            guard let index = dataset.columnIndex(name) else {
                throw fail(
                    key, "dataset '\(dataset.name)' has no column '\(name)'",
                    hint: "its columns: \(known.joined(separator: ", "))")
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
        let seriesIndex = try spec.series.map { (name) throws(LocalError) in
            try column(name, key: spec.keyLines["series"] != nil ? "series" : "color")
        }
        let labelIndex = try spec.label.map { (name) throws(LocalError) in try column(name, key: "label") }
        var tableIndices: [Int] = []
        for name in spec.columns { tableIndices.append(try column(name, key: "columns")) }

        // Filters: the indices of the rows that pass them all.
        var filters: [(Int, ChartSpec.Filter)] = []
        for filter in spec.filters { filters.append((try column(filter.column, key: "filter"), filter)) }
        let candidates = rowHint?.rows(for: spec) ?? Array(0..<dataset.rowCount)
        let rows = candidates.filter { r in filters.allSatisfy { matches(dataset[r, $0.0], $0.1) } }
        if rows.isEmpty {
            if spec.filters.isEmpty { throw fail("data", "dataset '\(dataset.name)' has no rows") }
            throw fail("filter", "the filter leaves no rows of '\(dataset.name)' (it has \(dataset.rowCount))")
        }

        let rowSources = dataset.rowSources(rows)
        var rowSourcesLabel = format.words.text("chart_rows_from")
        if let s = dataset.sourceColumn, dataset.columns[s].label != dataset.columns[s].name {
            rowSourcesLabel = dataset.columns[s].label
        }
        var table: ChartTable
        switch spec.type {
        case .table:
            table = try self.table(spec, dataset: dataset, rows: rows, indices: tableIndices, fail: fail)
            table.rowSources = rowSources
            table.rowSourcesLabel = rowSourcesLabel
            table.conversionNote = conversionNote
            return table
        case .timeline:
            table = timeline(spec, dataset: dataset, rows: rows, x: xIndex, label: labelIndex!, format: format)
            table.rowSources = rowSources
            table.rowSourcesLabel = rowSourcesLabel
            table.conversionNote = conversionNote
            return table
        default:
            table = ChartTable()
            table.rowSources = rowSources
            table.rowSourcesLabel = rowSourcesLabel
            table.conversionNote = conversionNote
        }

        table.unit = yIndices.first.flatMap { dataset.columns[$0].unit }
        table.valueColumn = yIndices.first.map { dataset.columns[$0].name }
        let aggregate = spec.aggregate
        var ordinals: [String: Int] = [:]
        // What each row's category is: the x column, or its dates in buckets.
        var xData = xIndex.map { dataset.data[$0] }

        if let xIndex {
            var xColumn = dataset.columns[xIndex]
            // Dates in buckets: each row's bucket key, and the ordinal of each key.
            if let interval = spec.interval {
                guard xColumn.type == .date else {
                    throw fail(
                        "interval", "interval needs dates on x, but '\(xColumn.name)' holds \(xColumn.type.rawValue)",
                        hint: "declare the column `type: date` in the schema (with its `format:`)")
                }
                var keys = [Value](repeating: .null, count: dataset.rowCount)
                for r in rows {
                    guard case .date(let date) = dataset[r, xIndex] else { continue }
                    let ordinal = TimeBucket.ordinal(date, interval, fiscalStart: spec.fiscalYearStart)
                    let key = TimeBucket.key(ordinal, interval, fiscalStart: spec.fiscalYearStart)
                    ordinals[key] = ordinal
                    keys[r] = .text(key)
                }
                xData = DataColumn(keys, type: .text)
                xColumn = Column(name: xColumn.name, type: .text, label: xColumn.label)
            }
            let seriesData = seriesIndex.map { dataset.data[$0] }
            // Group rows by (x, series) in order of first appearance, then accumulate.
            let (xCodes, categoryValues) = xData!.groups(rows)
            let (seriesCodes, seriesValues) =
                seriesData?.groups(rows) ?? ([Int32](repeating: 0, count: rows.count), [.null])
            let valueColumns = yIndices.isEmpty ? [nil] : yIndices.map { Optional(dataset.data[$0]) }
            let nCategories = categoryValues.count
            // accumulators[y][series][category]
            var accumulators: [[[Accumulator]]] = valueColumns.map { _ in
                Array(repeating: Array(repeating: Accumulator(), count: nCategories), count: seriesValues.count)
            }
            for (y, data) in valueColumns.enumerated() {
                if let ints = data?.integers {
                    // Whole numbers: sum as integers, exactly, and convert once per group.
                    var sums = [[Int]](repeating: [Int](repeating: 0, count: nCategories), count: seriesValues.count)
                    var counts = sums
                    var mins = [[Int]](
                        repeating: [Int](repeating: Int.max, count: nCategories), count: seriesValues.count)
                    var maxs = [[Int]](
                        repeating: [Int](repeating: Int.min, count: nCategories), count: seriesValues.count)
                    var overflow = false
                    for (i, r) in rows.enumerated() {
                        let s = Int(seriesCodes[i])
                        let c = Int(xCodes[i])
                        let n = ints[r]
                        let (sum, o) = sums[s][c].addingReportingOverflow(n)
                        overflow = overflow || o
                        sums[s][c] = sum
                        counts[s][c] += 1
                        if n < mins[s][c] { mins[s][c] = n }
                        if n > maxs[s][c] { maxs[s][c] = n }
                    }
                    if !overflow {
                        for s in 0..<seriesValues.count {
                            for c in 0..<nCategories where counts[s][c] > 0 {
                                accumulators[y][s][c] = Accumulator(
                                    rows: counts[s][c], count: counts[s][c], sum: Decimal(sums[s][c]),
                                    min: Decimal(mins[s][c]), max: Decimal(maxs[s][c]))
                            }
                        }
                        continue
                    }
                }
                for (i, r) in rows.enumerated() {
                    accumulators[y][Int(seriesCodes[i])][Int(xCodes[i])].add(data?.decimal(at: r))
                }
            }
            if aggregate == nil {
                for (s, series) in accumulators[0].enumerated() {
                    for (c, accumulator) in series.enumerated() where accumulator.rows > 1 {
                        let key = categoryValues[c].plainText
                        let what =
                            seriesIndex == nil ? "'\(key)'" : "'\(key)' and series '\(seriesValues[s].plainText)'"
                        throw fail(
                            "x", "\(accumulator.rows) rows of '\(dataset.name)' share x \(what)",
                            hint: "add `aggregate: sum` (or count, mean, min, max), or a filter")
                    }
                }
            }
            let categoryOrder = categoryValues.map(\.plainText)
            table.categoryKeys = categoryOrder
            table.categories = zip(categoryValues, categoryOrder).map {
                label(for: $0, key: $1, spec: spec, format: format)
            }
            table.timeAxis = spec.interval != nil || xColumn.type == .date
            if yIndices.count > 1 {
                table.seriesKeys = yIndices.map { dataset.columns[$0].name }
                table.series = yIndices.map { spec.labels[dataset.columns[$0].name] ?? dataset.columns[$0].label }
                table.values = accumulators.map { $0[0].map { $0.result(aggregate) } }
            } else {
                table.seriesKeys = seriesValues.map(\.plainText)
                table.series = table.seriesKeys.map { spec.labels[$0] ?? $0 }
                table.values = accumulators[0].map { $0.map { $0.result(aggregate) } }
            }
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
            } else {
                for i in yIndices {
                    let c = dataset.columns[i]
                    let type: ColumnType = c.type == .integer && aggregate == .mean ? .number : c.type
                    table.columns.append(Column(name: yName(i), type: type, label: c.label, unit: c.unit))
                }
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
            table.values = [
                yIndices.map { y in
                    var accumulator = Accumulator()
                    for r in rows { accumulator.add(dataset.data[y].decimal(at: r)) }
                    return accumulator.result(aggregate ?? .sum)
                }
            ]
            let first = dataset.columns[yIndices[0]]
            table.columns = [
                Column(name: "column", type: .text, label: "Column"),
                Column(name: "value", type: first.type, label: "Value", unit: first.unit),
            ]
        }

        if let interval = spec.interval {
            try fillBuckets(&table, interval: interval, ordinals: ordinals, spec: spec, format: format, fail: fail)
        }
        try sortAndLimit(&table, spec: spec, format: format, fail: fail)

        // Sources beyond the five a chart lists: each plotted category's, in a column of the CSV.
        var categorySources: [String: [String]] = [:]
        if spec.sources == .summary, table.rowSources.count > ChartTable.listedSources, let xData,
            let s = dataset.sourceColumn
        {
            var seen: [String: Set<String>] = [:]
            for r in rows {
                let source = dataset[r, s].plainText
                guard !source.isEmpty else { continue }
                let key = xData[r].plainText
                if seen[key, default: []].insert(source).inserted { categorySources[key, default: []].append(source) }
            }
            // "Other" cites the sources of everything folded into it.
            if let other = table.categoryKeys.last, categorySources[other] == nil, spec.other == true || spec.type == .donut {
                let shown = Set(table.categoryKeys)
                var all: [String] = []
                var allSeen: Set<String> = []
                for (key, sources) in categorySources.sorted(by: { $0.key < $1.key }) where !shown.contains(key) {
                    for source in sources where allSeen.insert(source).inserted { all.append(source) }
                }
                if !all.isEmpty { categorySources[other] = all }
            }
        }

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
        if !categorySources.isEmpty {
            table.columns.append(Column(name: "sources", type: .text, label: rowSourcesLabel))
            table.rows = table.rows.map { row in row + [.text((categorySources[row[0].plainText] ?? []).joined(separator: " "))] }
        }
        if table.allValues.isEmpty {
            throw fail("y", "no value to plot: every selected cell of '\(dataset.name)' is empty")
        }
        if let transform = spec.format, let mismatch = NumberFormat.currencyMismatch(transform, unit: table.unit) {
            throw fail("format", mismatch, hint: "use money or money_short, which follow the column's currency")
        }
        return table
    }

    /// Combines the values of the rows of one group as they stream past.
    struct Accumulator {
        var rows = 0
        var count = 0
        var sum: Decimal = 0
        var min: Decimal?
        var max: Decimal?

        mutating func add(_ value: Decimal?) {
            rows += 1
            guard let value else { return }
            count += 1
            sum += value
            if min.map({ value < $0 }) ?? true { min = value }
            if max.map({ value > $0 }) ?? true { max = value }
        }

        /// The group's value; nil when it has no number to show.
        func result(_ aggregate: Aggregate?) -> Decimal? {
            if aggregate == .count { return Decimal(rows) }
            guard count > 0 else { return nil }
            switch aggregate ?? .sum {
            case .sum: return sum
            case .mean: return sum / Decimal(count)
            case .min: return min
            case .max: return max
            case .count: return Decimal(rows)
            }
        }
    }

    /// The dataset with its `y` columns converted at the rate of a date or year, and the note
    /// that states the rate. Converting a column already in the target currency is an error.
    static func convert(
        _ dataset: Dataset, _ conversion: ChartSpec.Conversion, spec: ChartSpec, datasets: [String: Dataset],
        format: NumberFormat = NumberFormat(), fail: (String, String, String?) -> LocalError
    ) throws(LocalError) -> (Dataset, String) {
        let rate: Rates.Rate
        do throws(LocalError) {
            rate = try Rates(datasets: datasets).rate("USD", at: conversion.when, by: conversion.by)
        } catch {
            throw fail("convert", error.message, error.hint)
        }
        let from = conversion.to == "USD" ? "KZT" : "USD"
        var converted = dataset
        for name in spec.y {
            guard let c = dataset.columnIndex(name), dataset.columns[c].isNumeric else { continue }
            if let unit = dataset.columns[c].unit, unit != from {
                throw fail(
                    "convert", "convert to \(conversion.to) needs amounts in \(from), but '\(name)' is in \(unit)",
                    nil)
            }
            let values: [Value] = (0..<dataset.rowCount).map { r in
                guard let d = dataset.data[c].decimal(at: r) else { return .null }
                return .number(NumberFormat.round(conversion.to == "USD" ? d / rate.value : d * rate.value, places: 2))
            }
            converted.data[c] = DataColumn(values, type: .number)
            converted.columns[c].type = .number
            converted.columns[c].unit = conversion.to
            let (old, new) = conversion.to == "USD" ? ("tenge", "dollars") : ("dollars", "tenge")
            let label = converted.columns[c].label
            converted.columns[c].label =
                label.contains(old) ? label.replacingOccurrences(of: old, with: new) : label + " in \(new)"
        }
        let note = format.words.text(
            from == "KZT" ? "chart_converted_tenge" : "chart_converted_dollars", ["rate": rate.statement(in: format)])
        return (converted, note)
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

    /// Every bucket from the first to the last, in time order, with the buckets no row falls in:
    /// zero for sums and counts, a gap (no value) for means, minimums and maximums, or with
    /// `missing: gap`.
    static func fillBuckets(
        _ table: inout ChartTable, interval: TimeBucket.Interval, ordinals: [String: Int], spec: ChartSpec,
        format: NumberFormat, fail: (String, String, String?) -> LocalError
    ) throws(LocalError) {
        var index: [Int: Int] = [:]  // ordinal → category
        for (c, key) in table.categoryKeys.enumerated() {
            if let ordinal = ordinals[key] { index[ordinal] = c }
        }
        guard let first = index.keys.min(), let last = index.keys.max() else { return }
        guard last - first < 5000 else {
            throw fail(
                "interval", "\(last - first + 1) \(interval.rawValue)s from the first date to the last are too many to draw",
                "use a longer interval, or filter the dates")
        }
        let gap = spec.missingAsGap ?? ![nil, .sum, .count].contains(spec.aggregate)
        let span = Array(first...last)
        table.categoryKeys = span.map { TimeBucket.key($0, interval, fiscalStart: spec.fiscalYearStart) }
        table.categories = span.map { o in
            spec.labels[TimeBucket.key(o, interval, fiscalStart: spec.fiscalYearStart)]
                ?? TimeBucket.label(o, interval, fiscalStart: spec.fiscalYearStart, format: format)
        }
        table.values = table.values.map { row in
            span.map { o in index[o].flatMap { row[$0] } ?? (gap ? nil : 0) }
        }
        table.timeAxis = true
    }

    /// The category name that holds the folded rest (`other: true`), with its count.
    static func otherLabel(_ count: Int, format: NumberFormat) -> String {
        format.words.count("chart_other", count, number: format.grouped(Decimal(count)))
    }

    static func sortAndLimit(
        _ table: inout ChartTable, spec: ChartSpec, format: NumberFormat, fail: (String, String, String?) -> LocalError
    ) throws(LocalError) {
        var order = Array(table.categories.indices)
        if table.timeAxis, spec.interval == nil, spec.sort == nil {
            // Dates on x are drawn in time order, whatever the order of the file.
            order.sort { table.categoryKeys[$0] != table.categoryKeys[$1] ? table.categoryKeys[$0] < table.categoryKeys[$1] : $0 < $1 }
        }
        if let sort = spec.sort {
            if table.timeAxis, spec.type == .line, sort.by != .time {
                throw fail("sort", "a line over time is drawn in time order", "remove `sort:`, or use `sort: time`")
            }
            let totals = table.categoryTotals
            // Whole totals (most amounts) are compared as integers: two decimal comparisons
            // per step made sorting a page's ten bars a percent of a large build.
            let found = sort.by == .value ? totals.compactMap(DecimalText.whole) : []
            let wholes: [Int]? = found.count == totals.count ? found : nil
            order.sort { a, b in
                let (x, y) = sort.descending ? (b, a) : (a, b)
                switch sort.by {
                case .value:
                    if let wholes { return wholes[x] != wholes[y] ? wholes[x] < wholes[y] : a < b }
                    return totals[x] != totals[y] ? totals[x] < totals[y] : a < b
                case .label, .time:
                    let (l, r) = (table.categoryKeys[x], table.categoryKeys[y])
                    if let ld = DecimalText.parse(l), let rd = DecimalText.parse(r), ld != rd { return ld < rd }
                    return l != r ? l < r : a < b
                }
            }
        }
        // A donut of many slices folds the smallest into "Other", as a reader cannot tell
        // apart more than about six; the build says so.
        var limit = spec.limit
        var fold = spec.other ?? false
        if spec.type == .donut, limit == nil, order.count > 6 {
            let totals = table.categoryTotals
            order.sort { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : $0 < $1 }
            limit = 5
            fold = true
            table.warnings.append(
                "the donut has \(order.count) slices: the \(order.count - 5) smallest are folded into one (set `limit:` and `other:` to choose)")
        }
        if fold, spec.aggregate.map({ ![.sum, .count].contains($0) }) ?? false {
            throw fail("other", "other adds up the folded categories, which only sums and counts allow", "use aggregate: sum or count")
        }
        var folded: (count: Int, values: [Decimal?])?
        if let limit, order.count > limit {
            if fold {
                let rest = Array(order.dropFirst(limit))
                folded = (
                    rest.count,
                    table.values.map { row in
                        let present = rest.compactMap { row[$0] }
                        return present.isEmpty ? nil : present.reduce(0, +)
                    }
                )
            }
            order = Array(order.prefix(limit))
        }
        table.categoryKeys = order.map { table.categoryKeys[$0] }
        table.categories = order.map { table.categories[$0] }
        table.values = table.values.map { row in order.map { row[$0] } }
        if let folded {
            let label = otherLabel(folded.count, format: format)
            table.categoryKeys.append(label)
            table.categories.append(spec.labels["other"] ?? label)
            for s in table.values.indices { table.values[s].append(folded.values[s]) }
            table.timeAxis = false
        }
    }

    static func table(
        _ spec: ChartSpec, dataset: Dataset, rows rowIndices: [Int], indices: [Int],
        fail: (String, String, String?) -> LocalError
    ) throws(LocalError) -> ChartTable {
        let indices = indices.isEmpty ? Array(dataset.columns.indices) : indices
        var rows = rowIndices.map { r in dataset.data.map { $0[r] } }
        if let sort = spec.sort {
            let key: Int
            switch sort.by {
            case .value:
                guard
                    let numeric = (spec.y.first.flatMap(dataset.columnIndex))
                        ?? indices.first(where: { dataset.columns[$0].isNumeric })
                else {
                    throw fail("sort", "sort by value needs a numeric column", nil)
                }
                key = numeric
            case .label, .time: key = spec.x.flatMap(dataset.columnIndex) ?? indices[0]
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

    static func timeline(
        _ spec: ChartSpec, dataset: Dataset, rows rowIndices: [Int], x: Int?, label: Int, format: NumberFormat
    ) -> ChartTable {
        let rows = rowIndices.map { r in dataset.data.map { $0[r] } }
        var events: [(date: Value, row: [Value])] = rows.map { row in (date: x.map { row[$0] } ?? Value.null, row: row)
        }
        if let sort = spec.sort, sort.by == .label || x != nil {
            events = events.enumerated().sorted { a, b in
                let c =
                    sort.by == .label
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
