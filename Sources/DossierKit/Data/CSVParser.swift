/// A byte-level RFC 4180 CSV parser that hands over one record at a time.
///
/// Fields may be quoted; quoted fields may hold commas, doubled quotes and line breaks. Line
/// breaks are `\n` or `\r\n`. Errors carry the line on which the bad field starts and the field's
/// 1-based index in its record.
struct CSVParser {
    struct Record {
        /// The line of the file on which the record starts.
        var line: Int
        var fields: [String]
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let newline = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Calls `body` with every record in order, including the header.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (Record) throws(LocalError) -> Void
    ) throws(LocalError) {
        var i = 0
        let n = bytes.count
        // Skip a UTF-8 byte-order mark.
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = 1
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var fields: [String] = []
        var recordLine = 1

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }

        while i < n {
            // Start of a field.
            if bytes[i] == quote {
                let openLine = line
                i += 1
                var closed = false
                while i < n {
                    let b = bytes[i]
                    if b == quote {
                        if i + 1 < n, bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    if b == newline { line += 1 }
                    field.append(b)
                    i += 1
                }
                if !closed {
                    throw LocalError(
                        line: openLine, column: fields.count + 1, "unterminated quoted field",
                        hint: "a field that starts with \" must end with \"; write a quote inside it as \"\"")
                }
                // After a closing quote only a separator or the end of the record may follow.
                if i < n, bytes[i] != comma, bytes[i] != newline, bytes[i] != cr {
                    throw LocalError(
                        line: line, column: fields.count + 1, "unexpected text after a closing quote",
                        hint: "quote the whole field, and double any quote inside it")
                }
            } else {
                // Unquoted field: runs to the next comma or line break.
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
                field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            }
            endField()
            // Separator or end of record.
            if i < n, bytes[i] == comma {
                i += 1
                if i == n {
                    endField()
                    try body(Record(line: recordLine, fields: fields))
                    fields.removeAll(keepingCapacity: true)
                }
                continue
            }
            if i < n, bytes[i] == cr { i += 1 }
            if i < n, bytes[i] == newline { i += 1 }
            line += 1
            try body(Record(line: recordLine, fields: fields))
            fields.removeAll(keepingCapacity: true)
            recordLine = line
            // Blank lines between records are skipped.
            while i < n, bytes[i] == newline || bytes[i] == cr {
                if bytes[i] == newline {
                    line += 1
                    recordLine = line
                }
                i += 1
            }
        }
    }

    static func parse(_ text: String, _ body: (Record) throws(LocalError) -> Void) throws(LocalError) {
        var copy = text
        let result: Result<Void, LocalError> = copy.withUTF8 { buffer in
            Result { () throws(LocalError) in try parse(buffer, body) }
        }
        try result.get()
    }
}
