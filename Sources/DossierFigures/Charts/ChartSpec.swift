import Yams

/// The kinds of chart Dossier draws.
public enum ChartKind: String, Sendable, CaseIterable {
    case bar, column, line, donut, waffle, timeline, table
}

/// How several series share a category.
public enum StackMode: String, Sendable {
    case none, stacked, percent
}

/// How rows that share an x value (and series) are combined.
public enum Aggregate: String, Sendable, CaseIterable {
    case sum, count, mean, min, max
}

/// A chart as a reporter writes it in a ```` ```chart ```` block: YAML keys, checked.
public struct ChartSpec: Sendable {
    public enum Filter: Sendable {
        case oneOf(column: String, values: [Value])
        case range(column: String, min: Value?, max: Value?)

        var column: String {
            switch self {
            case .oneOf(let c, _), .range(let c, _, _): return c
            }
        }
    }

    public struct Sort: Sendable {
        public enum Key: String, Sendable { case value, label, time }
        public var by: Key
        public var descending: Bool
    }

    public var type: ChartKind
    public var data: String
    public var x: String?
    public var y: [String] = []
    public var series: String?
    public var filters: [Filter] = []
    public var sort: Sort?
    public var limit: Int?
    public var aggregate: Aggregate?
    public var format: String?
    public var title: String?
    public var subtitle: String?
    public var note: String?
    public var source: String?
    public var alt: String?
    public var height: Int?
    /// Colours by category or series value: a palette name or `#rrggbb`.
    public var colors: [String: String] = [:]
    public var highlight: [String] = []
    public var stack: StackMode = .none
    /// Display names for raw values (`no_bidders: Without a valid bidder`).
    public var labels: [String: String] = [:]
    /// Timeline: the column holding each event's text.
    public var label: String?
    /// Table: the columns to show, in order.
    public var columns: [String] = []
    /// A stable name for the chart's CSV file and ids.
    public var id: String?
    /// Named figures to plot instead of a dataset: each category's label and figure name.
    public var figures: [(label: String, name: String)] = []
    /// Amounts converted to another currency at the rate of a date or year (`Data/rates.csv`).
    public var convert: Conversion?
    /// Dates on `x` grouped into days, weeks, months, quarters or years.
    public var interval: TimeBucket.Interval?
    /// The month a fiscal year starts in (7 for July): years and quarters are fiscal ones.
    public var fiscalYearStart: Int?
    /// Buckets with no row: a zero (`zero`, for sums and counts) or a gap in the line (`gap`).
    public var missingAsGap: Bool?
    /// With `limit:`, the categories past it folded into one, "Other (N items)".
    public var other: Bool?
    /// How the rows' sources (`role: source`) are cited under the chart.
    public var sources: SourcesMode = .summary

    public enum SourcesMode: String, Sendable {
        /// Up to five listed; beyond that one line, and the CSV lists each category's.
        case summary
        case all, none
    }

    public struct Conversion: Sendable {
        /// `USD` (from tenge) or `KZT` (from dollars).
        public var to: String
        /// `year` or `date`, and its value.
        public var by: String
        public var when: Value
    }

    /// Line (within the spec) of each key, for errors about its value.
    var keyLines: [String: (Int, Int)] = [:]

    static let knownKeys = [
        "type", "data", "x", "y", "series", "color", "filter", "sort", "limit", "aggregate", "format", "title",
        "subtitle", "note", "source", "alt", "height", "colors", "highlight", "stack", "labels", "label",
        "columns", "id", "figures", "convert", "interval", "fiscal_year_start", "missing", "other", "sources",
    ]

    /// Where a key was written inside the spec, or the spec's first line.
    func position(of key: String) -> (Int, Int) { keyLines[key] ?? (1, 1) }

    /// Parses and checks the YAML of a chart block. Lines in errors count within `text`.
    static func parse(_ text: String) throws(LocalError) -> ChartSpec {
        guard let root = try YAML.compose(text) else {
            throw LocalError(line: 1, column: 1, "chart block is empty", hint: "give at least `type:` and `data:`")
        }
        guard root.isMapping else { throw root.error("a chart spec must be a mapping of keys") }
        let pairs = try root.knownPairs(knownKeys) { "unknown chart key '\($0)'" }
        let nodes = pairs.mapValues(\.value)
        let lines = pairs.mapValues { ($0.key.line ?? 1, $0.key.column ?? 1) }
        guard let typeNode = nodes["type"] else {
            throw LocalError(
                line: 1, column: 1, "chart has no type",
                hint: "add `type:` with one of \(ChartKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let typeName = try typeNode.text("type")
        guard let type = ChartKind(rawValue: typeName) else {
            throw typeNode.error(
                "unknown chart type '\(typeName)'",
                hint: "known types: \(ChartKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if nodes["data"] != nil, let figures = nodes["figures"] {
            throw figures.error("a chart plots a dataset (`data:`) or named figures (`figures:`), not both")
        }
        guard let dataNode = nodes["data"] ?? nodes["figures"] else {
            throw LocalError(
                line: 1, column: 1, "chart has no data",
                hint: "add `data:` with the name of a dataset in Data/, or `figures:` with named figures")
        }
        var spec = ChartSpec(type: type, data: nodes["data"] == nil ? "" : try dataNode.text("data"))
        if let figures = nodes["figures"] {
            guard figures.isMapping else {
                throw figures.error("figures must map each label to a named figure, e.g. 2013-2017: budget_2013_2017")
            }
            for (label, name) in figures.pairs { spec.figures.append((label, try name.text("figure"))) }
        }
        spec.keyLines = lines
        for (key, node) in nodes.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "type", "data", "figures": break
            case "convert":
                var conversion = Conversion(to: "", by: "", when: .null)
                for (ckey, cnode) in node.pairs {
                    switch ckey {
                    case "to":
                        conversion.to = try cnode.text("convert.to").uppercased()
                        guard ["USD", "KZT"].contains(conversion.to) else {
                            throw cnode.error("convert.to must be USD or KZT")
                        }
                    case "year", "date":
                        conversion.by = ckey
                        conversion.when = YAML.value(cnode)
                    default: throw cnode.error("unknown convert key '\(ckey)'", hint: "known: to, year, date")
                    }
                }
                guard !conversion.to.isEmpty, !conversion.by.isEmpty else {
                    throw node.error("convert needs `to:` and a `year:` or `date:`, e.g. {to: USD, year: 2019}")
                }
                spec.convert = conversion
            case "x": spec.x = try node.text("x")
            case "y": spec.y = try node.strings("y")
            case "series", "color": spec.series = try node.text(key)
            case "filter": spec.filters = try parseFilters(node)
            case "sort": spec.sort = try parseSort(node)
            case "limit":
                guard case .integer(let n) = YAML.value(node), n > 0 else {
                    throw node.error("limit must be a whole number above 0")
                }
                spec.limit = n
            case "aggregate":
                let name = try node.text("aggregate")
                guard let aggregate = Aggregate(rawValue: name) else {
                    throw node.error(
                        "unknown aggregate '\(name)'",
                        hint: "use one of \(Aggregate.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                spec.aggregate = aggregate
            case "format":
                let name = try node.text("format")
                guard NumberFormat.numberTransforms.contains(where: { $0.name == name }) else {
                    throw node.error(
                        "unknown format '\(name)'",
                        hint: "use one of \(NumberFormat.numberTransforms.map(\.name).joined(separator: ", "))")
                }
                spec.format = name
            case "title": spec.title = try node.text("title")
            case "subtitle": spec.subtitle = try node.text("subtitle")
            case "note": spec.note = try node.text("note")
            case "source": spec.source = try node.text("source")
            case "alt": spec.alt = try node.text("alt")
            case "id":
                let id = try node.text("id")
                guard !Slug.make(id, scheme: .unicode).isEmpty, Slug.make(id, scheme: .unicode) == id else {
                    throw node.error(
                        "id '\(id)' must be lower-case letters, digits and '-'", hint: "e.g. budget-by-period")
                }
                spec.id = id
            case "height":
                guard case .integer(let n) = YAML.value(node), (80...2000).contains(n) else {
                    throw node.error("height must be a whole number of pixels between 80 and 2000")
                }
                spec.height = n
            case "colors": spec.colors = try Palette.parse(node)
            case "highlight": spec.highlight = try node.strings("highlight")
            case "stack":
                switch YAML.value(node) {
                case .bool(let b): spec.stack = b ? .stacked : .none
                case .text("percent"): spec.stack = .percent
                case .text("stacked"): spec.stack = .stacked
                default: throw node.error("stack must be true, false or percent")
                }
            case "labels":
                guard node.isMapping else { throw node.error("labels must map raw values to display names") }
                for (value, labelNode) in node.pairs { spec.labels[value] = try labelNode.text("label") }
            case "label": spec.label = try node.text("label")
            case "interval":
                let name = try node.text("interval")
                guard let interval = TimeBucket.Interval(rawValue: name) else {
                    throw node.error("unknown interval '\(name)'", hint: "use day, week, month, quarter or year")
                }
                spec.interval = interval
            case "sources":
                let name = try node.text("sources")
                guard let mode = SourcesMode(rawValue: name) else {
                    throw node.error("sources must be summary, all or none")
                }
                spec.sources = mode
            case "fiscal_year_start":
                guard case .integer(let month) = YAML.value(node), (1...12).contains(month) else {
                    throw node.error("fiscal_year_start is the month the fiscal year starts in, 1 to 12 (7 for July)")
                }
                spec.fiscalYearStart = month
            case "missing":
                switch try node.text("missing") {
                case "gap": spec.missingAsGap = true
                case "zero": spec.missingAsGap = false
                default: throw node.error("missing must be zero or gap")
                }
            case "other":
                guard case .bool(let on) = YAML.value(node) else { throw node.error("other must be true or false") }
                spec.other = on
            case "columns": spec.columns = try node.strings("columns")
            default: break
            }
        }
        if !spec.figures.isEmpty {
            // Named figures chart as a dataset of label and value.
            if spec.x == nil { spec.x = "label" }
            if spec.y.isEmpty { spec.y = ["value"] }
        }
        try spec.checkRequiredKeys()
        return spec
    }

    private func checkRequiredKeys() throws(LocalError) {
        func need(_ present: Bool, _ message: String, hint: String? = nil) throws(LocalError) {
            if !present { throw LocalError(line: 1, column: 1, message, hint: hint) }
        }
        switch type {
        case .bar, .column, .line, .donut, .waffle:
            if y.count > 1 && series != nil {
                let (l, c) = position(of: "series")
                throw LocalError(line: l, column: c, "a chart takes several y columns or a series column, not both")
            }
            if x == nil {
                // One row, several y columns: each column is a category (waffle, donut, bar).
                try need(
                    y.count > 1, "\(type.rawValue) chart needs `x:` (the category column)",
                    hint: "or list several y columns to compare the columns of one row")
            } else if aggregate != .count {
                try need(
                    !y.isEmpty, "\(type.rawValue) chart needs `y:` (the value column)",
                    hint: "or `aggregate: count` to count rows")
            }
        case .timeline:
            try need(label != nil, "timeline needs `label:` (the column holding each event's text)")
        case .table:
            break
        }
        if interval != nil || fiscalYearStart != nil, x == nil {
            let (l, c) = position(of: interval != nil ? "interval" : "fiscal_year_start")
            throw LocalError(line: l, column: c, "interval needs `x:`, a date column")
        }
        if fiscalYearStart != nil, interval != .year, interval != .quarter {
            let (l, c) = position(of: "fiscal_year_start")
            throw LocalError(line: l, column: c, "fiscal_year_start goes with interval: year or quarter")
        }
        if stack != .none, type != .bar, type != .column {
            let (l, c) = position(of: "stack")
            throw LocalError(line: l, column: c, "only bar and column charts can be stacked")
        }
    }

    private static func parseFilters(_ node: Node) throws(LocalError) -> [Filter] {
        guard node.isMapping else {
            throw node.error("filter must map column names to a value, a list of values, or {min, max}")
        }
        var filters: [Filter] = []
        for (column, condition) in node.pairs {
            switch condition {
            case .sequence(let seq): filters.append(.oneOf(column: column, values: seq.map(YAML.value)))
            case .mapping:
                var min: Value?
                var max: Value?
                for (key, bound) in condition.pairs {
                    switch key {
                    case "min": min = YAML.value(bound)
                    case "max": max = YAML.value(bound)
                    default: throw bound.error("unknown filter bound '\(key)'", hint: "use min and max")
                    }
                }
                filters.append(.range(column: column, min: min, max: max))
            default: filters.append(.oneOf(column: column, values: [YAML.value(condition)]))
            }
        }
        return filters
    }

    private static func parseSort(_ node: Node) throws(LocalError) -> Sort {
        if case .scalar = node {
            var text = try node.text("sort")
            let descending = text.hasPrefix("-")
            if descending { text.removeFirst() }
            guard let by = Sort.Key(rawValue: text) else {
                throw node.error("sort must be value, -value, label, -label, time or -time")
            }
            return Sort(by: by, descending: descending)
        }
        guard let byNode = node[key: "by"], let by = Sort.Key(rawValue: try byNode.text("sort.by")) else {
            throw node.error("sort needs `by: value` or `by: label`")
        }
        var descending = false
        if let order = node[key: "order"] {
            switch try order.text("sort.order") {
            case "ascending": descending = false
            case "descending": descending = true
            default: throw order.error("sort order must be ascending or descending")
            }
        }
        return Sort(by: by, descending: descending)
    }
}
