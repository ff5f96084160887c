import Foundation

/// A byte-level RFC 4180 CSV scanner. It finds where each field is without copying it, and
/// hands over one record at a time as a list of byte ranges.
///
/// Fields may be quoted; quoted fields may hold commas, doubled quotes and line breaks. Line
/// breaks are `\n`, `\r\n` or a bare `\r`; blank lines between records are skipped. Errors carry the line
/// on which the bad field starts and the field's 1-based index in its record.
enum CSVParser {
    /// Where a field's text is: `bytes[start..<end]`. `escaped` fields hold doubled quotes
    /// (`""`) that stand for one quote.
    struct Field {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    /// A record with its fields as strings, for callers that want text.
    struct Record {
        /// The line of the file on which the record starts.
        var line: Int
        var fields: [String]
    }

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Calls `body` with the fields of every record in order, header included, and the line
    /// the record starts on. A chunk of a file after its first (`firstLine` > 1) starts on a
    /// record; blank lines at its start are skipped. Returns the line after the last byte.
    @discardableResult
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, delimiter comma: UInt8 = UInt8(ascii: ","), firstLine: Int = 1,
        _ body: (UnsafeBufferPointer<Field>, Int) throws(LocalError) -> Void
    ) throws(LocalError) -> Int {
        var i = 0
        let n = bytes.count
        if firstLine == 1, n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = firstLine
        if firstLine > 1 {
            while i < n, bytes[i] == newline || bytes[i] == cr {
                if bytes[i] == newline || (bytes[i] == cr && (i + 1 == n || bytes[i + 1] != newline)) { line += 1 }
                i += 1
            }
        }
        var recordLine = line
        var fields: [Field] = []
        fields.reserveCapacity(32)

        func emit() throws(LocalError) {
            let result: Result<Void, LocalError> = fields.withUnsafeBufferPointer { buffer in
                Result { () throws(LocalError) in try body(buffer, recordLine) }
            }
            try result.get()
            fields.removeAll(keepingCapacity: true)
        }

        while i < n {
            if bytes[i] == quote {
                let openLine = line
                i += 1
                let start = i
                var escaped = false
                var closed = false
                while i < n {
                    let b = bytes[i]
                    if b == quote {
                        if i + 1 < n, bytes[i + 1] == quote {
                            escaped = true
                            i += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if b == newline || (b == cr && (i + 1 == n || bytes[i + 1] != newline)) { line += 1 }
                    i += 1
                }
                if !closed {
                    throw LocalError(
                        line: openLine, column: fields.count + 1, "unterminated quoted field",
                        hint: "a field that starts with \" must end with \"; write a quote inside it as \"\"")
                }
                fields.append(Field(start: start, end: i, escaped: escaped))
                i += 1
                if i < n, bytes[i] != comma, bytes[i] != newline, bytes[i] != cr {
                    throw LocalError(
                        line: line, column: fields.count, "unexpected text after a closing quote",
                        hint: "quote the whole field, and double any quote inside it")
                }
            } else {
                let start = i
                while i < n {
                    let b = bytes[i]
                    if b == comma || b == newline || b == cr { break }
                    if b == quote {
                        throw LocalError(
                            line: line, column: fields.count + 1, "quote inside an unquoted field",
                            hint: "quote the whole field, and double any quote inside it")
                    }
                    i += 1
                }
                fields.append(Field(start: start, end: i, escaped: false))
            }
            if i < n, bytes[i] == comma {
                i += 1
                if i == n {
                    fields.append(Field(start: i, end: i, escaped: false))
                    try emit()
                }
                continue
            }
            if i < n, bytes[i] == cr { i += 1 }
            if i < n, bytes[i] == newline { i += 1 }
            line += 1
            try emit()
            recordLine = line
            while i < n, bytes[i] == newline || bytes[i] == cr {
                if bytes[i] == newline || (bytes[i] == cr && (i + 1 == n || bytes[i + 1] != newline)) {
                    line += 1
                    recordLine = line
                }
                i += 1
            }
        }
        return line
    }

    /// How many bytes at the start of `bytes` make whole records: up to the last line break
    /// outside quotes (a `\r` only when a byte other than `\n` follows it), or nil when there is
    /// none. A break is outside quotes when an even number of quotes comes before it; breaks are
    /// tried from the end, so a chunk is counted about once. A quote out of place confuses the
    /// count, but the scanner then stops at it first.
    static func recordsEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var quotesBefore: Int?
        var previous = bytes.count
        var i = bytes.count - 1
        while i >= 0 {
            let b = bytes[i]
            if b == newline || (b == cr && i + 1 < bytes.count && bytes[i + 1] != newline) {
                let quotes: Int
                if let counted = quotesBefore {
                    quotes = counted - Bytes.count(quote, in: UnsafeBufferPointer(rebasing: bytes[i..<previous]))
                } else {
                    quotes = Bytes.count(quote, in: UnsafeBufferPointer(rebasing: bytes[..<i]))
                }
                if quotes % 2 == 0 { return i + 1 }
                quotesBefore = quotes
                previous = i
            }
            i -= 1
        }
        return nil
    }

    /// How many lines `bytes` ends: `\n`, `\r\n` and a bare `\r` each end one.
    static func lineBreaks(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for i in bytes.indices where bytes[i] == newline || (bytes[i] == cr && (i + 1 == bytes.count || bytes[i + 1] != newline)) {
            count += 1
        }
        return count
    }

    /// The separator a file uses, from its first record: whichever of `,` `;` tab and `|`
    /// appears most often outside quotes (a comma when none does).
    static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for b in bytes.prefix(65_536) {
            if b == quote {
                quoted.toggle()
            } else if !quoted {
                if b == newline || b == cr { break }
                if let i = candidates.firstIndex(of: b) { counts[i] += 1 }
            }
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 else {
            return candidates[0]
        }
        return candidates[best]
    }

    /// The text of a field, with doubled quotes undone; nil if it is not valid UTF-8.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Field) -> String? {
        let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.escaped else { return String(validating: slice, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            unescaped.append(slice[i])
            // A doubled quote stands for one.
            i += slice[i] == quote && i + 1 < slice.count && slice[i + 1] == quote ? 2 : 1
        }
        return String(validating: unescaped, as: UTF8.self)
    }

    /// Every record with its fields as strings.
    static func parse(_ text: String, _ body: (Record) throws(LocalError) -> Void) throws(LocalError) {
        var copy = text
        let result: Result<Void, LocalError> = copy.withUTF8 { buffer in
            Result { () throws(LocalError) in
                _ = try scan(buffer) { (fields, line) throws(LocalError) in
                    try body(Record(line: line, fields: fields.map { CSVParser.text(buffer, $0) ?? "" }))
                }
            }
        }
        try result.get()
    }
}
