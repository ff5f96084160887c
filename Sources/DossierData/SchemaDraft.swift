import Foundation

/// `dossier new dataset NAME --from FILE`: a schema drafted from a CSV file as it is, as
/// Frictionless's `infer` or OpenRefine's column guesses do: the encoding and delimiter it
/// needs, each column's type with the date formats, separators and currency its cells use,
/// the words it uses for "no value", candidate keys, and the values of short categories.
package enum SchemaDraft {
    static let nullWords: Set<String> = ["-", "--", "—", "n/a", "N/A", "NA", "null", "NULL", "none", "None", "#N/A", "."]
    static let dateCandidates = [
        "M/D/YYYY", "M/D/YY", "DD.MM.YYYY", "D.M.YYYY", "YYYYMMDD", "DD/MM/YYYY", "YYYY/MM/DD", "DD-MM-YYYY",
        "DD-MMM-YYYY", "DD-MMM-YY", "D MMM YYYY",
    ].compactMap(DateFormat.init)

    /// How many rows a draft looks at, at most.
    static let sampleRows = 20_000

    /// A schema drafted from a CSV file's bytes.
    package static func draft(_ data: Data, name: String, date: String) -> Result<String, Diagnostic> {
        let bom = TextEncoding.byteOrderMark(data)
        let isUTF8 = bom == .utf16LE || bom == .utf16BE || String(validating: data, as: UTF8.self) != nil
        return draft(CSVDataset.Input(path: name, label: name, data: data), sample: data, encoding: isUTF8 ? .known : .codePage, name: name, date: date)
    }

    /// A schema drafted from the CSV file at `url`, read a chunk at a time: a register of a
    /// gigabyte is drafted with memory for a few megabytes and the sampled rows. Its bytes are
    /// checked for UTF-8 as its shape is read; a file that is not is read again in the code
    /// page its start suggests.
    package static func draft(fileAt url: URL, name: String, date: String) -> Result<String, Diagnostic> {
        guard let prefix = ChunkedFile.prefix(path: url.path, count: 1 << 20) else {
            return .failure(Diagnostic(SourceLocation(path: url.path), "cannot read file", code: .sourceRead))
        }
        let sample = Data(prefix)
        let bom = TextEncoding.byteOrderMark(sample)
        let input = CSVDataset.Input(path: name, label: name, url: url)
        if bom == .utf16LE || bom == .utf16BE { return draft(input, sample: sample, encoding: .known, name: name, date: date) }
        // The sample up to its last line break: a character cut at its end is no error.
        let whole = sample.lastIndex(of: 0x0A).map { sample[...$0] } ?? sample
        if String(validating: whole, as: UTF8.self) == nil { return draft(input, sample: sample, encoding: .codePage, name: name, date: date) }
        return draft(input, sample: sample, encoding: .utf8Unless, name: name, date: date)
    }

    /// What is known of a file's encoding before its draft.
    enum Encoding {
        /// UTF-8, or UTF-16 with a byte-order mark: read as it is.
        case known
        /// Not UTF-8: a code page, guessed from the start of the file.
        case codePage
        /// UTF-8 as far as its start shows: checked as the file is read.
        case utf8Unless
    }

    /// The draft of `input`, whose start is `sample`.
    static func draft(
        _ input: CSVDataset.Input, sample: Data, encoding: Encoding, name: String, date: String
    ) -> Result<String, Diagnostic> {
        var options = Schema.FileOptions()
        var lines: [String] = []
        // Not UTF-8 and no byte-order mark: a code page, guessed.
        if encoding == .codePage {
            options.encoding = TextEncoding.guess(sample)
            lines.append("encoding: \(options.encoding!.rawValue)  # a guess: check accented or Cyrillic letters on the data page")
        }
        // The cells of at most `sampleRows` rows spread evenly over the file, taken as its shape
        // is read: every row at first, then, each time the sample fills, every second row of
        // those taken, so that a register of millions of rows is typed from its whole length.
        var taken = Sample()
        let file: CSVDataset.ScannedFile
        let observe = { (bytes: UnsafeBufferPointer<UInt8>, fields: CSVDataset.Fields, firstRow: Int, shape: CSVDataset.Shape) in
            taken.take(bytes, fields, firstRow: firstRow, columns: shape.header.count, totals: shape.totals)
        }
        switch CSVDataset.scanFile(input, options: options, guessing: false, checkingUTF8: encoding == .utf8Unless, observe: observe) {
        case .success(let scanned) where encoding == .utf8Unless && !scanned.isUTF8:
            return draft(input, sample: sample, encoding: .codePage, name: name, date: date)
        case .success(let scanned): file = scanned
        case .failure(let problem):
            // A byte that is not UTF-8 can break the shape (a header that does not decode).
            if encoding == .utf8Unless, !CSVDataset.isUTF8(input.source) {
                return draft(input, sample: sample, encoding: .codePage, name: name, date: date)
            }
            // Rows of the wrong shape: drafted with them left out, and said so at their place.
            guard problem.code == .dataCSV, problem.location.line.map({ $0 > 1 }) == true, !options.skipBadRows else {
                return .failure(problem)
            }
            options.skipBadRows = true
            taken = Sample()
            switch CSVDataset.scanFile(input, options: options, guessing: false, observe: observe) {
            case .success(let scanned):
                file = scanned
                // Only the line in the comment: found by the `draft` fuzz target, the message
                // (which quotes header names) put a control character in the schema.
                let first = scanned.shape.firstSkipped?.line ?? 0
                let n = scanned.shape.skipped
                lines.append("on_error: skip  # \(n) row\(n == 1 ? "" : "s") of the wrong shape, the first at line \(first): check them")
                lines.append("max_skipped: \(scanned.shape.skipped)")
            case .failure:
                return .failure(problem)
            }
        }
        // Found by the `draft` fuzz target: a file whose first line names no column drafted
        // `columns:` with nothing under it, a schema that does not parse.
        let named = file.header.indices.filter { !file.unnamed.contains($0) }
        guard !named.isEmpty else {
            return .failure(
                Diagnostic(
                    SourceLocation(path: name, line: 1, column: 1), "the file's first line names no column",
                    hint: "a CSV file starts with a header row: the names of its columns, separated by commas",
                    code: .dataCSV))
        }
        let delimiter = file.shape.delimiter
        if delimiter != UInt8(ascii: ",") {
            let word = [UInt8(ascii: ";"): "semicolon", 0x09: "tab", UInt8(ascii: "|"): "pipe"][delimiter] ?? "\"\(Character(Unicode.Scalar(delimiter)))\""
            lines.append("delimiter: \(word)")
        }
        // Lines that look like totals are no rows: the check will ask what they are.
        if let first = file.shape.totals.first {
            let n = file.shape.totals.count
            lines.append(
                "totals: drop  # line \(first.line)\(n > 1 ? " and \(n - 1) more" : "") look\(n == 1 ? "s" : "") like a total: left out, each checked against the rows above it")
        }
        var cells = [[String]](repeating: [], count: file.header.count)
        for row in taken.rows { for c in named where c < row.count { cells[c].append(row[c]) } }
        var nulls: Set<String> = []
        var columnLines: [String] = []
        for c in named {
            let values = cells[c].filter { !$0.isEmpty && !nullWords.contains($0) }
            for cell in cells[c] where nullWords.contains(cell) { nulls.insert(cell) }
            columnLines.append(
                contentsOf: column(
                    file.header[c], values: values, empties: cells[c].count - values.count, rows: cells[c].count,
                    allValues: c < taken.distinct.count ? taken.distinct[c] : nil))
        }
        var text = """
            title: \(name)
            source:
              name: Who published the data (fill in)
              url: https://example.org/where-it-was-published
              retrieved: \(date)
            licence: Under what terms it may be reused (fill in)
            notes: What one row is, and what to watch for (fill in).

            """
        for line in lines { text += line + "\n" }
        if !nulls.isEmpty { text += "null_values: [\(nulls.sorted().map { quote($0) }.joined(separator: ", "))]\n" }
        text += "columns:\n" + columnLines.map { "  " + $0 }.joined(separator: "\n") + "\n"
        return .success(text)
    }

    /// Rows taken evenly from a file whose length is not known yet: those whose index is a
    /// multiple of `step`, which doubles (dropping every second row taken) when they fill.
    /// With them, each column's distinct values over every row, as the check will read them
    /// (untrimmed), while there are few: a draft lists `values:` only from all of them.
    struct Sample {
        var step = 1
        var rows: [[String]] = []
        var indices: [Int] = []
        /// Each column's distinct non-empty values, nil once past ``categoryLimit``.
        var distinct: [Set<String>?] = []

        mutating func take(
            _ bytes: UnsafeBufferPointer<UInt8>, _ fields: CSVDataset.Fields, firstRow: Int, columns: Int,
            totals: [(row: Int, line: Int)] = []
        ) {
            let count = min(columns, fields.starts.count)
            if distinct.isEmpty { distinct = Array(repeating: [], count: count) }
            let skip = Set(totals.lazy.map(\.row).filter { $0 >= firstRow && $0 < firstRow + fields.rowCount })
            for c in 0..<count where distinct[c] != nil {
                for r in 0..<fields.rowCount where !skip.contains(firstRow + r) {
                    let f = CSVDataset.field(fields.starts[c], fields.ends[c], r)
                    let text = CSVParser.text(bytes, f) ?? ""
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    guard !trimmed.isEmpty, !nullWords.contains(trimmed) else { continue }
                    distinct[c]!.insert(text)
                    if distinct[c]!.count > categoryLimit {
                        distinct[c] = nil
                        break
                    }
                }
            }
            for r in 0..<fields.rowCount where (firstRow + r) % step == 0 && !skip.contains(firstRow + r) {
                rows.append(
                    (0..<min(columns, fields.starts.count)).map { c in
                        let f = CSVDataset.field(fields.starts[c], fields.ends[c], r)
                        return (CSVParser.text(bytes, f) ?? "").trimmingCharacters(in: .whitespaces)
                    })
                indices.append(firstRow + r)
                if rows.count > sampleRows {
                    step *= 2
                    let keep = indices.indices.filter { indices[$0] % step == 0 }
                    rows = keep.map { rows[$0] }
                    indices = keep.map { indices[$0] }
                }
            }
        }
    }

    /// The most values a column may have to be drafted as a category with `values:`.
    static let categoryLimit = 12

    /// The declaration of one column, with comments on what was found. `allValues` are its
    /// distinct values over the whole file as the check reads them, when there are few.
    static func column(_ name: String, values: [String], empties: Int, rows: Int, allValues: Set<String>? = nil) -> [String] {
        // YAML allows an implicit key of at most 1,024 characters: a longer header (found by
        // the `draft` fuzz target: 250 control characters, each escaped in six) is written as an
        // explicit key, `? "…"` on its own line.
        let quoted = quote(name)
        let key = quoted.count > 1000 ? "? \(quoted)\n  " : quoted
        let distinct = Set(values)
        let empty = empties > 0 ? ["\(empties) of \(rows) rows empty"] : []
        let comment = empty.isEmpty ? "" : "  # " + empty.joined(separator: "; ")
        // Identifiers (text or whole numbers), not dates or amounts, are candidate keys.
        let unique = !values.isEmpty && distinct.count == values.count && empties == 0 && values.count > 1
        let keyComment = unique ? "  # every row has its own value: a candidate key" : comment
        if values.isEmpty { return ["\(key): text\(comment)"] }
        // Whole numbers, then numbers, as they are written.
        // Eight digits that are all real days: YYYYMMDD, not numbers.
        let compact = DateFormat("YYYYMMDD")!
        if values.allSatisfy({ $0.count == 8 && compact.parse($0).map { (1900...2100).contains($0.year) } == true }) {
            return ["\(key): {type: date, format: YYYYMMDD}\(comment)"]
        }
        // Codes with leading zeros (`008`) are text: as numbers they would lose them.
        if let code = values.first(where: { $0.count > 1 && $0.hasPrefix("0") && $0.allSatisfy { $0.isASCII && $0.isNumber } }) {
            return ["\(key): text  # codes with leading zeros, such as \(code)" + (empties > 0 ? "; \(empties) of \(rows) rows empty" : "")]
        }
        if values.allSatisfy({ Int($0) != nil }) {
            let years = values.allSatisfy { (1800...2100).contains(Int($0)!) }
            return ["\(key): {type: integer\(years ? ", unit: year" : "")}\(years ? comment : keyComment)"]
        }
        let currency = guessCurrency(values)
        for (decimal, group) in [(Character("."), Character?.none), (".", ","), (",", " "), (",", "."), (",", nil)] {
            var reading = ValueReading()
            reading.decimalSeparator = decimal
            reading.groupSeparator = group
            if values.allSatisfy({ reading.number($0, unit: currency) != nil }) {
                var parts = ["type: number"]
                if let currency { parts.append("unit: \(currency)") }
                if decimal != "." { parts.append("decimal_separator: \(quote(String(decimal)))") }
                if let group { parts.append("group_separator: \(group == " " ? "space" : quote(String(group)))") }
                return ["\(key): {\(parts.joined(separator: ", "))}\(comment)"]
            }
        }
        // Dates: ISO, or the formats that together read every value.
        if values.allSatisfy({ DateValue(iso: $0) != nil }) { return ["\(key): date\(comment)"] }
        var formats: [DateFormat] = []
        var left = values.filter { DateValue(iso: $0) == nil }
        for format in dateCandidates where !left.isEmpty {
            let read = left.filter { format.parse($0) != nil }
            if !read.isEmpty {
                formats.append(format)
                left.removeAll { format.parse($0) != nil }
            }
        }
        if left.isEmpty, !formats.isEmpty {
            let list = formats.map(\.pattern)
            return ["\(key): {type: date, format: \(list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]")}\(comment)"]
        }
        if values.allSatisfy({ ["true", "false", "yes", "no"].contains($0.lowercased()) }) {
            return ["\(key): boolean\(comment)"]
        }
        // A short category: its values, every one the file holds, written as the check reads them.
        if distinct.count <= categoryLimit, values.count >= distinct.count * 2, let all = allValues {
            let list = all.sorted().map(quote).joined(separator: ", ")
            return ["\(key): {type: text, values: [\(list)]}\(comment)"]
        }
        return ["\(key): text\(keyComment)"]
    }

    /// The currency the signs in a column's values name, if they all name one.
    static func guessCurrency(_ values: [String]) -> String? {
        let sample = values.prefix(1000)
        for (code, signs) in [
            ("USD", ["$", "USD"]), ("EUR", ["€", "EUR"]), ("GBP", ["£", "GBP"]), ("KZT", ["₸", "тг", "KZT"]),
            ("RUB", ["₽", "руб", "RUB"]),
        ] where sample.contains(where: { v in signs.contains { v.contains($0) } }) {
            return code
        }
        return nil
    }

    static func quote(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }
        guard !plain || text.isEmpty || ["true", "false", "yes", "no", "null"].contains(text.lowercased())
            || text.first!.isNumber
        else { return text }
        // YAML's double-quoted form, every character a YAML stream may not hold escaped
        // (a header with a control character drafted a schema that did not parse).
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFEFF
                || scalar.value == 0xFFFE || scalar.value == 0xFFFF || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
