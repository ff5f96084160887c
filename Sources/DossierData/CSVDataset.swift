import Foundation

/// Reads CSV files straight into typed columns: the scanner finds each field's bytes, and
/// each column is parsed from those bytes once, as integers, decimals or interned text, with
/// no string made for a number and one string per distinct text. A dataset may be many files
/// (quarterly registers): each is scanned alone, and their columns are matched by name.
package enum CSVDataset {
    /// Byte ranges of every field, column by column, and the line each row starts on.
    struct Fields {
        var header: [String] = []
        var starts: [[UInt32]] = []
        /// End offsets; the top bit marks a field with doubled quotes to undo.
        var ends: [[UInt32]] = []
        var lines: [UInt32] = []
        /// Columns with no name in the header whose cells are all empty (a trailing comma on
        /// every line): dropped.
        var unnamed: Set<Int> = []
        /// Rows left out by `on_error: skip` because their shape is wrong, with the first reason.
        var skipped = 0
        var firstSkipped: LocalError?
        /// Rows that end with more delimiters than the header has, every extra field empty
        /// (a trailing delimiter): read as they are, and noted once per file.
        var trailingEmpty = 0
        var firstTrailingEmpty: (line: Int, extra: Int)?

        static let escapedBit: UInt32 = 1 << 31
    }

    /// One file of a dataset, as bytes (in UTF-8) and where its fields are.
    struct ScannedFile {
        var path: String
        /// How the file column names it: its path inside `Data/`.
        var label: String
        /// The file as read (or transcoded), never copied: a UTF-8 byte-order mark is left
        /// in place for the scanner to step over.
        var bytes: Data
        var fields: Fields
        /// Header name → column index, after `rename:`, and those names in header order.
        var index: [String: Int] = [:]
        var names: [String] = []
        /// What the bytes say against the declared encoding, as a warning.
        var warnings: [Diagnostic] = []
        var rowCount: Int { fields.lines.count }

        func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
            try CSVDataset.withBytes(bytes, body)
        }
    }

    /// A file to read: where it is, what to call it, and its bytes as stored.
    package struct Input {
        package var path: String
        package var label: String
        package var data: Data

        package init(path: String, label: String, data: Data) {
            self.path = path
            self.label = label
            self.data = data
        }
    }

    /// Reads one file.
    package static func read(
        _ data: Data, name: String, path: String, schema: Schema?, schemaPath: String?
    ) -> (Dataset?, [Diagnostic]) {
        read([Input(path: path, label: path, data: data)], name: name, path: path, schema: schema, schemaPath: schemaPath)
    }

    /// Reads a dataset's files as one table.
    package static func read(
        _ inputs: [Input], name: String, path: String, schema: Schema?, schemaPath: String?
    ) -> (Dataset?, [Diagnostic]) {
        let options = schema?.options ?? Schema.FileOptions()
        var files: [ScannedFile] = []
        var problems: [Diagnostic] = []
        for input in inputs {
            switch scanFile(input, options: options) {
            case .success(let file): files.append(file)
            case .failure(let problem): problems.append(problem)
            }
        }
        guard problems.isEmpty else {
            // The files that scanned still say if they are not UTF-8.
            return (nil, (problems + encodingProblems(files, options)).sorted())
        }
        return assemble(files, name: name, path: path, schema: schema, schemaPath: schemaPath)
    }

    static func scanFile(_ input: Input, options: Schema.FileOptions) -> Result<ScannedFile, Diagnostic> {
        guard input.data.count < Int(Fields.escapedBit) else {
            return .failure(
                Diagnostic(SourceLocation(path: input.path), "CSV file is larger than 2 GB", code: .dataTooLarge))
        }
        var warnings: [Diagnostic] = []
        do throws(Diagnostic) {
            if let warning = try TextEncoding.check(input.data, declared: options.encoding, path: input.path) { warnings.append(warning) }
        } catch {
            return .failure(error)
        }
        let utf8: Data
        do throws(LocalError) {
            utf8 = try TextEncoding.utf8(input.data, declared: options.encoding)
        } catch {
            return .failure(error.diagnostic(in: input.path, code: .sourceEncoding))
        }
        let bytes = utf8
        let fields: Fields
        do throws(LocalError) {
            fields = try withBytes(bytes) { buffer throws(LocalError) in
                try scan(
                    buffer, delimiter: options.delimiter ?? CSVParser.sniffDelimiter(buffer), skipBadRows: options.skipBadRows)
            }
        } catch {
            // A file that is not UTF-8 says so first, whatever else is wrong with it.
            return .failure(
                encodingProblem(bytes, path: input.path, declared: options.encoding)
                    ?? error.diagnostic(in: input.path, code: .dataCSV))
        }
        if let (line, extra) = fields.firstTrailingEmpty {
            let n = fields.trailingEmpty
            var note = Diagnostic(
                SourceLocation(path: input.path, line: line, column: fields.header.count + 1),
                "\(n) row\(n == 1 ? " ends" : "s end") with \(extra == 1 ? "a delimiter" : "\(extra) delimiters") more than the header has, the field\(extra == 1 ? "" : "s") after \(extra == 1 ? "it" : "them") empty: read as \(n == 1 ? "a row" : "rows") of data",
                hint: "nothing to do; a non-empty extra field would be an error", code: .dataCSV)
            note.severity = .warning
            warnings.append(note)
        }
        var file = ScannedFile(path: input.path, label: input.label, bytes: bytes, fields: fields, warnings: warnings)
        for (i, header) in fields.header.enumerated() where !fields.unnamed.contains(i) {
            let name = options.rename[header] ?? header
            if let other = file.index[name] {
                return .failure(
                    Diagnostic(
                        SourceLocation(path: input.path, line: 1, column: i + 1),
                        "columns \(other + 1) and \(i + 1) are both '\(name)' once renamed",
                        hint: "rename only one of them", code: .dataCSV))
            }
            file.index[name] = i
            file.names.append(name)
        }
        return .success(file)
    }

    /// The columns of every file, typed and checked, as one dataset.
    static func assemble(
        _ files: [ScannedFile], name: String, path: String, schema: Schema?, schemaPath: String?
    ) -> (Dataset?, [Diagnostic]) {
        let options = schema?.options ?? Schema.FileOptions()
        // Columns in order of first appearance.
        var order: [String] = []
        var seen: Set<String> = []
        for file in files {
            for header in file.names where seen.insert(header).inserted { order.append(header) }
        }
        let names = order
        let warnings = files.flatMap(\.warnings)
        var problems: [Diagnostic] = []
        // A column from the path may not take the name of a column of the data (or of another).
        let pathColumns = (options.fileColumn.map { [$0] } ?? []) + options.fileColumns.map(\.name)
        for (k, column) in pathColumns.enumerated() where seen.contains(column) || pathColumns[..<k].contains(column) {
            let place = options.pathColumnPlaces[column]
            problems.append(
                Diagnostic(
                    SourceLocation(path: schemaPath ?? path, line: place?.line, column: place?.column),
                    "column '\(column)' from the file's path has the name of \(seen.contains(column) ? "a column of the data" : "another column from the path")",
                    hint: "give it a name of its own, e.g. \(column)_from_path", code: .dataSchema))
        }
        if let schema, let schemaPath {
            problems.append(contentsOf: DatasetLoader.missingColumns(schema, header: names, path: path, schemaPath: schemaPath))
        }
        // A column some files lack must be declared: then those files leave it empty.
        for column in names where schema?.spec(column) == nil {
            guard let with = files.first(where: { $0.index[column] != nil }),
                let without = files.first(where: { $0.index[column] == nil })
            else { continue }
            problems.append(
                Diagnostic(
                    SourceLocation(path: with.path, line: 1, column: with.index[column]! + 1),
                    "column '\(column)' is in \(with.path) but not in \(without.path)",
                    hint: "declare it in the schema's columns (files without it leave it empty), or map it with rename:",
                    code: .dataSchema))
        }
        for column in names {
            guard let spec = schema?.spec(column), spec.column.required,
                let without = files.first(where: { $0.index[column] == nil })
            else { continue }
            problems.append(
                Diagnostic(
                    SourceLocation(path: without.path, line: 1), "\(without.path) has no column '\(column)', which is required",
                    hint: "map its header to it with rename:, or make the column not required", code: .dataSchema))
        }
        guard problems.isEmpty else {
            // Files that are not UTF-8 say so instead: their headers may be what differs.
            let encoding = encodingProblems(files, options)
            return (nil, warnings + (encoding.isEmpty ? problems : encoding))
        }

        // Each column's type: declared, or the narrowest that every file's cells fit.
        let columns: [Column] = names.map { column in
            if let spec = schema?.spec(column) { return spec.column }
            var inferred: Column?
            for file in files {
                guard let c = file.index[column] else { continue }
                let guess = file.withBytes { buffer in
                    infer(column, bytes: buffer, starts: file.fields.starts[c], ends: file.fields.ends[c])
                }
                inferred = inferred.map { merge($0, guess) } ?? guess
            }
            return inferred ?? Column(name: column, type: .text)
        }
        let readings = names.map { column in
            var reading = schema?.spec(column)?.reading ?? ValueReading()
            if schema?.spec(column)?.reading.nullValues.isEmpty ?? true { reading.nullValues = options.nullValues }
            return reading
        }

        // Every file's columns, parsed on all cores.
        var parts: [[DataColumn]] = []
        var skippedRows: [Int] = []
        var problemCount = 0
        var encodingProblems: [Diagnostic] = []
        for file in files {
            struct Built: Sendable {
                var data: DataColumn?
                var problems: [Diagnostic]
                var badRows: [Int]
                var problemCount: Int
            }
            let built: [Built] = file.withBytes { buffer in
                nonisolated(unsafe) let shared = buffer
                return parallelMap(Array(names.indices)) { k -> Built in
                    guard let c = file.index[names[k]] else {
                        return Built(
                            data: DataColumn.empty(columns[k].type, count: file.rowCount), problems: [], badRows: [],
                            problemCount: 0)
                    }
                    var problems: [Diagnostic] = []
                    var badRows: [Int] = []
                    var count = 0
                    let data = build(
                        columns[k], reading: readings[k], index: c, bytes: shared, fields: file.fields, path: file.path
                    ) { row, diagnostic in
                        count += 1
                        if options.skipBadRows {
                            badRows.append(row)
                            if problems.isEmpty { problems.append(diagnostic) }
                        } else if count <= DatasetLoader.maxProblemsPerFile {
                            problems.append(diagnostic)
                        }
                    }
                    return Built(data: data, problems: problems, badRows: badRows, problemCount: count)
                }
            }
            // A byte that is not UTF-8 makes a problem where it stands (a text cell that does not
            // decode, a number that does not read, a row skipped): only then is the whole file
            // checked, so that a file that reads pays no second pass over its bytes.
            if built.contains(where: { $0.data == nil || $0.problemCount > 0 }) || file.fields.skipped > 0,
                let problem = encodingProblem(file.bytes, path: file.path, declared: options.encoding)
            {
                // Only this, for this file: its other problems follow from it.
                encodingProblems.append(problem)
                continue
            }
            var data = built.map { $0.data ?? DataColumn(storage: .values([])) }
            if options.skipBadRows {
                let bad = Set(built.flatMap(\.badRows))
                skippedRows.append(bad.count + file.fields.skipped)
                if let first = file.fields.firstSkipped {
                    var note = first.diagnostic(in: file.path, code: .dataSkippedRows)
                    note.severity = .warning
                    note.message = "skipped \(file.fields.skipped) row\(file.fields.skipped == 1 ? "" : "s") of the wrong shape; the first: \(first.message)"
                    problems.append(note)
                }
                if !bad.isEmpty {
                    let keep = (0..<file.rowCount).filter { !bad.contains($0) }
                    data = data.map { $0.keeping(keep) }
                    // The first problem of the file says what kind of row was left out.
                    if let first = built.flatMap(\.problems).sorted().first {
                        var note = first
                        note.severity = .warning
                        note.code = .dataSkippedRows
                        note.message = "skipped \(bad.count) row\(bad.count == 1 ? "" : "s") whose values do not read; the first: \(first.message)"
                        problems.append(note)
                    }
                }
            } else {
                skippedRows.append(0)
                let fileProblems = built.flatMap(\.problems).sorted()
                let count = built.reduce(0) { $0 + $1.problemCount }
                problems.append(contentsOf: fileProblems.prefix(DatasetLoader.maxProblemsPerFile))
                if count > DatasetLoader.maxProblemsPerFile {
                    problems.append(DatasetLoader.tooManyProblems(count, path: file.path))
                }
                problemCount += count
            }
            parts.append(data)
        }
        guard encodingProblems.isEmpty else { return (nil, warnings + encodingProblems) }
        guard !problems.contains(where: { $0.severity == .error }) else { return (nil, (warnings + problems).sorted()) }
        var allColumns = columns
        var storage: [DataColumn] =
            files.count == 1 ? parts[0] : names.indices.map { k in DataColumn.concatenate(parts.map { $0[k] }) }
        if let fileColumn = options.fileColumn {
            let labels = zip(files, parts).flatMap { file, data in
                [Value](repeating: .text(file.label), count: data.first?.count ?? file.rowCount)
            }
            allColumns.append(Column(name: fileColumn, type: .text, label: "File"))
            storage.append(DataColumn(labels, type: .text))
        }
        // Columns from the files' paths (a fiscal year, a quarter): whole numbers when every
        // file's value is one, years when they all fall between 1800 and 2100.
        for (name, pattern) in options.fileColumns {
            let values: [Value] = files.map { file in
                guard let match = pattern.firstMatch(in: file.label), let group = match[1] else { return .null }
                let text = String(group)
                return Int(text).map { .integer($0) } ?? .text(text)
            }
            let whole = values.allSatisfy { if case .integer = $0 { return true }; return $0.isNull }
            let years = whole && values.allSatisfy { if case .integer(let n) = $0 { return (1800...2100).contains(n) }; return true }
            let cells = zip(values, parts).flatMap { value, data in [Value](repeating: value, count: data.first?.count ?? 0) }
            allColumns.append(Column(name: name, type: whole ? .integer : .text, unit: years ? "year" : nil))
            storage.append(DataColumn(cells, type: whole ? .integer : .text))
        }
        var dataset = Dataset(
            name: name, path: path, columns: allColumns, data: storage,
            rowCount: storage.first?.count ?? 0, meta: schema?.meta ?? DatasetMeta(), hasSchema: schema != nil)
        dataset.files = zip(files, skippedRows).map { file, skipped in
            DatasetFile(path: file.path, label: file.label, rows: file.rowCount + file.fields.skipped - skipped, skipped: skipped)
        }
        return (dataset, warnings + problems)
    }

    /// The error of a file that is not valid UTF-8, at its first bad byte, or nil. Undeclared,
    /// its hint guesses the code page to declare.
    static func encodingProblem(_ bytes: Data, path: String, declared: TextEncoding?) -> Diagnostic? {
        guard declared == nil || declared == .utf8, withBytes(bytes, { String(validating: $0, as: UTF8.self) }) == nil
        else { return nil }
        do throws(Diagnostic) {
            _ = try SourceFiles.decodeUTF8(bytes, path: path)
            return nil
        } catch {
            var problem = error
            if declared == nil {
                let guess = TextEncoding.guess(bytes)
                problem.hint =
                    "if the file is in a Windows or old Mac code page, say so in its schema, e.g. encoding: \(guess.rawValue) (known: \(TextEncoding.names)); or save it as UTF-8"
            }
            return problem
        }
    }

    static func encodingProblems(_ files: [ScannedFile], _ options: Schema.FileOptions) -> [Diagnostic] {
        files.compactMap { encodingProblem($0.bytes, path: $0.path, declared: options.encoding) }
    }

    /// The bytes of `data` as a buffer for the scanner and the column parsers, without a copy.
    static func withBytes<R, E: Error>(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = data.withUnsafeBytes { raw in
            Result { () throws(E) in try body(raw.bindMemory(to: UInt8.self)) }
        }
        return try result.get()
    }

    /// The type two files' cells of one column both fit.
    static func merge(_ a: Column, _ b: Column) -> Column {
        if a.type == b.type { return a.unit == b.unit ? a : Column(name: a.name, type: a.type) }
        if a.isNumeric && b.isNumeric { return Column(name: a.name, type: .number) }
        return Column(name: a.name, type: .text)
    }

    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = UInt8(ascii: ","), skipBadRows: Bool = false
    ) throws(LocalError) -> Fields {
        var out = Fields()
        /// A row of the wrong shape: an error, or left out and counted.
        func bad(_ error: LocalError) throws(LocalError) {
            guard skipBadRows else { throw error }
            out.skipped += 1
            if out.firstSkipped == nil { out.firstSkipped = error }
        }
        var haveHeader = false
        var unnamed: [Int: Int] = [:]  // column → line of its header
        try CSVParser.scan(bytes, delimiter: delimiter) { (record, line) throws(LocalError) in
            if !haveHeader {
                var seen: Set<String> = []
                for (i, field) in record.enumerated() {
                    guard let text = CSVParser.text(bytes, field) else {
                        throw LocalError(line: line, column: i + 1, "header name is not valid UTF-8")
                    }
                    // A byte-order mark inside the header (files joined end to end) is no part
                    // of a name: found by the `draft` fuzz target, where `-` and `\u{FEFF}-`
                    // drafted one schema key twice.
                    let name = text.filter { $0 != "\u{FEFF}" }.trimmingCharacters(in: .whitespaces)
                    if name.isEmpty {
                        unnamed[i] = line
                    } else if !seen.insert(name).inserted {
                        throw LocalError(line: line, column: i + 1, "header names column '\(name)' twice")
                    }
                    out.header.append(name)
                }
                out.starts = Array(repeating: [], count: record.count)
                out.ends = Array(repeating: [], count: record.count)
                haveHeader = true
                return
            }
            let expected = out.header.count
            var record = record
            if record.count > expected,
                record[expected...].allSatisfy({ let (s, e) = trimmed(bytes, $0); return s == e })
            {
                // A trailing delimiter: the extra fields are empty, the row is data.
                out.trailingEmpty += 1
                if out.firstTrailingEmpty == nil { out.firstTrailingEmpty = (line, record.count - expected) }
                record = UnsafeBufferPointer(rebasing: record[..<expected])
            }
            if record.count != expected {
                let tooMany = record.count > expected
                var missing = ""
                if !tooMany {
                    missing =
                        " (no value for " + out.header[record.count...].map { "'\($0)'" }.joined(separator: ", ") + ")"
                }
                var extra = ""
                if tooMany, let first = record[expected...].first(where: { let (s, e) = trimmed(bytes, $0); return s != e }) {
                    let text = CSVParser.text(bytes, first) ?? ""
                    extra = "field \(expected + 1) holds '\(text.count > 40 ? text.prefix(40) + "…" : Substring(text))': "
                }
                try bad(
                    LocalError(
                        line: line, column: tooMany ? expected + 1 : record.count,
                        "row has \(record.count) fields but the header has \(expected)\(missing)",
                        hint: tooMany ? extra + "quote fields that contain the delimiter" : "add the missing fields, even if empty"))
                return
            }
            for (c, field) in record.enumerated() where !unnamed.isEmpty && unnamed[c] != nil {
                if trimmed(bytes, field).0 != trimmed(bytes, field).1 {
                    try bad(
                        LocalError(
                            line: line, column: c + 1, "row has a value in column \(c + 1), which the header leaves unnamed",
                            hint: "name the column in the header, or check the row for a stray delimiter"))
                    return
                }
            }
            for (c, field) in record.enumerated() {
                out.starts[c].append(UInt32(field.start))
                out.ends[c].append(UInt32(field.end) | (field.escaped ? Fields.escapedBit : 0))
            }
            out.lines.append(UInt32(line))
        }
        guard haveHeader else {
            throw LocalError(line: 1, column: 1, "CSV file is empty", hint: "the first line must name the columns")
        }
        out.unnamed = Set(unnamed.keys)
        return out
    }

    // MARK: Fields as values

    static func field(_ starts: [UInt32], _ ends: [UInt32], _ r: Int) -> CSVParser.Field {
        let end = ends[r]
        return CSVParser.Field(
            start: Int(starts[r]), end: Int(end & ~Fields.escapedBit), escaped: end & Fields.escapedBit != 0)
    }

    /// The field without surrounding spaces and tabs.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ f: CSVParser.Field) -> (Int, Int) {
        var s = f.start
        var e = f.end
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x09 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
        return (s, e)
    }

    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        var i = s
        var negative = false
        if i < e, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < e else { return nil }
        var n = 0
        while i < e {
            let d = Int(bytes[i]) - 48
            guard d >= 0, d <= 9 else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            n = a
            i += 1
        }
        return negative ? -n : n
    }

    /// A decimal with up to 18 significant digits parsed from bytes; longer or exponent forms
    /// go through ``DecimalText``.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Decimal? {
        var i = s
        var negative = false
        if i < e, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var significand: UInt64 = 0
        var digits = 0
        var scale = 0
        var seenDot = false
        while i < e {
            let b = bytes[i]
            if b == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
            } else if b >= 48 && b <= 57 {
                if digits >= 18 { return slowDecimal(bytes, s, e) }
                significand = significand * 10 + UInt64(b - 48)
                digits += 1
                if seenDot { scale += 1 }
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                return slowDecimal(bytes, s, e)
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let value = Decimal(sign: negative ? .minus : .plus, exponent: -scale, significand: Decimal(significand))
        return value
    }

    private static func slowDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Decimal? {
        DecimalText.parse(String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self))
    }

    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, strict: Bool) -> Bool? {
        let length = e - s
        guard length >= 2 && length <= 5 else { return nil }
        var word = ""
        for i in s..<e { word.unicodeScalars.append(Unicode.Scalar(bytes[i] | 0x20)) }
        switch word {
        case "true": return true
        case "false": return false
        case "yes": return strict ? nil : true
        case "no": return strict ? nil : false
        default: return nil
        }
    }

    // MARK: Columns

    /// The narrowest type that every non-empty field of a column fits.
    static func infer(_ name: String, bytes: UnsafeBufferPointer<UInt8>, starts: [UInt32], ends: [UInt32]) -> Column {
        var integer = true
        var number = true
        var date = true
        var boolean = true
        var sawValue = false
        var years = true
        for r in starts.indices {
            let (s, e) = trimmed(bytes, field(starts, ends, r))
            if s == e { continue }
            sawValue = true
            if integer {
                if let n = CSVDataset.integer(bytes, s, e) {
                    if !(1800...2100).contains(n) { years = false }
                } else {
                    integer = false
                }
            }
            if !integer && number && decimal(bytes, s, e) == nil { number = false }
            if date
                && (e - s < 10
                    || DateValue(iso: String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self))
                        == nil)
            {
                date = false
            }
            if boolean && CSVDataset.boolean(bytes, s, e, strict: true) == nil { boolean = false }
            if !integer && !number && !date && !boolean { break }
        }
        guard sawValue else { return Column(name: name, type: .text) }
        if integer { return Column(name: name, type: .integer, unit: years ? "year" : nil) }
        if number { return Column(name: name, type: .number) }
        if date { return Column(name: name, type: .date) }
        if boolean { return Column(name: name, type: .boolean) }
        return Column(name: name, type: .text)
    }

    /// Parses a column's fields as its type, reporting every field that breaks the column's
    /// rules with its row. Returns nil if a text field is not valid UTF-8.
    static func build(
        _ column: Column, reading: ValueReading = ValueReading(), index c: Int, bytes: UnsafeBufferPointer<UInt8>,
        fields: Fields, path: String, report: (Int, Diagnostic) -> Void
    ) -> DataColumn? {
        let starts = fields.starts[c]
        let ends = fields.ends[c]
        let count = starts.count
        func location(_ r: Int) -> SourceLocation {
            SourceLocation(path: path, line: Int(fields.lines[r]), column: c + 1)
        }
        func rawText(_ r: Int) -> String {
            let f = field(starts, ends, r)
            return CSVParser.text(bytes, f)
                ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[f.start..<f.end]), as: UTF8.self)
        }
        func empty(_ r: Int) {
            if column.required {
                let (message, hint) = DatasetLoader.requiredProblem(column)
                report(r, Diagnostic(location(r), message, hint: hint, code: .dataValue))
            }
        }
        func wrongType(_ r: Int) {
            let raw = rawText(r)
            var (message, hint) = DatasetLoader.typeProblem(raw, column)
            switch column.type {
            case .integer, .number: hint = reading.numberHint(raw, unit: column.unit, whole: column.type == .integer)
            case .date where !reading.dateFormats.isEmpty:
                hint = "expected " + reading.dateFormats.map(\.pattern).joined(separator: " or ") + " (or YYYY-MM-DD)"
            default: break
            }
            report(r, Diagnostic(location(r), message, hint: hint, code: .dataValue))
        }
        let allowed = column.allowed.map(Set.init)
        func checkAllowed(_ r: Int, _ text: String) {
            if let allowed, !allowed.contains(text) {
                let (message, hint) = DatasetLoader.allowedProblem(text, column)
                report(r, Diagnostic(location(r), message, hint: hint, code: .dataValue))
            }
        }
        // The words that mean "no value", as bytes.
        let nulls = reading.nullValues.map { Array($0.utf8) }.filter { !$0.isEmpty }
        func isNull(_ s: Int, _ e: Int) -> Bool {
            if s == e { return true }
            for word in nulls where word.count == e - s {
                if memcmp(bytes.baseAddress! + s, word, e - s) == 0 { return true }
            }
            return false
        }
        let plain = reading.numbersArePlain
        let currency = Currencies.isCurrency(column.unit)
        func text(_ s: Int, _ e: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)
        }

        /// Parses every field of a numeric column, marking empty ones as missing.
        func numbers<T>(_ zero: T, _ parse: (Int, Int) -> T?, _ text: (T) -> String) -> (values: [T], missing: [Bool]) {
            var values = [T](repeating: zero, count: count)
            var missing: [Bool] = []
            for r in 0..<count {
                let (s, e) = trimmed(bytes, field(starts, ends, r))
                if isNull(s, e) {
                    if missing.isEmpty { missing = Array(repeating: false, count: count) }
                    missing[r] = true
                    empty(r)
                } else if let value = parse(s, e) {
                    values[r] = value
                    if allowed != nil { checkAllowed(r, text(value)) }
                } else {
                    if missing.isEmpty { missing = Array(repeating: false, count: count) }
                    missing[r] = true
                    wrongType(r)
                }
            }
            return (values, missing)
        }
        /// A number as the schema says it is written: straight from the bytes when it can be.
        func readNumber(_ s: Int, _ e: Int) -> Decimal? {
            if plain, let d = decimal(bytes, s, e) { return d }
            guard !plain || reading.groupSeparator != nil || currency || bytes[s] == UInt8(ascii: "(")
                || bytes[s] == 0xE2
            else { return nil }
            return reading.number(text(s, e), unit: column.unit)
        }

        switch column.type {
        case .integer:
            let (values, missing) = numbers(
                0,
                { s, e in
                    if plain, let n = integer(bytes, s, e) { return n }
                    guard let d = readNumber(s, e), NumberFormat.round(d, places: 0) == d else { return nil }
                    return Int(exactly: NSDecimalNumber(decimal: d).int64Value)
                }, { String($0) })
            return DataColumn(storage: .integers(values), missing: missing)
        case .number:
            let (values, missing) = numbers(Decimal(0), readNumber, DecimalText.plain)
            return DataColumn(storage: .numbers(values), missing: missing)
        case .text:
            var pool = ByteTextPool(bytes: bytes)
            var codes = [Int32](repeating: -1, count: count)
            var validity: [Int32: Bool] = [:]
            for r in 0..<count {
                let f = field(starts, ends, r)
                if f.start == f.end || (!nulls.isEmpty && isNull(trimmed(bytes, f).0, trimmed(bytes, f).1)) {
                    empty(r)
                    continue
                }
                guard let code = pool.code(for: f, row: r) else { return nil }
                if code < 0 {
                    empty(r)
                    continue
                }
                codes[r] = code
                if let allowed {
                    if validity[code] == nil { validity[code] = allowed.contains(pool.strings[Int(code)]) }
                    if validity[code] == false { checkAllowed(r, pool.strings[Int(code)]) }
                }
            }
            return DataColumn(storage: .texts(pool: pool.strings, codes: codes))
        case .date, .boolean:
            var values = [Value](repeating: .null, count: count)
            for r in 0..<count {
                let (s, e) = trimmed(bytes, field(starts, ends, r))
                if isNull(s, e) {
                    empty(r)
                    continue
                }
                if column.type == .boolean {
                    guard let b = boolean(bytes, s, e, strict: false) else { wrongType(r); continue }
                    values[r] = .bool(b)
                } else {
                    var date: DateValue?
                    for format in reading.dateFormats {
                        date = format.parse(bytes, s, e)
                        if date != nil { break }
                    }
                    if date == nil {
                        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)
                        else { return nil }
                        date = DateValue(iso: text)
                    }
                    guard let d = date else { wrongType(r); continue }
                    values[r] = .date(d)
                    checkAllowed(r, d.iso)
                }
            }
            return DataColumn(storage: .values(values))
        }
    }
}

/// Interns the text fields of a CSV column by their bytes, so a value seen before costs a hash
/// and a byte comparison, not a new string. A column that turns out to be mostly distinct
/// values (ids, titles) stops interning and stores each string once.
struct ByteTextPool {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var strings: [String] = []
    /// Where each interned string's bytes first appeared.
    private var origins: [CSVParser.Field] = []
    private var byHash: [UInt64: Int32] = [:]
    private var interning = true

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The code of the field's text; -1 for a blank field; nil if it is not valid UTF-8.
    mutating func code(for field: CSVParser.Field, row: Int) -> Int32? {
        if interning {
            let hash = Bytes.fnv1a(
                UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]),
                seed: field.escaped ? 0x9E37_79B9_7F4A_7C15 : 0xCBF2_9CE4_8422_2325)
            if let code = byHash[hash], sameBytes(origins[Int(code)], field) { return code }
            guard let text = CSVParser.text(bytes, field) else { return nil }
            if text.allSatisfy(\.isWhitespace) { return -1 }
            let code = Int32(strings.count)
            strings.append(text)
            origins.append(field)
            if byHash[hash] == nil { byHash[hash] = code }
            // Mostly distinct so far: hashing no longer pays.
            if row == 4095 && strings.count > 2048 {
                interning = false
                byHash = [:]
                origins = []
            }
            return code
        }
        guard let text = CSVParser.text(bytes, field) else { return nil }
        if text.allSatisfy(\.isWhitespace) { return -1 }
        strings.append(text)
        return Int32(strings.count - 1)
    }

    private func sameBytes(_ a: CSVParser.Field, _ b: CSVParser.Field) -> Bool {
        guard a.end - a.start == b.end - b.start, a.escaped == b.escaped else { return false }
        return memcmp(bytes.baseAddress! + a.start, bytes.baseAddress! + b.start, a.end - a.start) == 0
    }
}
