import Foundation
import Yams

/// A dataset's sidecar `Data/NAME.schema.yml`: metadata and column declarations.
package struct Schema: Sendable {
    struct ColumnSpec: Sendable {
        var column: Column
        /// Where the column is declared, for "the data has no such column" errors.
        var line: Int?
        var columnNumber: Int?
        var reading = ValueReading()
    }

    /// How the dataset's files are read: dataset-wide keys of the schema.
    package struct FileOptions: Sendable {
        package var encoding: TextEncoding?
        /// The field separator; sniffed from the header when not declared.
        package var delimiter: UInt8?
        /// Cells that mean "no value" in every column (a column's own list replaces it).
        package var nullValues: [String] = []
        /// `on_error: skip`: rows with a value that does not read are left out and counted.
        package var skipBadRows = false
        /// `max_skipped:` how many rows `on_error: skip` may leave out of the dataset before the
        /// build fails: a count, or a share of the rows (1% unless the schema says).
        package var maxSkipped: SkipCeiling = .share(0.01)
        /// `totals:` what lines that look like totals are: `drop` (left out, each checked
        /// against the sum of its rows) or `data`; nil, undeclared, makes each one an error.
        package var totals: TotalsLines?
        /// Globs inside `Data/` whose files together are the dataset.
        package var files: [String] = []
        /// Headers that name a column differently in some files: header → column.
        package var rename: [String: String] = [:]
        /// A column added to say which file each row comes from.
        package var fileColumn: String?
        /// Columns taken from each file's path: name → a regular expression whose first group
        /// is the value (`fiscal_year: "FY-(\\d{4})"`), matched in linear time.
        package var fileColumns: [(name: String, pattern: LinearPattern)] = []
        /// Where each column from the path (`file_column`, `file_columns`) is named, for errors.
        package var pathColumnPlaces: [String: (line: Int?, column: Int?)] = [:]
    }

    /// How many rows `on_error: skip` may leave out.
    package enum SkipCeiling: Sendable, Equatable {
        case rows(Int)
        case share(Double)

        /// The ceiling for a dataset of `rows` rows.
        func limit(of rows: Int) -> Int {
            switch self {
            case .rows(let n): return n
            case .share(let p): return Int((Double(rows) * p).rounded(.down))
            }
        }

        var text: String {
            switch self {
            case .rows(let n): return "\(n) row\(n == 1 ? "" : "s")"
            case .share(let p): return "\(DecimalText.plain(Decimal(p * 100)))% of the rows"
            }
        }
    }

    /// What a line that looks like a total is.
    package enum TotalsLines: String, Sendable {
        case drop, data
    }

    var meta = DatasetMeta()
    var columns: [ColumnSpec] = []
    package var options = FileOptions()
    /// Where `files:` is written, for errors about it.
    var filesLine: Int?
    var filesColumn: Int?

    /// The declaration of a column, if the schema has one.
    func spec(_ name: String) -> ColumnSpec? { columns.first { $0.column.name == name } }

    static let knownKeys =
        "title, source, licence, notes, figures, columns, encoding, delimiter, null_values, on_error, max_skipped, totals, files, rename, file_column, file_columns"
    static let knownColumnKeys =
        "type, required, values, unit, currency, label, description, role, format, decimal_separator, group_separator, null_values, normalize, suffixes, decimals"

    package static func parse(_ text: String) throws(LocalError) -> Schema {
        guard let root = try YAML.compose(text) else { return Schema() }
        guard root.isMapping else { throw root.error("a schema must be a mapping with 'columns:' and metadata") }
        var schema = Schema()
        for (key, node) in root.pairs {
            switch key {
            case "title": schema.meta.title = try node.text("title")
            case "licence", "license": schema.meta.licence = try node.text("licence")
            case "notes": schema.meta.notes = try node.text("notes")
            case "source":
                if case .scalar = node {
                    schema.meta.sourceName = try node.text("source")
                    continue
                }
                for (skey, snode) in node.pairs {
                    switch skey {
                    case "name": schema.meta.sourceName = try snode.text("source.name")
                    case "url":
                        let url = try snode.text("source.url")
                        guard SafeURL.isAllowed(url) else {
                            throw snode.error(
                                SafeURL.problem("source.url", url), hint: "write the address as https://…")
                        }
                        schema.meta.sourceURL = url
                    case "retrieved":
                        let text = try snode.text("source.retrieved")
                        guard let date = DateValue(iso: text) else {
                            throw snode.error("source.retrieved '\(text)' is not an ISO 8601 date")
                        }
                        schema.meta.retrieved = date
                    default:
                        throw snode.error("unknown source key '\(skey)'", hint: "known: name, url, retrieved")
                    }
                }
            case "figures":
                for (fkey, fnode) in node.pairs {
                    switch fkey {
                    case "name": schema.meta.figureName = try fnode.text("figures.name")
                    case "value": schema.meta.figureValue = try fnode.text("figures.value")
                    default: throw fnode.error("unknown figures key '\(fkey)'", hint: "known: name, value")
                    }
                }
                guard schema.meta.figureName != nil, schema.meta.figureValue != nil else {
                    throw node.error(
                        "figures needs the column of names and the column of values: {name: id, value: value}")
                }
                schema.meta.figuresLine = node.line
                schema.meta.figuresColumn = node.column
            case "encoding":
                let name = try node.text("encoding")
                guard let encoding = TextEncoding(name: name) else {
                    throw node.error("unknown encoding '\(name)'", hint: "known: \(TextEncoding.names)")
                }
                schema.options.encoding = encoding
            case "delimiter":
                let text = try node.text("delimiter")
                let named: [String: String] = ["comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"]
                let value = named[text.lowercased()] ?? text
                guard value.utf8.count == 1, let byte = value.utf8.first, byte != UInt8(ascii: "\""), byte != 0x0A,
                    byte != 0x0D
                else {
                    throw node.error(
                        "delimiter '\(text)' is not one character", hint: "use comma, semicolon, tab, pipe or one ASCII character")
                }
                schema.options.delimiter = byte
            case "null_values": schema.options.nullValues = try node.strings("null_values")
            case "on_error":
                let text = try node.text("on_error")
                guard text == "skip" || text == "fail" else {
                    throw node.error("on_error must be 'skip' or 'fail'", hint: "skip leaves out rows whose values do not read, and counts them")
                }
                schema.options.skipBadRows = text == "skip"
            case "max_skipped":
                let text = try node.text("max_skipped").trimmingCharacters(in: .whitespaces)
                if text.hasSuffix("%"), let p = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), p >= 0, p <= 100 {
                    schema.options.maxSkipped = .share(p / 100)
                } else if let n = Int(text), n >= 0 {
                    schema.options.maxSkipped = .rows(n)
                } else {
                    throw node.error(
                        "max_skipped '\(text)' is neither a number of rows nor a share such as 0.5%",
                        hint: "write max_skipped: 20 (rows) or max_skipped: 0.5% (of the dataset's rows)")
                }
            case "totals":
                let text = try node.text("totals")
                guard let totals = TotalsLines(rawValue: text) else {
                    throw node.error(
                        "totals must be 'drop' or 'data'",
                        hint: "drop leaves out lines that look like totals, each checked against the sum of its rows; data reads them as rows")
                }
                schema.options.totals = totals
            case "files":
                schema.options.files = try node.strings("files")
                schema.filesLine = node.line
                schema.filesColumn = node.column
                for glob in schema.options.files where glob.hasPrefix("/") || glob.split(separator: "/").contains("..") {
                    throw node.error("files: '\(glob)' is not inside Data/", hint: "write globs relative to Data/, e.g. contracts/*.csv")
                }
            case "rename":
                guard node.isMapping else { throw node.error("rename maps a header to the column it is: {contract_amount: amt}") }
                for (from, to) in node.pairs { schema.options.rename[from] = try to.text("rename.\(from)") }
            case "file_column":
                let name = try node.text("file_column")
                schema.options.fileColumn = name
                schema.options.pathColumnPlaces[name] = (node.line, node.column)
            case "file_columns":
                guard node.isMapping else {
                    throw node.error("file_columns maps a column name to a pattern of the file path: {fiscal_year: \"FY-(\\\\d{4})\"}")
                }
                for (name, patternNode) in node.pairs {
                    if schema.options.pathColumnPlaces[name] != nil {
                        throw patternNode.error("column '\(name)' is already taken from the path", hint: "give each column from the path its own name")
                    }
                    schema.options.pathColumnPlaces[name] = (patternNode.line, patternNode.column)
                    let text = try patternNode.text("file_columns.\(name)")
                    let pattern: LinearPattern
                    do throws(LinearPattern.Problem) {
                        pattern = try LinearPattern(text)
                    } catch {
                        throw patternNode.error(
                            "'\(text)' is not a pattern Dossier reads: \(error.message) (at character \(error.offset + 1))",
                            hint: "the first (…) group is the value, e.g. FY-(\\d{4}); backreferences and look-around are not supported")
                    }
                    guard pattern.groupCount >= 1 else {
                        throw patternNode.error(
                            "'\(text)' has no (…) group to take the value from", hint: "the first (…) group is the value, e.g. FY-(\\d{4})")
                    }
                    schema.options.fileColumns.append((name, pattern))
                }
            case "columns":
                guard case .mapping(let map) = node else {
                    throw node.error("columns must map each column name to its declaration")
                }
                for pair in map {
                    schema.columns.append(try parseColumn(pair.key.string ?? "", pair.value, key: pair.key))
                }
            default:
                throw node.error("unknown schema key '\(key)'", hint: "known: \(knownKeys)")
            }
        }
        return schema
    }

    private static func parseColumn(_ name: String, _ spec: Node, key keyNode: Node) throws(LocalError) -> ColumnSpec {
        var column = Column(name: name, type: .text)
        var reading = ValueReading()
        // A bare type: `year: integer`.
        if case .scalar = spec {
            column.type = try type(spec)
            return ColumnSpec(column: column, line: keyNode.line, columnNumber: keyNode.column)
        }
        var suffixes: [[String]] = []
        guard spec.isMapping else { throw spec.error("column '\(name)' must be a type or a mapping") }
        var hasType = false
        for (key, node) in spec.pairs {
            switch key {
            case "type":
                column.type = try type(node)
                hasType = true
            case "required": column.required = try node.bool("required")
            case "values", "allowed": column.allowed = try node.strings("values")
            case "unit", "currency": column.unit = try node.text(key)
            case "label": column.label = try node.text("label")
            case "description": column.description = try node.text("description")
            case "role":
                let role = try node.text("role")
                guard role == "source" else {
                    throw node.error(
                        "unknown column role '\(role)'", hint: "the one role is 'source': where each row comes from")
                }
                column.role = role
            case "format":
                for pattern in try node.strings("format") {
                    guard let format = DateFormat(pattern) else {
                        throw node.error(
                            "date format '\(pattern)' needs a year, a month and a day",
                            hint: "e.g. M/D/YYYY, DD.MM.YYYY, YYYYMMDD (tokens YYYY YY MM M MMM DD D hh mm ss)")
                    }
                    reading.dateFormats.append(format)
                }
            case "decimal_separator", "group_separator":
                var text = try node.text(key)
                if text.lowercased() == "space" { text = " " }
                guard text.count == 1, let c = text.first, !c.isNumber else {
                    throw node.error("\(key) must be one character, such as \",\" or \".\" or \"space\"")
                }
                if key == "decimal_separator" { reading.decimalSeparator = c } else { reading.groupSeparator = c }
            case "null_values": reading.nullValues = try node.strings("null_values")
            case "decimals":
                guard case .integer(let n) = YAML.value(node), (0...6).contains(n) else {
                    throw node.error("decimals must be a whole number from 0 to 6")
                }
                column.decimals = n
            case "normalize":
                if case .scalar = node, case .bool(let on) = YAML.value(node) {
                    reading.normalize = on ? .all : nil
                    continue
                }
                var n = NameNormalizer()
                n.trim = false
                n.collapseSpaces = false
                for step in try node.strings("normalize") {
                    switch step {
                    case "trim": n.trim = true
                    case "spaces", "collapse_spaces": n.collapseSpaces = true
                    case "case", "case_fold": n.caseFold = true
                    case "punctuation", "strip_punctuation": n.stripPunctuation = true
                    case "suffixes": n.suffixes = NameNormalizer.defaultSuffixes
                    default:
                        throw node.error(
                            "unknown normalize step '\(step)'", hint: "known: trim, spaces, case, punctuation, suffixes (or true for all)")
                    }
                }
                reading.normalize = n
            case "suffixes":
                guard case .sequence(let groups) = node else {
                    throw node.error("suffixes is a list of lists of equal suffixes: [[Pty Ltd, Pty Limited]]")
                }
                for group in groups { suffixes.append(try group.strings("each entry of suffixes")) }
            default:
                throw node.error("unknown column key '\(key)'", hint: "known: \(knownColumnKeys)")
            }
        }
        if !hasType, column.allowed == nil { column.type = .text }
        if !suffixes.isEmpty {
            var n = reading.normalize ?? NameNormalizer()
            n.suffixes = suffixes + (n.suffixes.isEmpty ? [] : n.suffixes)
            reading.normalize = n
        }
        if !reading.dateFormats.isEmpty, column.type != .date {
            throw spec.error("column '\(name)' has a date format but is not of type date", hint: "add type: date")
        }
        if reading.normalize != nil, column.type != .text {
            throw spec.error("column '\(name)' is normalized but is not text", hint: "normalize cleans names: use it on text columns")
        }
        if reading.groupSeparator != nil, reading.groupSeparator == reading.decimalSeparator {
            throw spec.error("column '\(name)' uses the same character between thousands and for decimals")
        }
        var out = ColumnSpec(column: column, line: keyNode.line, columnNumber: keyNode.column)
        out.reading = reading
        return out
    }

    private static func type(_ node: Node) throws(LocalError) -> ColumnType {
        let text = try node.text("type")
        guard let type = ColumnType(rawValue: text) else {
            throw node.error(
                "unknown column type '\(text)'",
                hint: "use one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return type
    }
}
