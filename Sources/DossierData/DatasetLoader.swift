import Foundation
import Yams

/// Reads every dataset under `Data/` and checks it against its schema.
package enum DatasetLoader {
    static let extensions: Set = ["csv", "json", "yml", "yaml"]
    /// More problems than this in one file are summarised in a last line.
    static let maxProblemsPerFile = 20

    /// Rows as read, before typing: one value per header column, and where each cell was written.
    package struct RawTable {
        package var header: [String]
        package var rows: [[Value]] = []
        /// (line, column) of each cell, for errors.
        package var positions: [[(Int, Int)]] = []
    }

    /// One dataset to read: its name, what names it in messages, its files and its schema.
    struct Entry {
        var name: String
        /// The file for a dataset of one file; the folder (`Data/NAME/`) or the schema for many.
        var path: String
        var files: [URL]
        var schema: URL?
        /// Read from a folder or `files:`: CSV files joined by column name.
        var joined: Bool
        var aliases: URL?
    }

    /// The names of every dataset file under `Data/`, whether or not it loaded.
    /// `Data/figures.yml` holds named figures, not a dataset.
    static func isDataset(_ url: URL) -> Bool {
        let name = url.lastPathComponent.lowercased()
        return !name.contains(".schema.") && !name.contains(".aliases.") && name != "figures.yml"
            && name != "figures.yaml"
    }

    package static func names(_ project: Project) -> Set<String> {
        Set(plan(project).entries.map(\.name))
    }

    /// `BASE.KIND.yml` (or `.yaml`) beside a dataset, if there is one: its schema or aliases.
    static func sidecar(_ base: URL, _ kind: String) -> URL? {
        ["yml", "yaml"].map { base.appendingPathExtension("\(kind).\($0)") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Which files make which dataset: a file alone; every CSV file under a folder `Data/NAME/`;
    /// the files a schema's `files:` globs match.
    static func plan(_ project: Project) -> (entries: [Entry], problems: [Diagnostic]) {
        var problems: [Diagnostic] = []
        let dataRoot = project.data.standardizedFileURL.path
        let all = SourceFiles.list(in: project.data, extensions: extensions)
        func inside(_ url: URL) -> String {
            let path = url.standardizedFileURL.path
            return path.hasPrefix(dataRoot + "/") ? String(path.dropFirst(dataRoot.count + 1)) : url.lastPathComponent
        }
        let topSchemas = all.filter { $0.lastPathComponent.contains(".schema.") && !inside($0).contains("/") }
        func schemaURL(_ name: String) -> URL? {
            topSchemas.first { String($0.lastPathComponent.prefix { $0 != "." }) == name }
        }
        func aliasesURL(_ name: String) -> URL? { sidecar(project.data.appendingPathComponent(name), "aliases") }
        let dataFiles = all.filter(isDataset)
        var claimed: Set<String> = []
        var entries: [Entry] = []
        // Schemas with files: first.
        for schemaFile in topSchemas {
            let name = String(schemaFile.lastPathComponent.prefix { $0 != "." })
            let relative = project.relative(schemaFile)
            guard let text = try? SourceFiles.readText(schemaFile, relativePath: relative),
                let schema = try? Schema.parse(text), !schema.options.files.isEmpty
            else { continue }
            let members = dataFiles.filter { url in
                let path = inside(url)
                return url.pathExtension.lowercased() == "csv"
                    && schema.options.files.contains { fnmatch($0, path, 0) == 0 }
            }.sorted { inside($0) < inside($1) }
            if members.isEmpty {
                problems.append(
                    Diagnostic(
                        SourceLocation(path: relative, line: schema.filesLine, column: schema.filesColumn),
                        "files: \(schema.options.files.joined(separator: ", ")) matches no CSV file inside Data/",
                        hint: "globs are relative to Data/, e.g. contracts/*.csv", code: .dataFiles))
                continue
            }
            for url in members { claimed.insert(url.path) }
            entries.append(
                Entry(name: name, path: relative, files: members, schema: schemaFile, joined: true, aliases: aliasesURL(name)))
        }
        // Folders: every CSV file under Data/NAME/ not claimed by files:.
        var folders: [String: [URL]] = [:]
        for url in dataFiles where !claimed.contains(url.path) && url.pathExtension.lowercased() == "csv" {
            let path = inside(url)
            guard let slash = path.firstIndex(of: "/") else { continue }
            folders[String(path[..<slash]), default: []].append(url)
        }
        for (name, members) in folders.sorted(by: { $0.key < $1.key }) {
            for url in members { claimed.insert(url.path) }
            entries.append(
                Entry(
                    name: name, path: project.relative(project.data.appendingPathComponent(name)) + "/",
                    files: members.sorted { inside($0) < inside($1) }, schema: schemaURL(name), joined: true,
                    aliases: aliasesURL(name)))
        }
        for url in dataFiles where !claimed.contains(url.path) {
            let name = url.deletingPathExtension().lastPathComponent
            let base = url.deletingPathExtension()
            let schema = sidecar(base, "schema")
            entries.append(
                Entry(
                    name: name, path: project.relative(url), files: [url], schema: schema, joined: false,
                    aliases: aliasesURL(name)))
        }
        return (entries, problems)
    }

    package static func loadAll(_ project: Project, cache: Memo<String, ([FileStamp?], Dataset)>? = nil) -> (
        [Dataset], [Diagnostic]
    ) {
        var bag = DiagnosticBag()
        var datasets: [Dataset] = []
        var byName: [String: String] = [:]
        let (entries, planProblems) = plan(project)
        bag.append(contentsOf: planProblems)
        // Every dataset stays in memory for the whole build: each is checked against the budget
        // with the ones read before it, before it is read.
        var used: Int64 = 0
        for entry in entries {
            let path = entry.path
            let name = entry.name
            if let other = byName[name] {
                bag.append(
                    Diagnostic(
                        SourceLocation(path: path), "dataset name '\(name)' is already taken by \(other)",
                        hint: "rename one of the files", code: .dataDuplicateName))
                continue
            }
            byName[name] = path
            let base = project.data.appendingPathComponent(name)
            let stamps = (entry.files + [
                base.appendingPathExtension("schema.yml"), base.appendingPathExtension("schema.yaml"),
                base.appendingPathExtension("aliases.yml"), base.appendingPathExtension("aliases.yaml"),
            ] + (entry.schema.map { [$0] } ?? [])).map(FileStamp.of)
            if let (cached, dataset) = cache?.get(path), cached == stamps {
                used += dataset.memoryNeeded
                datasets.append(dataset)
                bag.append(contentsOf: dataset.warnings)
                continue
            }
            // The files' stamps come first in `stamps`.
            let size = stamps.prefix(entry.files.count).reduce(0) { $0 + ($1?.size ?? 0) }
            let needed = zip(entry.files, stamps).reduce(0) { $0 + MemoryBudget.estimate($1.0, size: $1.1?.size ?? 0) }
            if let tooLarge = MemoryBudget.check(path: path, size: size, needed: needed, used: used) {
                bag.append(tooLarge)
                continue
            }
            used += needed
            var (dataset, problems) = load(entry, project: project, checksum: true)
            bag.append(contentsOf: problems)
            if dataset != nil {
                var hasher = Hasher()
                hasher.combine(path)
                hasher.combine(stamps)
                for file in dataset!.files { hasher.combine(file.sha256) }
                dataset!.signature = hasher.finalize()
                dataset!.warnings = problems.filter { $0.severity == .warning }
                dataset!.memoryNeeded = needed
            }
            if let dataset {
                datasets.append(dataset)
                cache?.set(path, (stamps, dataset))
            }
        }
        // A schema whose dataset is missing is a mistake worth reporting.
        for url in SourceFiles.list(in: project.data, extensions: ["yml", "yaml"])
        where url.lastPathComponent.contains(".schema.") || url.lastPathComponent.contains(".aliases.") {
            let name = String(url.lastPathComponent.prefix { $0 != "." })
            if byName[name] == nil {
                let what = url.lastPathComponent.contains(".schema.") ? "schema" : "alias file"
                // A schema that does not read (`files:` outside Data/, say) found no dataset
                // because of its own error: that error is what the user must fix.
                if what == "schema" {
                    let relative = project.relative(url)
                    do throws(Diagnostic) {
                        let text = try SourceFiles.readText(url, relativePath: relative)
                        do throws(LocalError) {
                            _ = try Schema.parse(text)
                        } catch {
                            bag.append(error.diagnostic(in: relative, code: .dataSchema))
                            continue
                        }
                    } catch {
                        bag.append(error)
                        continue
                    }
                }
                bag.append(
                    Diagnostic(
                        SourceLocation(path: project.relative(url)), "\(what) has no dataset '\(name)' beside it",
                        hint: "add Data/\(name).csv (or .json, .yml, or a folder Data/\(name)/), or rename the \(what)",
                        code: .dataSchemaAlone))
            }
        }
        return (datasets, bag.items)
    }

    static func load(_ url: URL, name: String, path: String, project: Project, checksum: Bool = false) -> (
        Dataset?, [Diagnostic]
    ) {
        // Read on its own, not by `loadAll` (which counts every dataset against the budget).
        if let tooLarge = MemoryBudget.check(url, path: path) { return (nil, [tooLarge]) }
        let base = url.deletingPathExtension()
        return load(
            Entry(
                name: name, path: path, files: [url], schema: sidecar(base, "schema"), joined: false,
                aliases: sidecar(base, "aliases")), project: project, checksum: checksum)
    }

    static func load(_ entry: Entry, project: Project, checksum: Bool = false) -> (Dataset?, [Diagnostic]) {
        var schema: Schema?
        var schemaPath: String?
        if let schemaURL = entry.schema {
            let relative = project.relative(schemaURL)
            schemaPath = relative
            do {
                let schemaText = try SourceFiles.readText(schemaURL, relativePath: relative)
                do {
                    schema = try Schema.parse(schemaText)
                } catch {
                    return (nil, [error.diagnostic(in: relative, code: .dataSchema)])
                }
            } catch {
                return (nil, [error])
            }
        }
        var inputs: [CSVDataset.Input] = []
        var files: [DatasetFile] = []
        let dataRoot = project.data.standardizedFileURL.path
        let isCSV = entry.joined || entry.files.first?.pathExtension.lowercased() == "csv"
        // A CSV file is read a chunk at a time where it lies; JSON and YAML are read whole.
        var whole: Data?
        for url in entry.files {
            let path = project.relative(url)
            var info = stat()
            guard stat(url.path, &info) == 0, access(url.path, R_OK) == 0 else {
                return (nil, [Diagnostic(SourceLocation(path: path), "cannot read file: \(String(cString: strerror(errno)))", code: .sourceRead)])
            }
            if !isCSV {
                do {
                    whole = try Data(contentsOf: url)
                } catch {
                    return (nil, [Diagnostic(SourceLocation(path: path), "cannot read file: \(String(cString: strerror(EIO)))", code: .sourceRead)])
                }
            }
            let full = url.standardizedFileURL.path
            let label = full.hasPrefix(dataRoot + "/") ? String(full.dropFirst(dataRoot.count + 1)) : url.lastPathComponent
            inputs.append(CSVDataset.Input(path: path, label: label, url: url))
            var file = DatasetFile(path: path, label: label, rows: 0, skipped: 0)
            file.url = url
            file.byteCount = Int(info.st_size)
            files.append(file)
        }
        // The checksums are summed on another thread while the files are parsed: for a large
        // register they were a sixth of reading it.
        let digests = Digests(count: checksum ? inputs.count : 0)
        let summing = DispatchGroup()
        if checksum {
            let paths = entry.files.map(\.path)
            DispatchQueue.global().async(group: summing) {
                for (i, path) in paths.enumerated() { digests.set(i, SHA256.hex(fileAt: path) ?? "") }
            }
        }
        var dataset: Dataset?
        var problems: [Diagnostic]
        if let whole {
            (dataset, problems) = parse(whole, path: inputs[0].path, schema: schema, schemaPath: schemaPath, name: entry.name)
        } else {
            (dataset, problems) = CSVDataset.read(
                inputs, name: entry.name, path: entry.path, schema: schema, schemaPath: schemaPath)
        }
        summing.wait()
        if checksum { for i in files.indices { files[i].sha256 = digests.value(i) } }
        if dataset != nil {
            for (i, read) in dataset!.files.enumerated() where i < files.count {
                files[i].rows = read.rows
                files[i].skipped = read.skipped
                files[i].notData = read.notData
            }
            dataset!.files = files
            if !entry.joined {
                dataset!.sourceURL = entry.files[0]
                dataset!.byteCount = files[0].byteCount
                dataset!.sha256 = files[0].sha256
            }
            do throws(Diagnostic) {
                let aliases = try entry.aliases.map { url throws(Diagnostic) in
                    try NameCleaning.readAliases(url, path: project.relative(url))
                }
                problems += try NameCleaning.apply(to: &dataset!, schema: schema, aliases: aliases ?? [:], aliasesPath: entry.aliases.map(project.relative))
            } catch {
                return (nil, problems + [error])
            }
        }
        if dataset == nil && problems.isEmpty {
            problems = [Diagnostic(SourceLocation(path: entry.path), "cannot read dataset", code: .sourceRead)]
        }
        return (dataset, problems)
    }

    private static func parse(_ data: Data, path: String, schema: Schema?, schemaPath: String?, name: String) -> (
        Dataset?, [Diagnostic]
    ) {
        let ext = (path as NSString).pathExtension.lowercased()
        do {
            let warnings = try TextEncoding.check(data, declared: schema?.options.encoding, path: path).map { [$0] } ?? []
            let bytes: Data
            do throws(LocalError) {
                bytes = try TextEncoding.utf8(data, declared: schema?.options.encoding)
            } catch {
                return (nil, [error.diagnostic(in: path, code: .sourceEncoding)])
            }
            let text = try SourceFiles.decodeUTF8(bytes, path: path)
            do {
                let raw = try readRaw(text, extension: ext)
                let (dataset, problems) = build(raw, name: name, path: path, schema: schema, schemaPath: schemaPath)
                return (dataset, warnings + problems)
            } catch {
                return (nil, [error.diagnostic(in: path, code: .dataFormat)])
            }
        } catch {
            return (nil, [error])
        }
    }

    // MARK: Reading

    /// Reads a JSON or YAML dataset into rows of values.
    package static func readRaw(_ text: String, extension ext: String) throws(LocalError) -> RawTable {
        if ext == "json" { return try readTree(JSONReader.parse(text).tree) }
        guard let node = try YAML.compose(text) else { return RawTable(header: []) }
        return try readTree(node.tree)
    }

    /// A parsed JSON or YAML document, reduced to what datasets need.
    indirect enum Tree {
        case leaf(Value, Int, Int)
        case list([Tree], Int, Int)
        case map([(String, Tree)], Int, Int)

        var position: (Int, Int) {
            switch self {
            case .leaf(_, let l, let c), .list(_, let l, let c), .map(_, let l, let c): return (l, c)
            }
        }

        var value: Value {
            switch self {
            case .leaf(let v, _, _): return v
            case .list(let items, _, _): return .array(items.map(\.value))
            case .map(let pairs, _, _): return .object(pairs.map { ($0.0, $0.1.value) })
            }
        }
    }

    /// An array of objects is a table with one row per object; a single object is one row.
    static func readTree(_ tree: Tree) throws(LocalError) -> RawTable {
        var objects: [([(String, Tree)], Int, Int)] = []
        switch tree {
        case .map(let pairs, let l, let c): objects = [(pairs, l, c)]
        case .list(let items, _, _):
            for item in items {
                guard case .map(let pairs, let l, let c) = item else {
                    let (l, c) = item.position
                    throw LocalError(line: l, column: c, "each entry of a dataset must be an object of column values")
                }
                objects.append((pairs, l, c))
            }
        case .leaf(_, let l, let c):
            throw LocalError(line: l, column: c, "a dataset must be a list of objects, or one object")
        }
        var header: [String] = []
        var known: Set<String> = []
        for (pairs, _, _) in objects {
            for (key, _) in pairs where known.insert(key).inserted { header.append(key) }
        }
        var table = RawTable(header: header)
        for (pairs, l, c) in objects {
            var row = [Value](repeating: .null, count: header.count)
            var positions = [(Int, Int)](repeating: (l, c), count: header.count)
            let index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
            for (key, cell) in pairs {
                let i = index[key]!
                row[i] = cell.value
                positions[i] = cell.position
            }
            table.rows.append(row)
            table.positions.append(positions)
        }
        return table
    }

    // MARK: Typing and checking

    package static func build(
        _ raw: RawTable, name: String, path: String, schema: Schema?, schemaPath: String?
    ) -> (Dataset?, [Diagnostic]) {
        var problems: [Diagnostic] = []
        var columns: [Column] = []
        for (i, header) in raw.header.enumerated() {
            if let spec = schema?.columns.first(where: { $0.column.name == header }) {
                columns.append(spec.column)
            } else {
                var column = Column(name: header, type: infer(raw.rows.lazy.map { $0[i] }))
                // Whole numbers that all fall between 1800 and 2100 are years, as Datawrapper
                // guesses too: shown as 2019, not 2,019.
                if column.type == .integer, looksLikeYears(raw.rows.lazy.map { $0[i] }) { column.unit = "year" }
                columns.append(column)
            }
        }
        if let schema, let schemaPath {
            problems.append(contentsOf: missingColumns(schema, header: raw.header, path: path, schemaPath: schemaPath))
        }
        let options = schema?.options ?? Schema.FileOptions()
        let readings = columns.map { column -> ValueReading in
            var reading = schema?.spec(column.name)?.reading ?? ValueReading()
            if reading.nullValues.isEmpty { reading.nullValues = options.nullValues }
            return reading
        }
        var values = [[Value]](repeating: [], count: columns.count)
        var cellProblems = 0
        var skipped = 0
        var firstSkipped: Diagnostic?
        for (r, rawRow) in raw.rows.enumerated() {
            var row: [Value] = []
            var bad: Diagnostic?
            for (i, column) in columns.enumerated() {
                var cell = rawRow[i]
                if case .text(let s) = cell {
                    let trimmed = s.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty || readings[i].nullValues.contains(trimmed) { cell = .null }
                }
                let (line, col) = raw.positions[r][i]
                if let message = check(cell, column, reading: readings[i]) {
                    let problem = Diagnostic(
                        SourceLocation(path: path, line: line, column: col), message.0, hint: message.1, code: .dataValue)
                    if options.skipBadRows {
                        bad = bad ?? problem
                        continue
                    }
                    cellProblems += 1
                    if cellProblems <= maxProblemsPerFile { problems.append(problem) }
                    row.append(.null)
                    continue
                }
                row.append(coerce(cell, to: column, reading: readings[i]) ?? .null)
            }
            if let bad {
                skipped += 1
                if firstSkipped == nil { firstSkipped = bad }
                continue
            }
            for (i, value) in row.enumerated() { values[i].append(value) }
        }
        if cellProblems > maxProblemsPerFile { problems.append(tooManyProblems(cellProblems, path: path)) }
        guard problems.isEmpty else { return (nil, problems) }
        if let first = firstSkipped {
            var note = first
            note.severity = .warning
            note.code = .dataSkippedRows
            note.message = "skipped \(skipped) row\(skipped == 1 ? "" : "s") whose values do not read; the first: \(first.message)"
            problems.append(note)
        }
        var dataset = Dataset(
            name: name, path: path, columns: columns,
            data: zip(values, columns).map { DataColumn($0, type: $1.type) }, rowCount: raw.rows.count - skipped,
            meta: schema?.meta ?? DatasetMeta(), hasSchema: schema != nil)
        dataset.files = [DatasetFile(path: path, label: path, rows: raw.rows.count - skipped, skipped: skipped)]
        return (dataset, problems)
    }

    /// Schema columns the data does not have.
    static func missingColumns(_ schema: Schema, header: [String], path: String, schemaPath: String) -> [Diagnostic] {
        schema.columns.filter { !header.contains($0.column.name) }.map { spec in
            Diagnostic(
                SourceLocation(path: schemaPath, line: spec.line, column: spec.columnNumber),
                "schema declares column '\(spec.column.name)' but \(path) has no such column",
                hint: "its columns are: \(header.joined(separator: ", "))", code: .dataSchema)
        }
    }

    static func tooManyProblems(_ count: Int, path: String) -> Diagnostic {
        Diagnostic(
            SourceLocation(path: path),
            "\(count - maxProblemsPerFile) more values break the schema (only the first \(maxProblemsPerFile) are listed)"
        , code: .dataValue)
    }

    /// The cell as a value of its column, read as the schema says it is written: numbers
    /// with separators and currency signs, dates in declared formats.
    static func coerce(_ cell: Value, to column: Column, reading: ValueReading) -> Value? {
        if let typed = coerce(cell, to: column.type), column.type != .number || reading.numbersArePlain { return typed }
        guard case .text(let text) = cell else { return nil }
        switch column.type {
        case .number: return reading.number(text, unit: column.unit).map { .number($0) }
        case .integer:
            guard let d = reading.number(text, unit: column.unit), NumberFormat.round(d, places: 0) == d else { return nil }
            return Int(exactly: NSDecimalNumber(decimal: d).int64Value).map { .integer($0) }
        case .date:
            for format in reading.dateFormats { if let date = format.parse(text) { return .date(date) } }
            return nil
        default: return nil
        }
    }

    /// What is wrong with a cell for its column, or nil.
    static func check(_ cell: Value, _ column: Column, reading: ValueReading = ValueReading()) -> (String, String?)? {
        if cell.isNull { return column.required ? requiredProblem(column) : nil }
        guard let typed = coerce(cell, to: column, reading: reading) else {
            var (message, hint) = typeProblem(cell.plainText, column)
            switch column.type {
            case .integer, .number: hint = reading.numberHint(cell.plainText, unit: column.unit, whole: column.type == .integer)
            case .date where !reading.dateFormats.isEmpty:
                hint = "expected " + reading.dateFormats.map(\.pattern).joined(separator: " or ") + " (or YYYY-MM-DD)"
            default: break
            }
            return (message, hint)
        }
        if let allowed = column.allowed, !allowed.contains(typed.plainText) {
            return allowedProblem(cell.plainText, column)
        }
        return nil
    }

    static func requiredProblem(_ column: Column) -> (String, String?) {
        ("column '\(column.name)' is required but this row leaves it empty", nil)
    }

    static func typeProblem(_ raw: String, _ column: Column) -> (String, String?) {
        let hint: String? =
            switch column.type {
            case .integer: "write a whole number with no separators, e.g. 155854000"
            case .number: "write digits with a '.' for decimals and no separators, e.g. 8900000.5"
            case .date: "write dates as YYYY-MM-DD"
            case .boolean: "write true or false"
            case .text: nil
            }
        return ("value '\(raw)' in column '\(column.name)' is not \(article(column.type))", hint)
    }

    static func allowedProblem(_ raw: String, _ column: Column) -> (String, String?) {
        (
            "value '\(raw)' is not allowed in column '\(column.name)'",
            "allowed values: \((column.allowed ?? []).joined(separator: ", "))"
        )
    }

    private static func article(_ type: ColumnType) -> String {
        switch type {
        case .integer: return "an integer"
        case .number: return "a number"
        case .date: return "a date"
        case .boolean: return "true or false"
        case .text: return "text"
        }
    }

    /// The cell as a value of `type`, or nil if it cannot be one.
    package static func coerce(_ cell: Value, to type: ColumnType) -> Value? {
        if cell.isNull { return .null }
        switch type {
        case .text:
            switch cell {
            case .array, .object: return nil
            default: return .text(cell.plainText)
            }
        case .integer:
            switch cell {
            case .integer: return cell
            case .number(let d):
                return NumberFormat.round(d, places: 0) == d
                    ? Int(exactly: NSDecimalNumber(decimal: d).int64Value).map { .integer($0) } : nil
            case .text(let s):
                return Int(s.trimmingCharacters(in: .whitespaces)).map { .integer($0) }
            default: return nil
            }
        case .number:
            switch cell {
            case .integer, .number: return cell
            case .text(let s):
                return DecimalText.parse(s.trimmingCharacters(in: .whitespaces)).map { .number($0) }
            default: return nil
            }
        case .date:
            switch cell {
            case .date: return cell
            case .text(let s): return DateValue(iso: s).map { .date($0) }
            default: return nil
            }
        case .boolean:
            switch cell {
            case .bool: return cell
            case .text(let s):
                switch s.lowercased() {
                case "true", "yes": return .bool(true)
                case "false", "no": return .bool(false)
                default: return nil
                }
            default: return nil
            }
        }
    }

    static func looksLikeYears<S: Sequence<Value>>(_ values: S) -> Bool {
        var any = false
        for value in values where !value.isNull {
            guard case .integer(let n)? = coerce(value, to: .integer), (1800...2100).contains(n) else { return false }
            any = true
        }
        return any
    }

    /// The narrowest type that every non-empty value of a column fits.
    static func infer<S: Sequence<Value>>(_ values: S) -> ColumnType {
        var candidates: [ColumnType] = [.integer, .number, .date, .boolean]
        var sawValue = false
        for value in values where !value.isNull {
            sawValue = true
            candidates.removeAll { coerce(value, to: $0) == nil }
            // Text "yes"/"no" columns stay text unless the schema says boolean.
            if case .text(let s) = value, !["true", "false"].contains(s.lowercased()) {
                candidates.removeAll { $0 == .boolean }
            }
            if candidates.isEmpty { return .text }
        }
        return sawValue ? candidates[0] : .text
    }
}

extension JSONReader.Node {
    var tree: DatasetLoader.Tree {
        switch self {
        case .scalar(let v, let l, let c): return .leaf(v, l, c)
        case .array(let items, let l, let c): return .list(items.map(\.tree), l, c)
        case .object(let pairs, let l, let c): return .map(pairs.map { ($0.0, $0.1.tree) }, l, c)
        }
    }
}

extension Node {
    var tree: DatasetLoader.Tree {
        let (l, c) = (line ?? 1, column ?? 1)
        switch self {
        case .sequence(let seq): return .list(seq.map(\.tree), l, c)
        case .mapping(let map): return .map(map.map { ($0.key.string ?? "", $0.value.tree) }, l, c)
        default: return .leaf(YAML.value(self), l, c)
        }
    }
}

/// The checksums of a dataset's files, filled in by the thread that sums them.
private final class Digests: @unchecked Sendable {
    private var values: [String?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: String) { lock.withLock { values[i] = value } }

    func value(_ i: Int) -> String? { lock.withLock { values[i] } }
}
