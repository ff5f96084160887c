import Foundation

/// A computed figure: its value, its unit, and the datasets it was computed from.
package struct FigureValue: Sendable {
    var value: Decimal
    var unit: String? = nil
    var column: String? = nil
    var sources: [String]
    /// The column's `decimals:`, for an amount read or aggregated from one column.
    var decimals: Int? = nil
    /// Where the rows behind it come from (the dataset's `role: source` column), and the
    /// rates it was converted at, for the reader.
    var notes: [String] = []
    /// A share or a change: a fraction, said as per cent in messages.
    var isFraction = false
    /// A text result (`top(…)`, `value(…)` of a text column); `value` is then 0.
    var text: String?

    func merging(_ other: FigureValue) -> (sources: [String], notes: [String]) {
        (Array(Set(sources + other.sources)).sorted(), FigureValue.distinct(notes + other.notes))
    }

    /// The notes as a reader sees them: at most three row sources, then how many more there
    /// are (a figure over 1,296 notices does not carry 1,296 addresses in its `title`).
    var citedNotes: [String] {
        let sources = notes.filter { $0.hasPrefix("source: ") }
        guard sources.count > 3 else { return notes }
        var out = notes.filter { !$0.hasPrefix("source: ") }
        out += sources.prefix(3)
        out.append("and \(sources.count - 3) more sources, listed on the data page")
        return out
    }

    static func distinct(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// Computes figure expressions over the site's datasets and the named figures of
/// `Data/figures.yml`. Errors name what is unknown and list what there is.
package final class FigureEvaluator: @unchecked Sendable {
    let datasets: [String: Dataset]
    package let named: [String: FigureExpression]
    private var results: [String: FigureValue] = [:]
    private var evaluating: Set<String> = []
    private let lock = NSRecursiveLock()

    package init(datasets: [String: Dataset], named: [String: FigureExpression]) {
        self.datasets = datasets
        self.named = named
    }

    package func evaluate(_ expression: FigureExpression) throws(LocalError) -> FigureValue {
        switch expression {
        case .number(let d): return FigureValue(value: d, unit: nil, column: nil, sources: [])
        case .name(let name):
            lock.lock()
            defer { lock.unlock() }
            if let known = results[name] { return known }
            guard let definition = named[name] else {
                throw LocalError(
                    "unknown figure '\(name)'",
                    hint: named.isEmpty
                        ? "define it in Data/figures.yml"
                        : "named figures: \(named.keys.sorted().joined(separator: ", "))")
            }
            guard evaluating.insert(name).inserted else {
                throw LocalError("figure '\(name)' is defined in terms of itself")
            }
            defer { evaluating.remove(name) }
            let value = try evaluate(definition)
            results[name] = value
            return value
        case .column(let dataset, let column):
            throw LocalError(
                "\(column.map { "\(dataset).\($0)" } ?? dataset) needs a function",
                hint: "e.g. sum(\(dataset).\(column ?? "column")) or value(…, key=…)")
        case .binary(let op, let left, let right, let column):
            do throws(LocalError) {
                return try arithmetic(op, try evaluate(left), try evaluate(right), left, right)
            } catch {
                var located = error
                if located.column == nil { located.column = column }
                throw located
            }
        case .call(let function, let arguments, let filters, let column):
            do throws(LocalError) {
                return try call(function, arguments, filters)
            } catch {
                var located = error
                if located.column == nil { located.column = column }
                throw located
            }
        }
    }

    /// `a + b`, `a - b` in one unit; `a * b`, `a / b` with at most one of them in a unit (a
    /// quotient of two amounts in one unit is a plain number).
    private func arithmetic(
        _ op: Character, _ a: FigureValue, _ b: FigureValue, _ left: FigureExpression, _ right: FigureExpression
    ) throws(LocalError) -> FigureValue {
        if a.text != nil || b.text != nil { throw LocalError("\(op) needs numbers, but one side is text") }
        let (sources, notes) = a.merging(b)
        var unit: String?
        switch op {
        case "+", "-":
            if let ua = a.unit, let ub = b.unit, ua != ub {
                throw LocalError(
                    "\(op == "+" ? "adding" : "subtracting") \(right) in \(ub) \(op == "+" ? "to" : "from") \(left) in \(ua)",
                    hint: "convert one of them first, e.g. with usd_at(…, year=YYYY)")
            }
            unit = a.unit ?? b.unit
        case "*":
            if a.unit != nil, b.unit != nil { throw LocalError("multiplying two amounts that both have units (\(a.unit!), \(b.unit!))") }
            unit = a.unit ?? b.unit
        default:
            guard b.value != 0 else { throw LocalError("division by zero: \(right) is 0") }
            if let ua = a.unit, let ub = b.unit, ua != ub {
                throw LocalError("dividing \(left) in \(ua) by \(right) in \(ub)", hint: "convert one of them first")
            }
            unit = b.unit == nil ? a.unit : nil
        }
        let value: Decimal
        switch op {
        case "+": value = a.value + b.value
        case "-": value = a.value - b.value
        case "*": value = a.value * b.value
        default: value = a.value / b.value
        }
        var out = FigureValue(value: value, unit: unit, column: nil, sources: sources, notes: notes)
        out.isFraction = (a.isFraction || b.isFraction) && unit == nil && (op == "+" || op == "-")
        return out
    }

    /// Whether a cell passes a figure's filter.
    static func passes(_ cell: Value, _ filter: FigureFilter) -> Bool {
        switch filter.op {
        case .equal: return ChartData.equal(cell, filter.value)
        case .notEqual: return !ChartData.equal(cell, filter.value)
        case .oneOf: return filter.values.contains { ChartData.equal(cell, $0) }
        case .range:
            guard let low = ChartData.compare(cell, filter.value), let high = ChartData.compare(cell, filter.upper) else {
                return false
            }
            return low >= 0 && high <= 0
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = ChartData.compare(cell, filter.value) else { return false }
            switch filter.op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    private func call(_ function: String, _ arguments: [FigureExpression], _ filters: [FigureFilter])
        throws(LocalError) -> FigureValue
    {
        switch function {
        case "sum", "mean", "median", "quantile", "min", "max", "value", "count", "count_distinct", "top":
            let expected = function == "quantile" ? 2 : 1
            guard arguments.count == expected else {
                if function == "quantile" {
                    throw LocalError("quantile takes a dataset column and a fraction: quantile(tenders.amount, 0.9)")
                }
                if function == "top" {
                    throw LocalError("top takes the column of names: top(contracts.supplier, by=sum(contracts.amount))")
                }
                throw LocalError("\(function) takes one dataset column, then filters like year=2017")
            }
            let (dataset, columnName): (String, String?)
            switch arguments[0] {
            case .column(let d, let c): (dataset, columnName) = (d, c)
            case .name(let d) where function == "count": (dataset, columnName) = (d, nil)
            default: throw LocalError("\(function) needs a dataset column such as tenders.amount_kzt")
            }
            guard let data = datasets[dataset] else {
                throw LocalError(
                    "dataset '\(dataset)' does not exist",
                    hint: "datasets: \(datasets.keys.sorted().joined(separator: ", "))")
            }
            var index: Int?
            if let columnName {
                guard let c = data.columnIndex(columnName) else {
                    throw LocalError(
                        "dataset '\(dataset)' has no column '\(columnName)'",
                        hint: "its columns: \(data.columns.map(\.name).joined(separator: ", "))")
                }
                if !["count", "value", "count_distinct", "top"].contains(function) && !data.columns[c].isNumeric {
                    throw LocalError(
                        "column '\(columnName)' holds \(data.columns[c].type.rawValue); \(function) needs numbers")
                }
                index = c
            }
            var conditions: [(Int, FigureFilter)] = []
            var rank = 1
            var by: FigureExpression?
            for filter in filters {
                if function == "top", filter.column == "rank" {
                    guard case .integer(let n) = filter.value, n >= 1 else { throw LocalError("rank must be a whole number from 1") }
                    rank = n
                    continue
                }
                if function == "top", filter.column == "by" {
                    guard case .text(let text) = filter.value else { throw LocalError("by needs a figure: by=sum(contracts.amount)") }
                    by = try FigureParser.parse(text)
                    continue
                }
                guard let c = data.columnIndex(filter.column) else {
                    throw LocalError(
                        "dataset '\(dataset)' has no column '\(filter.column)' to filter on",
                        hint: "its columns: \(data.columns.map(\.name).joined(separator: ", "))")
                }
                conditions.append((c, filter))
            }
            let rows = (0..<data.rowCount).filter { r in
                conditions.allSatisfy { FigureEvaluator.passes(data[r, $0.0], $0.1) }
            }
            if rows.isEmpty && !filters.isEmpty {
                throw LocalError("no row of '\(dataset)' has \(filters.map(\.description).joined(separator: ", "))")
            }
            let unit = index.flatMap { data.columns[$0].unit }
            let decimals = index.flatMap { data.columns[$0].decimals }
            let source = [dataset]
            let notes = data.rowSources(rows).map { "source: \($0)" }
            if function == "count" {
                return FigureValue(value: Decimal(rows.count), unit: nil, column: nil, sources: source, notes: notes)
            }
            if function == "count_distinct" {
                let distinct = Set(rows.map { data[$0, index!] }.filter { !$0.isNull })
                return FigureValue(value: Decimal(distinct.count), unit: nil, column: nil, sources: source, notes: notes)
            }
            if function == "top" {
                return try top(data, rows: rows, names: index!, by: by, rank: rank, notes: notes)
            }
            if function == "value", !data.columns[index!].isNumeric {
                guard rows.count == 1 else {
                    throw LocalError(
                        "value() needs exactly one row, but \(rows.count) of '\(dataset)' match", hint: "add filters that pick one row")
                }
                var out = FigureValue(value: 0, unit: nil, column: columnName, sources: source, notes: notes)
                out.text = data[rows[0], index!].plainText
                return out
            }
            let values = rows.compactMap { data.data[index!].decimal(at: $0) }
            switch function {
            case "value":
                guard rows.count == 1 else {
                    throw LocalError(
                        "value() needs exactly one row, but \(rows.count) of '\(dataset)' match",
                        hint: "add filters that pick one row")
                }
                guard let v = values.first else {
                    if data.columns[index!].isNumeric {
                        throw LocalError("the matching row of '\(dataset)' has no \(columnName!)")
                    }
                    throw LocalError(
                        "column '\(columnName!)' holds \(data.columns[index!].type.rawValue); a figure needs a number")
                }
                return FigureValue(value: v, unit: unit, column: columnName, sources: source, decimals: decimals, notes: notes)
            case "sum":
                return FigureValue(
                    value: values.reduce(0, +), unit: unit, column: columnName, sources: source, decimals: decimals, notes: notes)
            default:
                guard !values.isEmpty else {
                    throw LocalError("no value of \(dataset).\(columnName!) to take the \(function) of")
                }
                let v: Decimal
                switch function {
                case "mean": v = values.reduce(0, +) / Decimal(values.count)
                case "min": v = values.min()!
                case "max": v = values.max()!
                case "median": v = FigureEvaluator.quantile(values.sorted(), 0.5)
                default:
                    guard case .number(let p) = arguments[1], p >= 0, p <= 1 else {
                        throw LocalError("quantile's second argument is a fraction from 0 to 1, e.g. 0.9")
                    }
                    v = FigureEvaluator.quantile(values.sorted(), p)
                }
                return FigureValue(value: v, unit: unit, column: columnName, sources: source, decimals: decimals, notes: notes)
            }
        case "usd_at", "kzt_at", "rate":
            // Conversion at the rate of a date or year, from the `rates` dataset.
            let currency = "USD"
            let when = filters.first { $0.column == "date" || $0.column == "year" }
            guard let when else {
                throw LocalError(
                    "\(function) needs a date=YYYY-MM-DD or year=YYYY", hint: "e.g. usd_at(contract_2017, year=2019)")
            }
            let rate = try Rates(datasets: datasets).rate(currency, at: when.value, by: when.column)
            let stated = rate.statement
            if function == "rate" {
                guard arguments.isEmpty else { throw LocalError("rate takes only a date or a year") }
                return FigureValue(value: rate.value, unit: nil, column: nil, sources: ["rates"], notes: [stated])
            }
            guard arguments.count == 1 else {
                throw LocalError("\(function) converts one figure: \(function)(figure, year=YYYY)")
            }
            let amount = try evaluate(arguments[0])
            let from = function == "usd_at" ? "KZT" : "USD"
            if let unit = amount.unit, unit != from {
                throw LocalError(
                    "\(function) converts \(from == "KZT" ? "tenge" : "dollars"), but \(arguments[0]) is in \(unit)")
            }
            let merged = amount.merging(FigureValue(value: 0, sources: ["rates"], notes: ["converted at " + stated]))
            let value = function == "usd_at" ? amount.value / rate.value : amount.value * rate.value
            return FigureValue(
                value: value, unit: function == "usd_at" ? currency : "KZT", column: nil, sources: merged.sources,
                notes: merged.notes)
        case "share", "ratio", "change":
            guard arguments.count == 2, filters.isEmpty else {
                throw LocalError("\(function) takes two figures: \(function)(a, b)")
            }
            let a = try evaluate(arguments[0])
            let b = try evaluate(arguments[1])
            let (sources, notes) = a.merging(b)
            if let ua = a.unit, let ub = b.unit, ua != ub {
                throw LocalError(
                    "\(function) compares \(arguments[0]) in \(ua) with \(arguments[1]) in \(ub)",
                    hint: "convert one of them first, e.g. with usd_at(…, year=YYYY)")
            }
            switch function {
            case "change":
                guard a.value != 0 else { throw LocalError("change from zero is undefined") }
                var out = FigureValue(
                    value: (b.value - a.value) / a.value, unit: nil, column: nil, sources: sources, notes: notes)
                out.isFraction = true
                return out
            default:
                guard b.value != 0 else { throw LocalError("\(function) by zero is undefined") }
                var out = FigureValue(value: a.value / b.value, unit: nil, column: nil, sources: sources, notes: notes)
                out.isFraction = function == "share"
                return out
            }
        default:
            throw LocalError(
                "unknown function '\(function)'",
                hint: "functions: \(FigureExpression.functions.joined(separator: ", "))")
        }
    }
}

extension FigureEvaluator {
    /// The `p` quantile of sorted values, interpolated between the two nearest ranks (the
    /// method of Excel's PERCENTILE.INC, R's type 7 and NumPy's default).
    static func quantile(_ sorted: [Decimal], _ p: Decimal) -> Decimal {
        guard sorted.count > 1 else { return sorted[0] }
        var position = p * Decimal(sorted.count - 1)
        var floor = Decimal()
        NSDecimalRound(&floor, &position, 0, .down)
        let lowIndex = min(sorted.count - 1, NSDecimalNumber(decimal: floor).intValue)
        let fraction = position - floor
        guard lowIndex + 1 < sorted.count, fraction > 0 else { return sorted[lowIndex] }
        return sorted[lowIndex] + (sorted[lowIndex + 1] - sorted[lowIndex]) * fraction
    }

    /// `top(dataset.names, by=sum(dataset.amount), rank=N)`: the name whose rows give the
    /// largest figure (sum of a column, or a count when `by` is left out); ties go to the name
    /// that comes first in the data.
    fileprivate func top(
        _ data: Dataset, rows: [Int], names: Int, by: FigureExpression?, rank: Int, notes: [String]
    ) throws(LocalError) -> FigureValue {
        var measure: Int?
        var aggregate = "count"
        if let by {
            guard case .call(let f, let args, let filters, _) = by, ["sum", "count", "max", "mean"].contains(f),
                filters.isEmpty, args.count == 1
            else {
                throw LocalError("by takes sum, count, max or mean of one column of the same dataset: by=sum(contracts.amount)")
            }
            aggregate = f
            if case .column(let d, let c) = args[0], let c {
                guard d == data.name, let i = data.columnIndex(c), data.columns[i].isNumeric else {
                    throw LocalError("by=\(by) must read a numeric column of '\(data.name)'")
                }
                measure = i
            } else if f != "count" {
                throw LocalError("by=\(by) needs a column: \(f)(\(data.name).amount)")
            }
        }
        var order: [String] = []
        var totals: [String: (sum: Decimal, count: Int, max: Decimal?)] = [:]
        for r in rows {
            let name = data[r, names].plainText
            guard !name.isEmpty else { continue }
            if totals[name] == nil { order.append(name) }
            var entry = totals[name] ?? (0, 0, nil)
            if let m = measure, let v = data.data[m].decimal(at: r) {
                entry.sum += v
                entry.max = entry.max.map { Swift.max($0, v) } ?? v
            }
            entry.count += 1
            totals[name] = entry
        }
        func score(_ name: String) -> Decimal {
            let e = totals[name]!
            switch aggregate {
            case "sum": return e.sum
            case "max": return e.max ?? 0
            case "mean": return e.count > 0 ? e.sum / Decimal(e.count) : 0
            default: return Decimal(e.count)
            }
        }
        let ranked = order.enumerated().sorted { a, b in
            let (x, y) = (score(a.element), score(b.element))
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
        guard rank <= ranked.count else {
            throw LocalError("rank=\(rank), but only \(ranked.count) names are ranked")
        }
        var out = FigureValue(
            value: score(ranked[rank - 1]), unit: measure.flatMap { data.columns[$0].unit }, column: nil,
            sources: [data.name], notes: notes)
        out.text = ranked[rank - 1]
        return out
    }
}
