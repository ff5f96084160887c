import Foundation

/// A typed value read from front matter or a dataset cell.
///
/// Numbers are kept as `Decimal` so that figures typed by a reporter (`155854000`, `0.1`) are
/// formatted and rounded exactly, never through a binary `Double`.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Decimal)
    case text(String)
    case date(DateValue)
    case array([Value])
    /// Key order is kept as written, so output built from it is stable.
    case object([(String, Value)])

    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.text(a), .text(b)): return a == b
        case let (.date(a), .date(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .integer(let i): hasher.combine(i)
        case .number(let d): hasher.combine(d)
        case .text(let s): hasher.combine(s)
        case .date(let d): hasher.combine(d)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            for (k, v) in o {
                hasher.combine(k)
                hasher.combine(v)
            }
        }
    }

    /// The value as a decimal number, if it is one.
    public var decimal: Decimal? {
        switch self {
        case .integer(let i): return Decimal(i)
        case .number(let d): return d
        default: return nil
        }
    }

    public var string: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as plain text, as it would be written in a CSV file.
    public var plainText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return DecimalText.plain(d)
        case .text(let s): return s
        case .date(let d): return d.iso
        case .array(let a): return a.map(\.plainText).joined(separator: ", ")
        case .object(let o): return o.map { "\($0.0): \($0.1.plainText)" }.joined(separator: ", ")
        }
    }
}

/// Exact conversion between decimal text and `Decimal`.
package enum DecimalText {
    private static let wholeLimit = Decimal(1_000_000_000_000_000)

    /// The value as an `Int` when it is a whole number under 10^15 in magnitude (amounts in
    /// tenge are), so that it can be formatted in integer arithmetic; nil otherwise.
    package static func whole(_ value: Decimal) -> Int? {
        // From the value's bytes when its mantissa fits in 64 bits: comparing decimals with
        // `<` was most of the time of formatting an amount.
        if let (negative, exponent, mantissa) = DecimalBytes.read(value) {
            var mantissa = mantissa
            var exponent = exponent
            while exponent < 0 {
                guard mantissa % 10 == 0 else { return nil }
                mantissa /= 10
                exponent += 1
            }
            while exponent > 0 && mantissa < wholeBound {
                mantissa *= 10
                exponent -= 1
            }
            guard exponent == 0, mantissa < wholeBound else { return nil }
            return negative ? -Int(mantissa) : Int(mantissa)
        }
        return wholeByComparing(value)
    }

    private static let wholeBound: UInt64 = 1_000_000_000_000_000

    /// ``whole(_:)`` by `Decimal` arithmetic: the rule, for any value.
    package static func wholeByComparing(_ value: Decimal) -> Int? {
        guard value < wholeLimit, value > -wholeLimit else { return nil }
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 0, .plain)
        guard rounded == value else { return nil }
        return Int(NSDecimalNumber(decimal: value).int64Value)
    }

    package static let posix = Locale(identifier: "en_US_POSIX")

    /// Parses `-12`, `3.25`, `+7`, `1e3` style numbers; nil for anything else (no locale involved).
    package static func parse(_ text: Substring) -> Decimal? {
        var bytes = text.utf8[...]
        guard !bytes.isEmpty else { return nil }
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0
        var seenDot = false
        var seenExp = false
        var expDigits = 0
        var previous: UInt8 = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenExp { expDigits += 1 } else { digits += 1 }
            case UInt8(ascii: "."):
                if seenDot || seenExp { return nil }
                seenDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if seenExp || digits == 0 { return nil }
                seenExp = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if previous != UInt8(ascii: "e") && previous != UInt8(ascii: "E") { return nil }
            default:
                return nil
            }
            previous = b
        }
        guard digits > 0, !seenExp || expDigits > 0 else { return nil }
        return Decimal(string: String(text), locale: posix)
    }

    package static func parse(_ text: String) -> Decimal? { parse(text[...]) }

    /// Plain digits with a `.` and no exponent or grouping, e.g. `270148000000` or `0.25`.
    package static func plain(_ value: Decimal) -> String {
        if let whole = DecimalText.whole(value) { return String(whole) }
        var v = value
        var out = NSDecimalString(&v, posix)
        if out.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            out = value.description
        }
        return out
    }
}

/// The fields of a `Decimal` read from its bytes, which Foundation does not make public:
/// an 8-bit exponent, then a byte holding the length of the mantissa in 16-bit words (high
/// four bits) and the sign (bit 3), then the mantissa's words from offset 4, least significant
/// first. The layout is checked once against values of known fields; where it differs (another
/// Foundation), ``read(_:)`` answers nil and callers use `Decimal` arithmetic.
package enum DecimalBytes {
    package static let layoutHolds: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let probes: [(String, Bool, Int, UInt64)] = [
            ("-12.5", true, -1, 125), ("123456789", false, 0, 123_456_789), ("1e3", false, 3, 1),
            ("281474976710655", false, 0, 281_474_976_710_655), ("-0.0001", true, -4, 1),
        ]
        return probes.allSatisfy { text, negative, exponent, mantissa in
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
                let fields = fields(value)
            else { return false }
            return fields.negative == negative && fields.exponent == exponent && fields.mantissa == mantissa
        }
    }()

    /// The sign, exponent and mantissa of a finite value whose mantissa fits in 64 bits.
    package static func read(_ value: Decimal) -> (negative: Bool, exponent: Int, mantissa: UInt64)? {
        layoutHolds ? fields(value) : nil
    }

    private static func fields(_ value: Decimal) -> (negative: Bool, exponent: Int, mantissa: UInt64)? {
        withUnsafeBytes(of: value) { bytes -> (negative: Bool, exponent: Int, mantissa: UInt64)? in
            let flags = bytes[1]
            let length = Int(flags >> 4)
            let negative = flags & 0x08 != 0
            guard length <= 4, !(length == 0 && negative) else { return nil }  // NaN: length 0, negative
            var mantissa: UInt64 = 0
            for word in stride(from: length - 1, through: 0, by: -1) {
                mantissa = mantissa << 16 | UInt64(bytes[4 + 2 * word]) | UInt64(bytes[5 + 2 * word]) << 8
            }
            return (negative, Int(Int8(bitPattern: bytes[0])), mantissa)
        }
    }
}
