import Foundation

/// Reads a CSV file straight into typed columns: the scanner finds each field's bytes, and
/// each column is parsed from those bytes once, as integers, decimals or interned text, with
/// no string made for a number and one string per distinct text.
package enum CSVDataset {
    /// Byte ranges of every field, column by column, and the line each row starts on.
    struct Fields {
        var header: [String] = []
        var starts: [[UInt32]] = []
        /// End offsets; the top bit marks a field with doubled quotes to undo.
        var ends: [[UInt32]] = []
        var lines: [UInt32] = []

        static let escapedBit: UInt32 = 1 << 31
    }

    package static func read(
        _ data: Data, name: String, path: String, schema: Schema?, schemaPath: String?
    ) -> (Dataset?, [Diagnostic]) {
        guard data.count < Int(Fields.escapedBit) else {
            return (nil, [Diagnostic(SourceLocation(path: path), "CSV file is larger than 2 GB", code: .dataTooLarge)])
        }
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let fields: Fields
            do throws(LocalError) {
                fields = try scan(bytes)
            } catch {
                return (nil, [error.diagnostic(in: path, code: .dataCSV)])
            }
            // Columns are independent: parse them on all cores.
            struct Built: Sendable {
                var column: Column
                var data: DataColumn?
                var problems: [Diagnostic]
                var problemCount: Int
            }
            nonisolated(unsafe) let shared = bytes
            let schemaColumns = schema?.columns.map(\.column) ?? []
            let built = parallelMap(Array(fields.header.indices)) { c -> Built in
                let header = fields.header[c]
                let column =
                    schemaColumns.first { $0.name == header }
                    ?? infer(header, bytes: shared, starts: fields.starts[c], ends: fields.ends[c])
                var problems: [Diagnostic] = []
                var count = 0
                let data = build(column, index: c, bytes: shared, fields: fields, path: path) { diagnostic in
                    count += 1
                    if count <= DatasetLoader.maxProblemsPerFile { problems.append(diagnostic) }
                }
                return Built(column: column, data: data, problems: problems, problemCount: count)
            }
            let columns = built.map(\.column)
            let storage = built.map { $0.data ?? DataColumn(storage: .values([])) }
            let badEncoding = built.contains { $0.data == nil }
            let problemCount = built.reduce(0) { $0 + $1.problemCount }
            var problems = Array(built.flatMap(\.problems).sorted().prefix(DatasetLoader.maxProblemsPerFile))
            if badEncoding {
                // Find the first bad byte in the whole file to say exactly where it is.
                do throws(Diagnostic) {
                    _ = try SourceFiles.decodeUTF8(data, path: path)
                } catch {
                    return (nil, [error])
                }
            }
            if let schema, let schemaPath {
                problems.append(
                    contentsOf: DatasetLoader.missingColumns(
                        schema, header: fields.header, path: path, schemaPath: schemaPath))
            }
            if problemCount > DatasetLoader.maxProblemsPerFile {
                problems.append(DatasetLoader.tooManyProblems(problemCount, path: path))
            }
            guard problems.isEmpty else { return (nil, problems.sorted()) }
            let dataset = Dataset(
                name: name, path: path, columns: columns, data: storage, rowCount: fields.lines.count,
                meta: schema?.meta ?? DatasetMeta(), hasSchema: schema != nil)
            return (dataset, [])
        }
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(LocalError) -> Fields {
        var out = Fields()
        var haveHeader = false
        try CSVParser.scan(bytes) { (record, line) throws(LocalError) in
            if !haveHeader {
                var seen: Set<String> = []
                for (i, field) in record.enumerated() {
                    let name = (CSVParser.text(bytes, field) ?? "").trimmingCharacters(in: .whitespaces)
                    if name.isEmpty { throw LocalError(line: line, column: i + 1, "header has an empty column name") }
                    if !seen.insert(name).inserted {
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
            if record.count != expected {
                let tooMany = record.count > expected
                var missing = ""
                if !tooMany {
                    missing =
                        " (no value for " + out.header[record.count...].map { "'\($0)'" }.joined(separator: ", ") + ")"
                }
                throw LocalError(
                    line: line, column: tooMany ? expected + 1 : record.count,
                    "row has \(record.count) fields but the header has \(expected)\(missing)",
                    hint: tooMany ? "quote fields that contain commas" : "add the missing fields, even if empty")
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
    /// rules. Returns nil if a text field is not valid UTF-8.
    static func build(
        _ column: Column, index c: Int, bytes: UnsafeBufferPointer<UInt8>, fields: Fields, path: String,
        report: (Diagnostic) -> Void
    ) -> DataColumn? {
        let starts = fields.starts[c]
        let ends = fields.ends[c]
        let count = starts.count
        func location(_ r: Int) -> SourceLocation {
            SourceLocation(path: path, line: Int(fields.lines[r]), column: c + 1)
        }
        func rawText(_ r: Int) -> String {
            CSVParser.text(bytes, field(starts, ends, r))
                ?? String(
                    decoding: UnsafeBufferPointer(
                        rebasing: bytes[field(starts, ends, r).start..<field(starts, ends, r).end]), as: UTF8.self)
        }
        func empty(_ r: Int) {
            if column.required {
                let (message, hint) = DatasetLoader.requiredProblem(column)
                report(Diagnostic(location(r), message, hint: hint, code: .dataValue))
            }
        }
        func wrongType(_ r: Int) {
            let (message, hint) = DatasetLoader.typeProblem(rawText(r), column)
            report(Diagnostic(location(r), message, hint: hint, code: .dataValue))
        }
        let allowed = column.allowed.map(Set.init)
        func checkAllowed(_ r: Int, _ text: String) {
            if let allowed, !allowed.contains(text) {
                let (message, hint) = DatasetLoader.allowedProblem(text, column)
                report(Diagnostic(location(r), message, hint: hint, code: .dataValue))
            }
        }

        /// Parses every field of a numeric column, marking empty ones as missing.
        func numbers<T>(_ zero: T, _ parse: (Int, Int) -> T?, _ text: (T) -> String) -> (values: [T], missing: [Bool]) {
            var values = [T](repeating: zero, count: count)
            var missing: [Bool] = []
            for r in 0..<count {
                let (s, e) = trimmed(bytes, field(starts, ends, r))
                if s == e {
                    if missing.isEmpty { missing = Array(repeating: false, count: count) }
                    missing[r] = true
                    empty(r)
                } else if let value = parse(s, e) {
                    values[r] = value
                    if allowed != nil { checkAllowed(r, text(value)) }
                } else {
                    wrongType(r)
                }
            }
            return (values, missing)
        }

        switch column.type {
        case .integer:
            let (values, missing) = numbers(0, { integer(bytes, $0, $1) }, { String($0) })
            return DataColumn(storage: .integers(values), missing: missing)
        case .number:
            let (values, missing) = numbers(Decimal(0), { decimal(bytes, $0, $1) }, DecimalText.plain)
            return DataColumn(storage: .numbers(values), missing: missing)
        case .text:
            var pool = ByteTextPool(bytes: bytes)
            var codes = [Int32](repeating: -1, count: count)
            var validity: [Int32: Bool] = [:]
            for r in 0..<count {
                let f = field(starts, ends, r)
                if f.start == f.end {
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
                if s == e {
                    empty(r)
                    continue
                }
                if column.type == .boolean {
                    guard let b = boolean(bytes, s, e, strict: false) else { wrongType(r); continue }
                    values[r] = .bool(b)
                } else {
                    guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)
                    else { return nil }
                    guard let d = DateValue(iso: text) else { wrongType(r); continue }
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
            var hash: UInt64 = field.escaped ? 0x9E37_79B9_7F4A_7C15 : 0xCBF2_9CE4_8422_2325
            for i in field.start..<field.end { hash = (hash ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3 }
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
