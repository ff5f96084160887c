import Foundation

/// A computed figure: its value, its unit, and the datasets it was computed from.
package struct FigureValue: Sendable {
    var value: Decimal
    var unit: String? = nil
    var column: String? = nil
    var sources: [String]
    /// Where the rows behind it come from (the dataset's `role: source` column), and the
    /// rates it was converted at, for the reader.
    var notes: [String] = []

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

    private func call(_ function: String, _ arguments: [FigureExpression], _ filters: [(column: String, value: Value)])
        throws(LocalError) -> FigureValue
    {
        switch function {
        case "sum", "mean", "min", "max", "value", "count":
            guard arguments.count == 1 else {
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
                if function != "count" && function != "value" && !data.columns[c].isNumeric {
                    throw LocalError(
                        "column '\(columnName)' holds \(data.columns[c].type.rawValue); \(function) needs numbers")
                }
                index = c
            }
            var conditions: [(Int, Value)] = []
            for filter in filters {
                guard let c = data.columnIndex(filter.column) else {
                    throw LocalError(
                        "dataset '\(dataset)' has no column '\(filter.column)' to filter on",
                        hint: "its columns: \(data.columns.map(\.name).joined(separator: ", "))")
                }
                conditions.append((c, filter.value))
            }
            let rows = (0..<data.rowCount).filter { r in conditions.allSatisfy { ChartData.equal(data[r, $0.0], $0.1) }
            }
            if rows.isEmpty && !filters.isEmpty {
                throw LocalError(
                    "no row of '\(dataset)' has \(filters.map { "\($0.column)=\($0.value.plainText)" }.joined(separator: ", "))"
                )
            }
            let unit = index.flatMap { data.columns[$0].unit }
            let source = [dataset]
            let notes = data.rowSources(rows).map { "source: \($0)" }
            if function == "count" {
                return FigureValue(value: Decimal(rows.count), unit: nil, column: nil, sources: source, notes: notes)
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
                return FigureValue(value: v, unit: unit, column: columnName, sources: source, notes: notes)
            case "sum":
                return FigureValue(
                    value: values.reduce(0, +), unit: unit, column: columnName, sources: source, notes: notes)
            default:
                guard !values.isEmpty else {
                    throw LocalError("no value of \(dataset).\(columnName!) to take the \(function) of")
                }
                let v: Decimal =
                    function == "mean"
                    ? values.reduce(0, +) / Decimal(values.count) : (function == "min" ? values.min()! : values.max()!)
                return FigureValue(value: v, unit: unit, column: columnName, sources: source, notes: notes)
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
                return FigureValue(
                    value: (b.value - a.value) / a.value, unit: nil, column: nil, sources: sources, notes: notes)
            default:
                guard b.value != 0 else { throw LocalError("\(function) by zero is undefined") }
                return FigureValue(value: a.value / b.value, unit: nil, column: nil, sources: sources, notes: notes)
            }
        default:
            throw LocalError(
                "unknown function '\(function)'",
                hint: "functions: \(FigureExpression.functions.joined(separator: ", "))")
        }
    }
}
