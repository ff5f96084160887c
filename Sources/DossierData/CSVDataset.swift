import Foundation

/// Reads CSV files straight into typed columns, a chunk of records at a time: a file on disk
/// is read through a buffer of a few megabytes, twice (once for its shape and the types of
/// undeclared columns, once to type its cells), so a register of a gigabyte needs memory for
/// its typed columns, not for its bytes. The scanner finds each field's bytes, and each column
/// is parsed from them once, as integers, decimals or interned text and dates, with no string
/// made for a number. A dataset may be many files (quarterly registers): their columns are
/// matched by name.
package enum CSVDataset {
    /// Byte ranges of every field of one chunk, column by column, and the line each row starts on.
    struct Fields {
        var starts: [[UInt32]] = []
        /// End offsets; the top bit marks a field with doubled quotes to undo.
        var ends: [[UInt32]] = []
        var lines: [UInt32] = []

        var rowCount: Int { lines.count }

        static let escapedBit: UInt32 = 1 << 31
    }

    /// Where a file's bytes are: on disk, read a chunk at a time (UTF-8 as stored, or in a
    /// code page of a byte per character, each chunk transcoded as it is read), or in memory
    /// (given, or transcoded whole from UTF-16).
    enum Source {
        case disk(String, transcoding: TextEncoding? = nil)
        case memory(Data)
    }

    /// What a file's records are, learnt in the first pass and checked in the second: the
    /// header, the rows of the wrong shape, and the rows that end with empty extra fields.
    struct Shape {
        var delimiter: UInt8
        var skipBadRows: Bool
        var header: [String] = []
        /// Columns with no name in the header (and their header's line).
        var unnamed: [Int: Int] = [:]
        var haveHeader = false
        /// Rows read as data.
        var rows = 0
        /// Rows left out by `on_error: skip` because their shape is wrong, with the first reason.
        var skipped = 0
        var firstSkipped: LocalError?
        /// Rows that end with more delimiters than the header has, every extra field empty
        /// (a trailing delimiter): read as they are, and noted once per file.
        var trailingEmpty = 0
        var firstTrailingEmpty: (line: Int, extra: Int)?
        /// The line the next chunk starts on.
        var nextLine = 1
        /// Whether lines that look like totals are noted (all but `totals: data`).
        var findsTotals = true
        /// Rows that look like totals (their index among the file's rows, and line): typed with
        /// the others, then checked against the sum of the rows above them.
        var totals: [(row: Int, line: Int)] = []
        /// Lines whose every field is empty: no row of data, left out and noted.
        var blankLines = 0
        var firstBlankLine: Int?
        /// Lines that repeat the header (files joined end to end): left out and noted.
        var headerLines = 0
        var firstHeaderLine: Int?
        /// The header's names as bytes, for finding it repeated.
        private var headerBytes: [[UInt8]] = []

        init(delimiter: UInt8, skipBadRows: Bool, findsTotals: Bool = true) {
            self.delimiter = delimiter
            self.skipBadRows = skipBadRows
            self.findsTotals = findsTotals
        }

        /// The fields of the chunk's rows of data, checking each row's shape.
        mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(LocalError) -> Fields {
            var out = Fields()
            if haveHeader {
                out.starts = Array(repeating: [], count: header.count)
                out.ends = Array(repeating: [], count: header.count)
            }
            nextLine = try CSVParser.scan(bytes, delimiter: delimiter, firstLine: nextLine) { (record, line) throws(LocalError) in
                if !haveHeader {
                    try readHeader(record, line: line, bytes)
                    out.starts = Array(repeating: [], count: record.count)
                    out.ends = Array(repeating: [], count: record.count)
                    return
                }
                guard let record = try checked(record, line: line, bytes) else { return }
                if repeatsHeader(record, bytes) {
                    headerLines += 1
                    if firstHeaderLine == nil { firstHeaderLine = line }
                    return
                }
                switch Self.kind(of: record, bytes) {
                case .blank:
                    blankLines += 1
                    if firstBlankLine == nil { firstBlankLine = line }
                    return
                case .total where findsTotals: totals.append((rows, line))
                default: break
                }
                for (c, field) in record.enumerated() {
                    out.starts[c].append(UInt32(field.start))
                    out.ends[c].append(UInt32(field.end) | (field.escaped ? Fields.escapedBit : 0))
                }
                out.lines.append(UInt32(line))
                rows += 1
            }
            return out
        }

        private mutating func readHeader(
            _ record: UnsafeBufferPointer<CSVParser.Field>, line: Int, _ bytes: UnsafeBufferPointer<UInt8>
        ) throws(LocalError) {
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
                header.append(name)
            }
            headerBytes = header.map { Array($0.utf8) }
            haveHeader = true
        }

        /// Whether the row's fields are the header's names again.
        private func repeatsHeader(_ record: UnsafeBufferPointer<CSVParser.Field>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard record.count == headerBytes.count, !headerBytes.isEmpty else { return false }
            for (field, name) in zip(record, headerBytes) {
                let (s, e) = trimmed(bytes, field)
                guard e - s == name.count else { return false }
                if name.isEmpty { continue }
                guard name.withUnsafeBufferPointer({ memcmp(bytes.baseAddress! + s, $0.baseAddress!, name.count) == 0 }) else {
                    return false
                }
            }
            return true
        }

        /// The row's fields when it has the header's shape (its empty extra fields dropped);
        /// nil when it is left out.
        private mutating func checked(
            _ record: UnsafeBufferPointer<CSVParser.Field>, line: Int, _ bytes: UnsafeBufferPointer<UInt8>
        ) throws(LocalError) -> UnsafeBufferPointer<CSVParser.Field>? {
            let expected = header.count
            var record = record
            if record.count > expected,
                record[expected...].allSatisfy({ let (s, e) = trimmed(bytes, $0); return s == e })
            {
                // A trailing delimiter: the extra fields are empty, the row is data.
                trailingEmpty += 1
                if firstTrailingEmpty == nil { firstTrailingEmpty = (line, record.count - expected) }
                record = UnsafeBufferPointer(rebasing: record[..<expected])
            }
            if record.count != expected {
                let tooMany = record.count > expected
                var missing = ""
                if !tooMany {
                    missing = " (no value for " + header[record.count...].map { "'\($0)'" }.joined(separator: ", ") + ")"
                }
                var extra = ""
                if tooMany, let first = record[expected...].first(where: { let (s, e) = trimmed(bytes, $0); return s != e }) {
                    let text = CSVParser.text(bytes, first) ?? ""
                    extra = "field \(expected + 1) holds '\(text.count > 40 ? text.prefix(40) + "…" : Substring(text))': "
                }
                try bad(
                    LocalError(
                        line: line, column: tooMany ? expected + 1 : record.count,
                        "row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(expected)\(missing)",
                        hint: tooMany ? extra + "quote fields that contain the delimiter" : "add the missing fields, even if empty"))
                return nil
            }
            for (c, field) in record.enumerated() where !unnamed.isEmpty && unnamed[c] != nil {
                if trimmed(bytes, field).0 != trimmed(bytes, field).1 {
                    try bad(
                        LocalError(
                            line: line, column: c + 1, "row has a value in column \(c + 1), which the header leaves unnamed",
                            hint: "name the column in the header, or check the row for a stray delimiter"))
                    return nil
                }
            }
            return record
        }

        enum LineKind {
            case row, blank, total
        }

        /// Words that start a totals line, in the newsroom's languages.
        static let totalWords = ["total", "grand total", "sub-total", "subtotal", "sum", "итого", "всего", "барлығы", "жиыны", "барлыгы"]

        /// What a line of the header's shape is: every field empty (blank); a few numbers and
        /// otherwise empty fields, or a word for a total and numbers (a total); or a row.
        static func kind(of record: UnsafeBufferPointer<CSVParser.Field>, _ bytes: UnsafeBufferPointer<UInt8>) -> LineKind {
            var filled = 0
            var numbers = 0
            var label: (Int, Int)?
            var texts = 0
            for field in record {
                let (s, e) = trimmed(bytes, field)
                if s == e { continue }
                filled += 1
                if looksLikeAmount(bytes, s, e) {
                    numbers += 1
                } else {
                    texts += 1
                    if label == nil { label = (s, e) }
                }
            }
            if filled == 0 { return .blank }
            guard numbers > 0 else { return .row }
            if texts == 0 { return record.count - filled >= 2 && filled * 3 <= record.count ? .total : .row }
            if texts == 1, let (s, e) = label, e - s <= 40 {
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self).lowercased()
                if totalWords.contains(where: { word == $0 || word.hasPrefix($0 + " ") || word.hasPrefix($0 + ":") }) { return .total }
            }
            return .row
        }

        /// Whether a field reads as an amount: digits, with signs, separators, brackets, spaces
        /// and currency signs around them, and no letter.
        static func looksLikeAmount(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
            var digits = 0
            for i in s..<e {
                let b = bytes[i]
                if b >= 0x30 && b <= 0x39 {
                    digits += 1
                } else if (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")) && digits > 0 {
                    return false  // a date or a code (2013-01-16, 1301-00001), not a signed amount
                } else if b < 0x80, !". ,-+()'$%".utf8.contains(b) {
                    return false
                } else if b >= 0x80, b != 0xC2, b != 0xA3, b != 0xA0, b != 0xE2, b != 0x82 && b != 0xAC && b != 0xB8 && b != 0xBD {
                    return false  // a letter, not £ € ₸ ₽ or a no-break space
                }
            }
            return digits > 0
        }

        /// A row of the wrong shape: an error, or left out and counted.
        private mutating func bad(_ error: LocalError) throws(LocalError) {
            guard skipBadRows else { throw error }
            skipped += 1
            if firstSkipped == nil { firstSkipped = error }
        }
    }

    /// One file of a dataset, its shape read: where its bytes are, its header and rows, and
    /// the types its undeclared columns' cells fit.
    struct ScannedFile {
        var path: String
        /// How the file column names it: its path inside `Data/`.
        var label: String
        /// The file's bytes as UTF-8: a UTF-8 byte-order mark is left in place for the scanner
        /// to step over.
        var source: Source
        /// The size of the chunks it is read in.
        var chunk = ChunkedFile.defaultChunk
        var shape: Shape
        /// Header name → column index, after `rename:`, and those names in header order.
        var index: [String: Int] = [:]
        var names: [String] = []
        /// The narrowest type each undeclared column's cells fit, by name.
        var guesses: [String: TypeGuess] = [:]
        /// What the bytes say against the declared encoding, as a warning.
        var warnings: [Diagnostic] = []
        /// Whether every byte is UTF-8, when the first pass was asked to check.
        var isUTF8 = true
        var rowCount: Int { shape.rows }
        var header: [String] { shape.header }
        var unnamed: Set<Int> { Set(shape.unnamed.keys) }

        /// Calls `body` with each chunk of the file and its fields, scanned afresh with the shape
        /// learnt in the first pass.
        func forEachChunk(
            _ body: (UnsafeBufferPointer<UInt8>, Fields) throws(LocalError) -> Void
        ) throws(LocalError) {
            var again = Shape(delimiter: shape.delimiter, skipBadRows: shape.skipBadRows, findsTotals: shape.findsTotals)
            try CSVDataset.forEachChunk(source, chunk: chunk) { bytes throws(LocalError) in
                let fields = try again.scan(bytes)
                try body(bytes, fields)
            }
            guard again.rows == shape.rows, again.skipped == shape.skipped else {
                throw LocalError("the file changed while it was read", hint: "build again", code: .sourceRead)
            }
        }

        /// The whole file in memory: only where a problem needs it (the encoding's error).
        var wholeBytes: Data? {
            switch source {
            case .memory(let data): return data
            case .disk(let path, _): return FileManager.default.contents(atPath: path)
            }
        }
    }

    /// A file to read: where it is, what to call it, and its bytes as stored.
    package struct Input {
        package var path: String
        package var label: String
        var source: Source
        /// The size of the chunks it is read in (tests make it small to put boundaries everywhere).
        package var chunk = ChunkedFile.defaultChunk

        package init(path: String, label: String, data: Data) {
            self.path = path
            self.label = label
            self.source = .memory(data)
        }

        /// A file on disk, read a chunk at a time.
        package init(path: String, label: String, url: URL) {
            self.path = path
            self.label = label
            self.source = .disk(url.path)
        }
    }

    /// Calls `body` with consecutive chunks of whole records of `source`.
    static func forEachChunk(
        _ source: Source, chunk: Int = ChunkedFile.defaultChunk, _ body: (UnsafeBufferPointer<UInt8>) throws(LocalError) -> Void
    ) throws(LocalError) {
        switch source {
        case .memory(let data):
            try withBytes(data) { buffer throws(LocalError) in
                try ChunkedFile.forEachChunk(of: buffer, chunk: chunk, boundary: CSVParser.recordsEnd) { bytes, _ throws(LocalError) in
                    try body(bytes)
                }
            }
        case .disk(let path, let encoding):
            // A code page is transcoded a chunk at a time: its line breaks, quotes and
            // delimiters are the ASCII bytes the chunks are cut at. A byte it lacks is an error at
            // the line of the file, not of the chunk.
            var lines = 0
            do {
                try ChunkedFile.forEachChunk(path: path, chunk: chunk, boundary: CSVParser.recordsEnd) { bytes, _, overlong throws(LocalError) in
                    if let encoding {
                        var utf8: Data
                        do throws(LocalError) {
                            utf8 = try TextEncoding.utf8(Data(buffer: bytes), declared: encoding)
                        } catch {
                            var error = error
                            error.line = error.line.map { $0 + lines }
                            error.code = .sourceEncoding
                            throw error
                        }
                        lines += CSVParser.lineBreaks(bytes)
                        try withBytes(utf8) { buffer throws(LocalError) in try body(buffer) }
                    } else {
                        try body(bytes)
                    }
                    if overlong {
                        throw LocalError(
                            "a record runs on for more than \(bytes.count >> 20) MB",
                            hint: "a quoted field is probably not closed: a field that starts with \" must end with \"")
                    }
                }
            } catch {
                switch error {
                case .read(let problem): throw LocalError("cannot read file: \(problem.message)", code: .sourceRead)
                case .body(let problem): throw problem
                }
            }
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
        let declared = Set(schema?.columns.map(\.column.name) ?? [])
        var files: [ScannedFile] = []
        var problems: [Diagnostic] = []
        for input in inputs {
            switch scanFile(input, options: options, declared: declared) {
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

    /// The first pass over a file: its encoding checked, its shape read, and the types of its
    /// columns not in `declared` guessed from every cell; `observe` sees each chunk's rows.
    static func scanFile(
        _ input: Input, options: Schema.FileOptions, declared: Set<String> = [], guessing: Bool = true,
        checkingUTF8: Bool = false, observe: ((UnsafeBufferPointer<UInt8>, Fields, _ firstRow: Int, Shape) -> Void)? = nil
    ) -> Result<ScannedFile, Diagnostic> {
        var source = input.source
        // The start of the file says what encoding it is in; only UTF-8 is read from disk as it
        // is, anything else is transcoded whole.
        let sample: Data
        switch source {
        case .memory(let data): sample = data
        case .disk(let path, _):
            guard let prefix = ChunkedFile.prefix(path: path, count: 1 << 16) else {
                return .failure(Diagnostic(SourceLocation(path: input.path), "cannot read file", code: .sourceRead))
            }
            sample = Data(prefix)
        }
        var warnings: [Diagnostic] = []
        do throws(Diagnostic) {
            if let warning = try TextEncoding.check(sample, declared: options.encoding, path: input.path) { warnings.append(warning) }
        } catch {
            return .failure(error)
        }
        let bom = TextEncoding.byteOrderMark(sample)
        if case .disk(let path, _) = source {
            switch bom ?? options.encoding ?? .utf8 {
            case .utf8: break
            case .utf16LE, .utf16BE:
                // Not cut at ASCII bytes: transcoded whole.
                guard let data = FileManager.default.contents(atPath: path) else {
                    return .failure(Diagnostic(SourceLocation(path: input.path), "cannot read file", code: .sourceRead))
                }
                source = .memory(data)
            case let codePage: source = .disk(path, transcoding: codePage)
            }
        }
        if case .memory(let data) = source {
            do throws(LocalError) {
                source = .memory(try TextEncoding.utf8(data, declared: options.encoding))
            } catch {
                return .failure(error.diagnostic(in: input.path, code: .sourceEncoding))
            }
        }
        let delimiter: UInt8
        switch source {
        case .memory(let data): delimiter = options.delimiter ?? withBytes(data) { CSVParser.sniffDelimiter($0) }
        case .disk: delimiter = options.delimiter ?? withBytes(sample) { CSVParser.sniffDelimiter($0) }
        }
        if case .memory(let data) = source, data.count >= Int(Fields.escapedBit) {
            return .failure(
                Diagnostic(
                    SourceLocation(path: input.path), "CSV file in \(options.encoding?.rawValue ?? "UTF-16") is larger than 2 GB",
                    hint: "save it as UTF-8: then it is read a chunk at a time", code: .dataTooLarge))
        }
        var file = ScannedFile(
            path: input.path, label: input.label, source: source, chunk: input.chunk,
            shape: Shape(delimiter: delimiter, skipBadRows: options.skipBadRows, findsTotals: options.totals != .data),
            warnings: warnings)
        do throws(LocalError) {
            var guesses: [Int: TypeGuess]?
            try forEachChunk(source, chunk: input.chunk) { bytes throws(LocalError) in
                if checkingUTF8, file.isUTF8, String(validating: bytes, as: UTF8.self) == nil { file.isUTF8 = false }
                let firstRow = file.shape.rows
                let fields = try file.shape.scan(bytes)
                observe?(bytes, fields, firstRow, file.shape)
                guard guessing, file.shape.haveHeader else { return }
                if guesses == nil {
                    guesses = [:]
                    for (i, header) in file.shape.header.enumerated()
                    where file.shape.unnamed[i] == nil && !declared.contains(options.rename[header] ?? header) {
                        guesses![i] = TypeGuess()
                    }
                }
                for c in guesses!.keys.sorted() { guesses![c]!.add(bytes, starts: fields.starts[c], ends: fields.ends[c]) }
            }
            guard file.shape.haveHeader else {
                throw LocalError(line: 1, column: 1, "CSV file is empty", hint: "the first line must name the columns")
            }
            for (i, guess) in guesses ?? [:] { file.guesses[options.rename[file.shape.header[i]] ?? file.shape.header[i]] = guess }
        } catch {
            // A file that is not UTF-8 says so first, whatever else is wrong with it.
            let problem = error.code == .sourceRead ? nil : encodingProblem(file, declared: options.encoding)
            return .failure(problem ?? error.diagnostic(in: input.path, code: error.code ?? .dataCSV))
        }
        // What the file holds besides its rows, noted once each.
        func note(_ line: Int, column: Int? = nil, _ message: String, hint: String, code: DiagnosticCode) {
            var note = Diagnostic(SourceLocation(path: input.path, line: line, column: column), message, hint: hint, code: code)
            note.severity = .warning
            file.warnings.append(note)
        }
        if let (line, extra) = file.shape.firstTrailingEmpty {
            let n = file.shape.trailingEmpty
            note(
                line, column: file.shape.header.count + 1,
                "\(n) row\(n == 1 ? " ends" : "s end") with \(extra == 1 ? "a delimiter" : "\(extra) delimiters") more than the header has, the field\(extra == 1 ? "" : "s") after \(extra == 1 ? "it" : "them") empty: read as \(n == 1 ? "a row" : "rows") of data",
                hint: "nothing to do; a non-empty extra field would be an error", code: .dataCSV)
        }
        if let line = file.shape.firstHeaderLine {
            let n = file.shape.headerLines
            note(
                line, "\(n) line\(n == 1 ? " repeats" : "s repeat") the header: no row\(n == 1 ? "" : "s") of data, left out",
                hint: "nothing to do; files joined end to end keep their headers", code: .dataNotData)
        }
        if let line = file.shape.firstBlankLine {
            let n = file.shape.blankLines
            note(
                line, "\(n) line\(n == 1 ? " has" : "s have") only empty fields: no row\(n == 1 ? "" : "s") of data, left out",
                hint: "nothing to do; the data page counts them", code: .dataNotData)
        }
        for (i, header) in file.shape.header.enumerated() where file.shape.unnamed[i] == nil {
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
            // A column from the path may be declared too, for its label and description.
            problems.append(
                contentsOf: DatasetLoader.missingColumns(schema, header: names + pathColumns, path: path, schemaPath: schemaPath))
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
            let guesses = files.compactMap { $0.guesses[column]?.column(column) }
            return guesses.dropFirst().reduce(guesses.first ?? Column(name: column, type: .text), merge)
        }
        let builders = names.indices.map { k in
            var reading = schema?.spec(names[k])?.reading ?? ValueReading()
            if schema?.spec(names[k])?.reading.nullValues.isEmpty ?? true { reading.nullValues = options.nullValues }
            return ColumnBuilder(columns[k], reading: reading, skipBadRows: options.skipBadRows)
        }

        let totalRows = files.reduce(0) { $0 + $1.rowCount }
        for builder in builders { builder.reserve(totalRows) }

        // The second pass: every file's cells typed, a chunk at a time, its columns on all cores.
        var skippedRows: [Int] = []
        var badRows: Set<Int> = []
        var problemCount = 0
        var encodingProblems: [Diagnostic] = []
        // Where each file's rows start among the dataset's, before any is left out.
        let fileStarts = files.indices.map { f in files[..<f].reduce(0) { $0 + $1.rowCount } }
        var skipNotes: [(index: Int, rows: Set<Int>)] = []
        for (file, start) in zip(files, fileStarts) {
            // A line that looks like a total is judged as one, not by its cells.
            let totals = Set(file.shape.totals.map { start + $0.row })
            for builder in builders { builder.beginFile(quiet: totals) }
            var readProblem: Diagnostic?
            do throws(LocalError) {
                try file.forEachChunk { bytes, fields throws(LocalError) in
                    nonisolated(unsafe) let shared = bytes
                    _ = parallelMap(Array(names.indices)) { k in
                        if let c = file.index[names[k]] {
                            builders[k].append(shared, fields, column: c, path: file.path)
                        } else {
                            builders[k].appendEmpty(fields.rowCount)
                        }
                    }
                }
            } catch {
                readProblem = error.diagnostic(in: file.path, code: error.code ?? .dataCSV)
            }
            if let readProblem {
                problems.append(readProblem)
                continue
            }
            // A byte that is not UTF-8 makes a problem where it stands (a text cell that does not
            // decode, a number that does not read, a row skipped): only then is the whole file
            // checked, so that a file that reads pays no second pass over its bytes.
            if builders.contains(where: { $0.failed || $0.fileProblemCount > 0 }) || file.shape.skipped > 0,
                let problem = encodingProblem(file, declared: options.encoding)
            {
                // Only this, for this file: its other problems follow from it.
                encodingProblems.append(problem)
                continue
            }
            if options.skipBadRows {
                let bad = Set(builders.flatMap(\.fileBadRows))
                badRows.formUnion(bad)
                skippedRows.append(bad.count + file.shape.skipped)
                if let first = file.shape.firstSkipped {
                    var note = first.diagnostic(in: file.path, code: .dataSkippedRows)
                    note.severity = .warning
                    note.message = "skipped \(file.shape.skipped) row\(file.shape.skipped == 1 ? "" : "s") of the wrong shape; the first: \(first.message)"
                    problems.append(note)
                }
                // The first problem of the file says what kind of row was left out.
                if !bad.isEmpty, let first = builders.flatMap(\.fileProblems).sorted().first {
                    var note = first
                    note.severity = .warning
                    note.code = .dataSkippedRows
                    note.message = "skipped \(bad.count) row\(bad.count == 1 ? "" : "s") whose values do not read; the first: \(first.message)"
                    // What money they hold is said once the columns are built.
                    skipNotes.append((problems.count, bad))
                    problems.append(note)
                }
            } else {
                skippedRows.append(0)
                let fileProblems = builders.flatMap(\.fileProblems).sorted()
                let count = builders.reduce(0) { $0 + $1.fileProblemCount }
                problems.append(contentsOf: fileProblems.prefix(DatasetLoader.maxProblemsPerFile))
                if count > DatasetLoader.maxProblemsPerFile {
                    problems.append(DatasetLoader.tooManyProblems(count, path: file.path))
                }
                problemCount += count
            }
        }
        guard encodingProblems.isEmpty else { return (nil, warnings + encodingProblems) }
        var allColumns = columns
        var storage = builders.map { $0.finish() }
        let totals = checkTotals(files, starts: fileStarts, columns: columns, storage: storage, leftOut: badRows, options: options, schemaPath: schemaPath ?? path)
        problems += totals.problems
        let totalsMoney = moneyText(columns, storage, rows: totals.dropped.sorted())
        if options.skipBadRows {
            for (index, rows) in skipNotes {
                if let money = moneyText(columns, storage, rows: rows.sorted()) {
                    problems[index].message = problems[index].message.replacingOccurrences(
                        of: " whose values do not read;", with: " whose values do not read (\(money) left out);")
                }
            }
            // The ceiling: past it, the file is too broken to publish totals from.
            let read = totalRows + files.reduce(0) { $0 + $1.shape.skipped }
            let skipped = skippedRows.reduce(0, +)
            let limit = options.maxSkipped.limit(of: read)
            if skipped > limit {
                let share = DecimalText.plain(NumberFormat.round(Decimal(skipped) * 100 / Decimal(max(read, 1)), places: 2))
                let money = moneyText(columns, storage, rows: badRows.sorted())
                problems.append(
                    Diagnostic(
                        SourceLocation(path: schemaPath ?? path),
                        "on_error: skip left out \(skipped) of \(read) rows (\(share)%\(money.map { "; \($0)" } ?? "")), more than max_skipped allows (\(options.maxSkipped.text))",
                        hint: "read the skipped rows above and fix what they share (a date format, a separator, a stray column), or raise max_skipped: if leaving them out is right",
                        code: .dataSkippedRows))
            }
        }
        guard !problems.contains(where: { $0.severity == .error }) else { return (nil, (warnings + problems).sorted()) }
        // Rows left out are dropped from every column at once.
        let out = badRows.union(totals.dropped)
        let keep = out.isEmpty ? nil : (0..<(storage.first?.count ?? 0)).filter { !out.contains($0) }
        if let keep { storage = storage.map { $0.keeping(keep) } }
        let rowsPerFile = zip(skippedRows, files).map { skipped, file in
            file.rowCount - (skipped - file.shape.skipped) - file.shape.totals.count
        }
        /// A column from the path, with what its declaration says of it (not its type, which
        /// the path decides).
        func declared(_ column: Column) -> Column {
            guard let spec = schema?.spec(column.name)?.column else { return column }
            var column = column
            if spec.label != spec.name { column.label = spec.label }
            column.description = spec.description ?? column.description
            column.unit = spec.unit ?? column.unit
            return column
        }
        if let fileColumn = options.fileColumn {
            allColumns.append(declared(Column(name: fileColumn, type: .text, label: "File")))
            storage.append(DataColumn.repeating(files.map { .text($0.label) }, counts: rowsPerFile, type: .text))
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
            allColumns.append(declared(Column(name: name, type: whole ? .integer : .text, unit: years ? "year" : nil)))
            storage.append(DataColumn.repeating(values, counts: rowsPerFile, type: whole ? .integer : .text))
        }
        var dataset = Dataset(
            name: name, path: path, columns: allColumns, data: storage,
            rowCount: storage.first?.count ?? 0, meta: schema?.meta ?? DatasetMeta(), hasSchema: schema != nil)
        dataset.files = zip(zip(files, skippedRows), rowsPerFile).map { pair, rows in
            var entry = DatasetFile(path: pair.0.path, label: pair.0.label, rows: rows, skipped: pair.1)
            entry.notData = pair.0.shape.totals.count + pair.0.shape.blankLines + pair.0.shape.headerLines
            return entry
        }
        if let ledger = ledger(dataset, path: path, totalsLeftOut: totalsMoney) {
            problems.append(ledger)
        }
        return (dataset, warnings + problems)
    }

    /// The dataset's ledger, when anything was left out: every line read, the rows kept, and
    /// the lines left out by reason, with the money of the totals lines.
    static func ledger(_ dataset: Dataset, path: String, totalsLeftOut: String?) -> Diagnostic? {
        let skipped = dataset.files.reduce(0) { $0 + $1.skipped }
        let notData = dataset.files.reduce(0) { $0 + $1.notData }
        guard skipped + notData > 0 else { return nil }
        let format = NumberFormat(language: "en")
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(format.grouped(Decimal(n))) \(n == 1 ? one : many)" }
        let lines = dataset.rowCount + skipped + notData
        var parts = [count(dataset.rowCount, "row kept", "rows kept")]
        if skipped > 0 { parts.append(count(skipped, "row left out by on_error: skip", "rows left out by on_error: skip")) }
        if notData > 0 {
            parts.append(count(notData, "line that is no row", "lines that are no rows") + " (totals, empty fields, headers)" + (totalsLeftOut.map { ": \($0)" } ?? ""))
        }
        let files = dataset.files.count
        var note = Diagnostic(
            SourceLocation(path: path),
            "\(count(lines, "line", "lines")) of data read\(files > 1 ? " from \(files) files" : ""): " + parts.joined(separator: "; "),
            hint: "the data page lists them per file", code: .dataLedger)
        note.severity = .warning
        return note
    }

    /// The sum of the money columns (numbers with a currency) over `rows`, as "amt 1,234.50",
    /// or nil when there is none or no row holds an amount.
    static func moneyText(_ columns: [Column], _ storage: [DataColumn], rows: [Int]) -> String? {
        let format = NumberFormat(language: "en")
        let parts: [String] = columns.indices.compactMap { c in
            guard columns[c].isNumeric, Currencies.isCurrency(columns[c].unit), let sum = storage[c].sum(at: rows) else { return nil }
            return "\(columns[c].name) \(format.fixed(sum, places: 2))"
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// The lines of each file that look like totals, checked against the rows above them (since
    /// the file's start, or since the total before): with `totals: drop` those that agree are
    /// left out (one note per file); one that disagrees is an error either way (a finding for
    /// the reporter); undeclared, each is an error whose hint proposes the key.
    static func checkTotals(
        _ files: [ScannedFile], starts: [Int], columns: [Column], storage: [DataColumn], leftOut: Set<Int>,
        options: Schema.FileOptions, schemaPath: String
    ) -> (dropped: Set<Int>, problems: [Diagnostic]) {
        let format = NumberFormat(language: "en")
        // Equal at the precision the total is written in: a total of 104758470.9 is the sum
        // 104758470.89 to one decimal (a council's file, December 2013).
        func near(_ total: Decimal, _ sum: Decimal) -> Bool {
            NumberFormat.round(sum, places: max(0, -total.exponent)) == total
                || abs(NSDecimalNumber(decimal: total - sum).doubleValue) < 0.005
        }
        func amount(_ d: Decimal) -> String { format.fixed(d, places: max(0, -d.exponent)) }
        var dropped: Set<Int> = []
        var problems: [Diagnostic] = []
        for (f, file) in files.enumerated() where !file.shape.totals.isEmpty {
            let start = starts[f]
            let lines = file.shape.totals
            let totalRows = Set(lines.map { start + $0.row })
            var since = start
            var agreed: [(line: Int, text: String)] = []
            for (row, line) in lines.map({ (start + $0.row, $0.line) }) {
                defer { since = row + 1 }
                let rows = { (from: Int) in (from..<row).filter { !totalRows.contains($0) && !leftOut.contains($0) } }
                let above = rows(since)
                let all = rows(start)
                // Each number of the line against the sum of its column above it.
                var parts: [(column: Int, value: Decimal, sum: Decimal, count: Int)] = []
                for (c, column) in columns.enumerated() where column.isNumeric {
                    guard let value = storage[c].decimal(at: row) else { continue }
                    let sum = storage[c].sum(at: above) ?? 0
                    let sumAll = storage[c].sum(at: all) ?? 0
                    if near(value, sum) {
                        parts.append((c, value, sum, above.count))
                    } else if near(value, sumAll) {
                        parts.append((c, value, sumAll, all.count))
                    } else {
                        parts.append((c, value, sum, above.count))
                    }
                }
                guard let first = parts.first else { continue }  // no number in a numeric column: a row
                let agrees = parts.allSatisfy { near($0.value, $0.sum) }
                let what = parts.map { "\(columns[$0.column].name) \(amount($0.value))" }.joined(separator: ", ")
                    + (parts.allSatisfy { $0.value == $0.sum } || !agrees
                        ? "" : " (to the places it is written with: the rows sum to \(parts.map { amount($0.sum) }.joined(separator: ", ")))")
                let place = SourceLocation(path: file.path, line: line, column: (file.index[columns[first.column].name] ?? 0) + 1)
                let rowsText = "\(format.grouped(Decimal(first.count))) row\(first.count == 1 ? "" : "s") above it"
                if agrees && options.totals == .drop {
                    dropped.insert(row)
                    agreed.append((line, "\(what), the sum of the \(rowsText)"))
                } else if agrees {
                    problems.append(
                        Diagnostic(
                            place, "this line is a total, not a row: \(what) is the sum of the \(rowsText)",
                            hint: "say totals: drop in \(schemaPath) to leave such lines out (each is still checked against its rows), or totals: data if they are rows",
                            code: .dataNotData))
                } else {
                    let sums = parts.map { "\(amount($0.sum))" }.joined(separator: ", ")
                    problems.append(
                        Diagnostic(
                            place,
                            "this line looks like a total (\(what), the rest empty), but the \(rowsText) sum to \(sums)",
                            hint: options.totals == .drop
                                ? "the file's rows do not add up to its own total: a row missing or counted twice, a finding to check with the publisher"
                                : "if it is a row of data, say totals: data in \(schemaPath); if it is a total, the file's rows do not add up to it: check with the publisher",
                            code: .dataNotData))
                }
            }
            if let first = agreed.first {
                var note = Diagnostic(
                    SourceLocation(path: file.path, line: first.line),
                    "left out \(agreed.count) totals line\(agreed.count == 1 ? "" : "s"); the first: \(first.text)",
                    hint: "totals: drop in \(schemaPath) says so", code: .dataNotData)
                note.severity = .warning
                problems.append(note)
            }
        }
        return (dropped, problems)
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
        files.compactMap { encodingProblem($0, declared: options.encoding) }
    }

    /// ``encodingProblem(_:path:declared:)`` of a scanned file, read whole only when it is not
    /// declared in a code page (a transcoded file is UTF-8 by now).
    static func encodingProblem(_ file: ScannedFile, declared: TextEncoding?) -> Diagnostic? {
        guard declared == nil || declared == .utf8 else { return nil }
        // A file on disk is checked a chunk at a time first: read whole only to place its error.
        if case .disk = file.source, isUTF8(file.source) { return nil }
        guard let bytes = file.wholeBytes else { return nil }
        return encodingProblem(bytes, path: file.path, declared: declared)
    }

    /// Whether every byte of `source` is UTF-8 (and it can be read), a chunk at a time.
    static func isUTF8(_ source: Source) -> Bool {
        do throws(LocalError) {
            try forEachChunk(source) { bytes throws(LocalError) in
                if String(validating: bytes, as: UTF8.self) == nil { throw LocalError("not UTF-8") }
            }
            return true
        } catch {
            return false
        }
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

    /// The narrowest type every non-empty field of a column fits, learnt a chunk at a time.
    struct TypeGuess: Sendable {
        var integer = true
        var number = true
        var date = true
        var boolean = true
        var sawValue = false
        var years = true
        /// Nothing but text is left.
        var settled: Bool { !integer && !number && !date && !boolean }

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, starts: [UInt32], ends: [UInt32]) {
            guard !settled else { return }
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
                        || DateValue(iso: String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)) == nil)
                {
                    date = false
                }
                if boolean && CSVDataset.boolean(bytes, s, e, strict: true) == nil { boolean = false }
                if settled { return }
            }
        }

        func column(_ name: String) -> Column {
            guard sawValue else { return Column(name: name, type: .text) }
            if integer { return Column(name: name, type: .integer, unit: years ? "year" : nil) }
            if number { return Column(name: name, type: .number) }
            if date { return Column(name: name, type: .date) }
            if boolean { return Column(name: name, type: .boolean) }
            return Column(name: name, type: .text)
        }
    }
}

/// One column's cells typed as the chunks of its files are read, with the problems found in
/// them: every field that breaks the column's rules is reported with its row.
final class ColumnBuilder: @unchecked Sendable {
    let column: Column
    let reading: ValueReading
    let skipBadRows: Bool
    private let allowed: Set<String>?
    /// The words that mean "no value", as bytes.
    private let nulls: [[UInt8]]
    private let plain: Bool
    private let currency: Bool

    /// The cells so far. `append` takes them out while it works, so that each cell is added
    /// to a local value (a property of a class is checked for exclusive access each time).
    private var cells = Cells()
    /// Rows so far, over every file.
    var count: Int { cells.count }

    struct Cells {
        var count = 0
        var integers: [Int] = []
        var numbers: [Decimal] = []
        /// Which rows are empty, for numbers; empty until one is.
        var missing: [Bool] = []
        var texts = TextInterner()
        var dates = DateInterner()
        /// One code per row into `texts` or `dates`; -1 is an empty cell.
        var codes: [Int32] = []
        var booleans: [Value] = []
        var allowedCodes: [Int32: Bool] = [:]

        mutating func appendMissing(_ type: ColumnType) {
            switch type {
            case .integer, .number:
                if missing.isEmpty { missing = Array(repeating: false, count: count) }
                missing.append(true)
                if type == .integer { integers.append(0) } else { numbers.append(0) }
            case .text, .date: codes.append(-1)
            case .boolean: booleans.append(.null)
            }
            count += 1
        }

        mutating func appendNumber(_ n: Int?, _ d: Decimal?) {
            if !missing.isEmpty { missing.append(false) }
            if let n { integers.append(n) } else { numbers.append(d!) }
            count += 1
        }
    }

    /// This file had a text cell that is not UTF-8.
    private(set) var failed = false
    /// This file's problems (the first only when rows are skipped), their count, and the
    /// rows they leave out.
    private(set) var fileProblems: [Diagnostic] = []
    private(set) var fileProblemCount = 0
    private(set) var fileBadRows: [Int] = []

    init(_ column: Column, reading: ValueReading, skipBadRows: Bool) {
        self.column = column
        self.reading = reading
        self.skipBadRows = skipBadRows
        allowed = column.allowed.map(Set.init)
        nulls = reading.nullValues.map { Array($0.utf8) }.filter { !$0.isEmpty }
        plain = reading.numbersArePlain
        currency = Currencies.isCurrency(column.unit)
    }

    /// Room for `rows` rows, said once before the first chunk: arrays grown by appending
    /// would hold up to twice that, and three times while they move.
    func reserve(_ rows: Int) {
        switch column.type {
        case .integer: cells.integers.reserveCapacity(rows)
        case .number: cells.numbers.reserveCapacity(rows)
        case .text, .date: cells.codes.reserveCapacity(rows)
        case .boolean: cells.booleans.reserveCapacity(rows)
        }
    }

    /// Rows whose problems are not reported: lines judged as totals.
    private var quiet: Set<Int> = []

    func beginFile(quiet: Set<Int> = []) {
        self.quiet = quiet
        failed = false
        fileProblems = []
        fileProblemCount = 0
        fileBadRows = []
    }

    /// `rows` empty cells: a file of a many-file dataset without this column.
    func appendEmpty(_ rows: Int) {
        for _ in 0..<rows { cells.appendMissing(column.type) }
    }

    /// A problem in `row` of the column.
    private func report(_ diagnostic: Diagnostic, row: Int) {
        guard !quiet.contains(row) else { return }
        fileProblemCount += 1
        if skipBadRows {
            fileBadRows.append(row)
            if fileProblems.isEmpty { fileProblems.append(diagnostic) }
        } else if fileProblemCount <= DatasetLoader.maxProblemsPerFile {
            fileProblems.append(diagnostic)
        }
    }

    /// Types the cells of column `c` of one chunk.
    func append(_ bytes: UnsafeBufferPointer<UInt8>, _ fields: CSVDataset.Fields, column c: Int, path: String) {
        let starts = fields.starts[c]
        let ends = fields.ends[c]
        var cells = Cells()
        swap(&cells, &self.cells)
        defer { swap(&cells, &self.cells) }
        func location(_ r: Int) -> SourceLocation {
            SourceLocation(path: path, line: Int(fields.lines[r]), column: c + 1)
        }
        func rawText(_ r: Int) -> String {
            let f = CSVDataset.field(starts, ends, r)
            return CSVParser.text(bytes, f)
                ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[f.start..<f.end]), as: UTF8.self)
        }
        // `r` is the row in the chunk (for its line); each problem is reported before its row
        // is appended, at `cells.count`.
        func empty(_ r: Int) {
            if column.required {
                let (message, hint) = DatasetLoader.requiredProblem(column)
                report(Diagnostic(location(r), message, hint: hint, code: .dataValue), row: cells.count)
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
            report(Diagnostic(location(r), message, hint: hint, code: .dataValue), row: cells.count)
        }
        func checkAllowed(_ r: Int, _ text: String) {
            if let allowed, !allowed.contains(text) {
                let (message, hint) = DatasetLoader.allowedProblem(text, column)
                report(Diagnostic(location(r), message, hint: hint, code: .dataValue), row: cells.count)
            }
        }
        func isNull(_ s: Int, _ e: Int) -> Bool {
            if s == e { return true }
            for word in nulls where word.count == e - s {
                if memcmp(bytes.baseAddress! + s, word, e - s) == 0 { return true }
            }
            return false
        }
        func text(_ s: Int, _ e: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)
        }
        /// A number as the schema says it is written: straight from the bytes when it can be.
        func readNumber(_ s: Int, _ e: Int) -> Decimal? {
            if plain, let d = CSVDataset.decimal(bytes, s, e) { return d }
            guard !plain || reading.groupSeparator != nil || currency || bytes[s] == UInt8(ascii: "(")
                || bytes[s] == 0xE2
            else { return nil }
            return reading.number(text(s, e), unit: column.unit)
        }
        for r in 0..<starts.count {
            let f = CSVDataset.field(starts, ends, r)
            let (s, e) = CSVDataset.trimmed(bytes, f)
            // An empty cell (a text is empty only when it has no bytes, or is a null word).
            if column.type == .text ? f.start == f.end || (!nulls.isEmpty && isNull(s, e)) : isNull(s, e) {
                empty(r)
                cells.appendMissing(column.type)
                continue
            }
            switch column.type {
            case .integer, .number:
                if column.type == .integer {
                    var n: Int?
                    if plain, let v = CSVDataset.integer(bytes, s, e) {
                        n = v
                    } else if let d = readNumber(s, e), NumberFormat.round(d, places: 0) == d {
                        n = Int(exactly: NSDecimalNumber(decimal: d).int64Value)
                    }
                    guard let n else {
                        wrongType(r)
                        cells.appendMissing(column.type)
                        continue
                    }
                    if allowed != nil { checkAllowed(r, String(n)) }
                    cells.appendNumber(n, nil)
                } else {
                    guard let d = readNumber(s, e) else {
                        wrongType(r)
                        cells.appendMissing(column.type)
                        continue
                    }
                    if allowed != nil { checkAllowed(r, DecimalText.plain(d)) }
                    cells.appendNumber(nil, d)
                }
            case .text:
                guard let code = cells.texts.code(bytes, f, row: cells.count) else {
                    failed = true
                    cells.appendMissing(column.type)
                    continue
                }
                if code < 0 {
                    empty(r)
                    cells.appendMissing(column.type)
                    continue
                }
                if allowed != nil {
                    if cells.allowedCodes[code] == nil { cells.allowedCodes[code] = allowed!.contains(cells.texts.pool[Int(code)]) }
                    if cells.allowedCodes[code] == false { checkAllowed(r, cells.texts.pool[Int(code)]) }
                }
                cells.codes.append(code)
                cells.count += 1
            case .date:
                switch cells.dates.code(bytes, s, e, reading: reading, row: cells.count) {
                case .notUTF8:
                    failed = true
                    cells.appendMissing(column.type)
                case .notADate:
                    wrongType(r)
                    cells.appendMissing(column.type)
                case .date(let code):
                    if allowed != nil { checkAllowed(r, cells.dates.dates[Int(code)].iso) }
                    cells.codes.append(code)
                    cells.count += 1
                }
            case .boolean:
                guard let b = CSVDataset.boolean(bytes, s, e, strict: false) else {
                    wrongType(r)
                    cells.appendMissing(column.type)
                    continue
                }
                cells.booleans.append(.bool(b))
                cells.count += 1
            }
        }
    }

    /// The column, stored by its type.
    func finish() -> DataColumn {
        switch column.type {
        case .integer: return DataColumn(storage: .integers(cells.integers), missing: cells.missing)
        case .number: return DataColumn(storage: .numbers(cells.numbers), missing: cells.missing)
        case .text: return DataColumn(storage: .texts(pool: cells.texts.pool, codes: cells.codes))
        case .date: return DataColumn(storage: .dates(pool: cells.dates.dates, codes: cells.codes))
        case .boolean: return DataColumn(storage: .values(cells.booleans))
        }
    }
}

/// Interns the text fields of a CSV column by their bytes, so a value seen before costs a hash
/// and a byte comparison, not a new string. A column that turns out to be mostly distinct
/// values (ids, descriptions) stops interning and packs each text as it comes (``TextPool``).
struct TextInterner {
    private(set) var pool = TextPool()

    /// Whether a (non-empty) field's text is only white space: a field that starts with a
    /// visible ASCII character is not, without looking at its characters one by one.
    static func isBlank(_ text: String, firstByte: UInt8) -> Bool {
        guard firstByte <= 0x20 || firstByte >= 0x7F else { return false }
        return text.allSatisfy(\.isWhitespace)
    }

    private var byHash: [UInt64: Int32] = [:]
    private var interning = true

    /// The code of the field's text; -1 for a blank field; nil if it is not valid UTF-8.
    /// `row` is the field's row over the whole column.
    mutating func code(_ bytes: UnsafeBufferPointer<UInt8>, _ field: CSVParser.Field, row: Int) -> Int32? {
        guard interning else {
            guard let text = CSVParser.text(bytes, field) else { return nil }
            if Self.isBlank(text, firstByte: bytes[field.start]) { return -1 }
            pool.appendPacked(text)
            return Int32(pool.count - 1)
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        let hash = Bytes.fnv1a(raw, seed: field.escaped ? 0x9E37_79B9_7F4A_7C15 : 0xCBF2_9CE4_8422_2325)
        if let code = byHash[hash] {
            if field.escaped {
                if let text = CSVParser.text(bytes, field), text == pool[Int(code)] { return code }
            } else if Bytes.equal(pool[Int(code)], raw) {
                return code
            }
        }
        guard let text = CSVParser.text(bytes, field) else { return nil }
        if Self.isBlank(text, firstByte: bytes[field.start]) { return -1 }
        let code = Int32(pool.count)
        pool.append(text)
        if byHash[hash] == nil { byHash[hash] = code }
        // Nearly all distinct (ids, descriptions): interning no longer saves anything, and the
        // texts that follow are packed. A column of repeated names (50,000 suppliers in 2
        // million payments) is interned: a string per row was 80 bytes against 4.
        if row >= 65_535 && pool.count * 10 > row * 9 {
            interning = false
            byHash = [:]
        }
        return code
    }
}

/// Interns the dates of a CSV column by their text, so a register of a million payments on a
/// few hundred days parses each day once and stores a code per row.
struct DateInterner {
    enum Outcome {
        case date(Int32)
        case notADate
        case notUTF8
    }

    private(set) var dates: [DateValue] = []
    /// Text as written → code, or -1 when it is not a date.
    private var byText: [String: Int32] = [:]
    private var interning = true

    mutating func code(
        _ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, reading: ValueReading, row: Int
    ) -> Outcome {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self) else {
            return .notUTF8
        }
        if interning, let code = byText[text] { return code < 0 ? .notADate : .date(code) }
        var date: DateValue?
        for format in reading.dateFormats {
            date = format.parse(bytes, s, e)
            if date != nil { break }
        }
        if date == nil { date = DateValue(iso: text) }
        guard let date else {
            if interning { byText[text] = -1 }
            return .notADate
        }
        let code = Int32(dates.count)
        dates.append(date)
        if interning {
            byText[text] = code
            // Nearly all distinct (times of day): a code per row costs more than it saves.
            if row >= 65_535 && dates.count * 10 > row * 9 {
                interning = false
                byText = [:]
            }
        }
        return .date(code)
    }
}
