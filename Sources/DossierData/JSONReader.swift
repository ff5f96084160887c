/// A strict JSON (RFC 8259) reader that keeps key order, exact decimal numbers, and the line and
/// column of every value, so that dataset errors point at the cell that is wrong.
///
/// Foundation's `JSONSerialization` gives none of the three.
struct JSONReader {
    /// A parsed JSON value with its position.
    indirect enum Node {
        case scalar(Value, line: Int, column: Int)
        case array([Node], line: Int, column: Int)
        case object([(String, Node)], line: Int, column: Int)

        var line: Int {
            switch self {
            case .scalar(_, let l, _), .array(_, let l, _), .object(_, let l, _): return l
            }
        }

        var column: Int {
            switch self {
            case .scalar(_, _, let c), .array(_, _, let c), .object(_, _, let c): return c
            }
        }

        var value: Value {
            switch self {
            case .scalar(let v, _, _): return v
            case .array(let items, _, _): return .array(items.map(\.value))
            case .object(let pairs, _, _): return .object(pairs.map { ($0.0, $0.1.value) })
            }
        }
    }

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0

    static func parse(_ text: String) throws(LocalError) -> Node {
        var reader = JSONReader(bytes: Array(text.utf8))
        reader.skipSpace()
        let node = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.i < reader.bytes.count { throw reader.fail("unexpected text after the JSON value") }
        return node
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var column: Int {
        // Columns count characters, not bytes.
        var count = 1
        var j = lineStart
        while j < i {
            if bytes[j] & 0xC0 != 0x80 { count += 1 }
            j += 1
        }
        return count
    }

    private func fail(_ message: String) -> LocalError {
        LocalError(line: line, column: column, "invalid JSON: \(message)")
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A:
                i += 1
                line += 1
                lineStart = i
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(LocalError) -> Node {
        guard depth < 512 else { throw fail("nested too deeply") }
        guard i < bytes.count else { throw fail("unexpected end of file, expected a value") }
        let (l, c) = (line, column)
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [(String, Node)] = []
            var keys: Set<String> = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(pairs, line: l, column: c)
            }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
                let keyColumn = column
                let key = try string()
                if !keys.insert(key).inserted {
                    throw LocalError(line: line, column: keyColumn, "invalid JSON: duplicate key '\(key)'")
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                i += 1
                skipSpace()
                pairs.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of file, expected ',' or '}'") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(pairs, line: l, column: c)
                }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [Node] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items, line: l, column: c)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of file, expected ',' or ']'") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(items, line: l, column: c)
                }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .scalar(.text(try string()), line: l, column: c)
        case UInt8(ascii: "t"):
            try literal("true")
            return .scalar(.bool(true), line: l, column: c)
        case UInt8(ascii: "f"):
            try literal("false")
            return .scalar(.bool(false), line: l, column: c)
        case UInt8(ascii: "n"):
            try literal("null")
            return .scalar(.null, line: l, column: c)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .scalar(try number(), line: l, column: c)
        default:
            throw fail("unexpected character '\(String(decoding: [bytes[i]], as: UTF8.self))'")
        }
    }

    private mutating func literal(_ word: String) throws(LocalError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
            throw fail("unexpected word, expected '\(word)'")
        }
        i += w.count
    }

    private mutating func number() throws(LocalError) -> Value {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int {
            let s = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            return i - s
        }
        let intDigits = digits()
        guard intDigits > 0 else { throw fail("a number needs digits") }
        if intDigits > 1, bytes[i - intDigits] == UInt8(ascii: "0") { throw fail("a number may not start with 0") }
        var isInteger = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            isInteger = false
            guard digits() > 0 else { throw fail("expected digits after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            isInteger = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("expected digits in the exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if isInteger, let n = Int(text) { return .integer(n) }
        guard let d = DecimalText.parse(text) else { throw fail("number '\(text)' is out of range") }
        return .number(d)
    }

    private mutating func string() throws(LocalError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                        bytes[i + 1] == UInt8(ascii: "u")
                    {
                        i += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    i -= 1
                    throw fail("invalid escape '\\\(String(decoding: [e], as: UTF8.self))'")
                }
            case 0x0A:
                throw fail("line break inside a string")
            default:
                out.append(b)
                i += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(LocalError) -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw fail("expected four hex digits after \\u")
        }
        i += 4
        return v
    }
}
