import Foundation

/// How a column's cells are written in its file, from its schema: date formats, number
/// separators, the words that mean "no value" and how names are cleaned. The defaults read what
/// Dossier always read: ISO dates, digits with a `.` for decimals.
package struct ValueReading: Sendable, Hashable {
    package var dateFormats: [DateFormat] = []
    package var decimalSeparator: Character = "."
    package var groupSeparator: Character?
    /// Cells that stand for no value, besides blank ones (`N/A`, `-`).
    package var nullValues: [String] = []
    package var normalize: NameNormalizer?

    package init() {}

    /// Whether numbers may be read straight from their bytes: `.` decimals, no `.` groups.
    var numbersArePlain: Bool { decimalSeparator == "." && groupSeparator != "." }

    /// "digits with ',' between thousands and '.' for decimals", for errors.
    func expectedNumber(unit: String?, whole: Bool) -> String {
        var parts: [String] = []
        if let group = groupSeparator {
            parts.append("'\(group == " " ? "space" : String(group))' between thousands")
        }
        if !whole { parts.append("'\(decimalSeparator)' for decimals") }
        var example = whole ? "1234" : "1234\(decimalSeparator)5"
        if let group = groupSeparator {
            example = "1\(group == " " ? " " : String(group))234" + (whole ? "" : "\(decimalSeparator)5")
        }
        if Currencies.isCurrency(unit), let unit {
            let sign = Currencies.table[unit]?.symbol ?? unit
            example = (Currencies.table[unit]?.symbolFirst ?? false) ? sign + example : example + " " + sign
        }
        return "expected " + (whole ? "a whole number" : "a number") + (parts.isEmpty ? "" : " with " + parts.joined(separator: " and ")) + ", e.g. \(example)"
    }

    /// Reads a number written with separators, a currency sign or code of `unit` before or
    /// after it, and `-`, `−` or parentheses for negatives: `$5,227,100.00`, `1 234,56 ₸`,
    /// `(1,234)`. Nil when the text is not such a number.
    func number(_ raw: String, unit: String?) -> Decimal? {
        var text = Substring(raw)
        func trim() {
            while let c = text.first, c.isWhitespace { text.removeFirst() }
            while let c = text.last, c.isWhitespace { text.removeLast() }
        }
        trim()
        var negative = false
        if text.first == "(", text.last == ")" {
            negative = true
            text = text.dropFirst().dropLast()
            trim()
        }
        func sign() {
            if let c = text.first, c == "-" || c == "\u{2212}" || c == "+" {
                if c != "+" { negative.toggle() }
                text.removeFirst()
                trim()
            }
        }
        sign()
        if let unit, Currencies.isCurrency(unit) {
            for mark in Currencies.marks(unit) {
                if text.hasPrefix(mark) {
                    text = text.dropFirst(mark.count)
                    trim()
                    sign()
                    break
                }
                if text.hasSuffix(mark) {
                    text = text.dropLast(mark.count)
                    trim()
                    break
                }
            }
        }
        // The digits, read byte by byte: ASCII digits, the separators, and the no-break spaces
        // (U+00A0, U+202F) that stand for a space between thousands.
        let bytes = Array(text.utf8)
        let decimal = decimalSeparator.asciiValue
        let group = groupSeparator?.asciiValue
        let spaceGroup = groupSeparator == " "
        var significand: UInt64 = 0
        var plain: [UInt8] = []
        var digits = 0
        var scale = 0
        var seenDecimal = false
        // Digits since the last group separator: every group after the first has three.
        var run = 0
        var grouped = false
        var i = 0
        func isDigit(_ j: Int) -> Bool { j >= 0 && j < bytes.count && bytes[j] >= 48 && bytes[j] <= 57 }
        while i < bytes.count {
            let b = bytes[i]
            var separatorLength = 0
            if b >= 48 && b <= 57 {
                if digits < 18 { significand = significand * 10 + UInt64(b - 48) }
                plain.append(b)
                digits += 1
                if seenDecimal { scale += 1 }
                run += 1
                i += 1
                continue
            } else if let decimal, b == decimal {
                guard !seenDecimal, !grouped || run == 3, digits > 0 || isDigit(i + 1) else { return nil }
                seenDecimal = true
                grouped = false
                run = 0
                plain.append(UInt8(ascii: "."))
                i += 1
                continue
            } else if let group, b == group {
                separatorLength = 1
            } else if spaceGroup, b == 0x27 {
                separatorLength = 1
            } else if spaceGroup, b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 {
                separatorLength = 2
            } else if spaceGroup, b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xAF {
                separatorLength = 3
            } else {
                return nil
            }
            // A group separator sits between digits, before any decimal separator.
            guard !seenDecimal, isDigit(i - 1), isDigit(i + separatorLength), grouped ? run == 3 : run <= 3 else {
                return nil
            }
            grouped = true
            run = 0
            i += separatorLength
        }
        if grouped && run != 3 { return nil }
        guard digits > 0 else { return nil }
        guard digits <= 18 else {
            // More digits than a UInt64 holds exactly: read them as text.
            let value = Decimal(string: String(decoding: plain, as: UTF8.self), locale: Locale(identifier: "en_US_POSIX"))
            return value.map { negative ? -$0 : $0 }
        }
        return Decimal(sign: negative ? .minus : .plus, exponent: -scale, significand: Decimal(significand))
    }

    /// Why a number did not read, beyond "not a number": a currency sign in a column without
    /// a currency, or separators the schema does not declare.
    func numberHint(_ raw: String, unit: String?, whole: Bool) -> String {
        if !Currencies.isCurrency(unit), raw.contains(where: { Currencies.signs.contains($0) }) {
            return "the value has a currency sign: give the column its currency (e.g. unit: USD)"
        }
        if groupSeparator == nil, raw.range(of: #"\d[,  ']\d{3}"#, options: .regularExpression) != nil {
            let sep = raw.range(of: #"\d,\d{3}"#, options: .regularExpression) != nil ? "\",\"" : "\" \""
            return "the value groups its thousands: declare group_separator: \(sep) for the column"
        }
        return expectedNumber(unit: unit, whole: whole)
    }
}

/// A date layout such as `M/D/YYYY`, `YYYYMMDD` or `DD.MM.YYYY`. Tokens: `YYYY`, `YY`, `MM`
/// (two digits), `M` (one or two), `MMM` (an English month abbreviation), `DD`, `D`, `hh`, `mm`,
/// `ss` (a time of day, read and dropped); anything else must appear as written.
package struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case year4, year2, month(fixed: Bool), monthName, day(fixed: Bool), hour, minute, second
        case literal(UInt8)
    }

    package let pattern: String
    let tokens: [Token]

    package var description: String { pattern }

    /// Nil unless the pattern has a year, a month and a day and is plain ASCII.
    package init?(_ pattern: String) {
        guard pattern.allSatisfy(\.isASCII) else { return nil }
        self.pattern = pattern
        let p = Array(pattern.utf8)
        var tokens: [Token] = []
        var i = 0
        func run(_ b: UInt8) -> Int {
            var n = 0
            while i + n < p.count, p[i + n] == b { n += 1 }
            return n
        }
        while i < p.count {
            let b = p[i]
            let n = run(b)
            switch (b, n) {
            case (UInt8(ascii: "Y"), 4): tokens.append(.year4)
            case (UInt8(ascii: "Y"), 2): tokens.append(.year2)
            case (UInt8(ascii: "M"), 3): tokens.append(.monthName)
            case (UInt8(ascii: "M"), 1...2): tokens.append(.month(fixed: n == 2))
            case (UInt8(ascii: "D"), 1...2): tokens.append(.day(fixed: n == 2))
            case (UInt8(ascii: "h"), 1...2), (UInt8(ascii: "H"), 1...2): tokens.append(.hour)
            case (UInt8(ascii: "m"), 2): tokens.append(.minute)
            case (UInt8(ascii: "s"), 2): tokens.append(.second)
            case (UInt8(ascii: "Y"), _), (UInt8(ascii: "M"), _), (UInt8(ascii: "D"), _): return nil
            default:
                for _ in 0..<n { tokens.append(.literal(b)) }
            }
            i += n
        }
        let hasYear = tokens.contains { $0 == .year4 || $0 == .year2 }
        let hasMonth = tokens.contains { if case .month = $0 { return true }; return $0 == .monthName }
        let hasDay = tokens.contains { if case .day = $0 { return true }; return false }
        guard hasYear, hasMonth, hasDay else { return nil }
        self.tokens = tokens
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The date written in `bytes[s..<e]`, or nil.
    package func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> DateValue? {
        var i = s
        var year = 0
        var month = 0
        var day = 0
        func digits(min: Int, max: Int) -> Int? {
            var n = 0
            var count = 0
            while count < max, i < e, bytes[i] >= 48, bytes[i] <= 57 {
                n = n * 10 + Int(bytes[i] - 48)
                i += 1
                count += 1
            }
            return count >= min ? n : nil
        }
        for token in tokens {
            switch token {
            case .year4: guard let y = digits(min: 4, max: 4) else { return nil }; year = y
            case .year2:
                guard let y = digits(min: 2, max: 2) else { return nil }
                year = y < 69 ? 2000 + y : 1900 + y
            case .month(let fixed): guard let m = digits(min: fixed ? 2 : 1, max: 2) else { return nil }; month = m
            case .day(let fixed): guard let d = digits(min: fixed ? 2 : 1, max: 2) else { return nil }; day = d
            case .hour: guard let h = digits(min: 1, max: 2), h < 24 else { return nil }
            case .minute: guard let m = digits(min: 2, max: 2), m < 60 else { return nil }
            case .second: guard let s = digits(min: 2, max: 2), s < 61 else { return nil }
            case .monthName:
                guard i + 3 <= e else { return nil }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<i + 3]), as: UTF8.self).lowercased()
                guard let index = DateFormat.monthNames.firstIndex(of: word) else { return nil }
                month = index + 1
                i += 3
            case .literal(let b):
                guard i < e, bytes[i] == b else { return nil }
                i += 1
            }
        }
        guard i == e, (1...12).contains(month), day >= 1, day <= DateValue.daysIn(month: month, year: year) else {
            return nil
        }
        return DateValue(year: year, month: month, day: day)
    }

    package func parse(_ text: String) -> DateValue? {
        var copy = text.trimmingCharacters(in: .whitespaces)
        return copy.withUTF8 { parse($0, 0, $0.count) }
    }
}

/// How a column of names is cleaned before pages, charts and figures see it (`normalize:`).
/// Names that are equal once cleaned are one name, spelt as most of its rows spell it.
package struct NameNormalizer: Sendable, Hashable {
    package var trim = true
    package var collapseSpaces = true
    package var caseFold = false
    package var stripPunctuation = false
    /// Suffixes that mean the same (`Pty Ltd` = `Pty Limited`): each list's later entries are
    /// read as its first.
    package var suffixes: [[String]] = []

    package init() {}

    /// Every step: what `normalize: true` asks, and what the near-duplicate report compares.
    package static var all: NameNormalizer {
        var n = NameNormalizer()
        n.caseFold = true
        n.stripPunctuation = true
        n.suffixes = defaultSuffixes
        return n
    }

    /// Company-form variants common in registers.
    package static let defaultSuffixes: [[String]] = [
        ["inc", "incorporated"], ["corp", "corporation"], ["co", "company"], ["ltd", "limited"],
        ["llc", "l l c"], ["pty ltd", "pty limited", "proprietary limited"], ["llp", "l l p"],
        ["тоо", "товарищество с ограниченной ответственностью"], ["ао", "акционерное общество"],
        ["ооо", "общество с ограниченной ответственностью"],
    ]

    /// The cleaned text that is shown: trimmed and with single spaces, if asked.
    package func display(_ text: String) -> String {
        var out = trim ? text.trimmingCharacters(in: .whitespacesAndNewlines) : text
        if collapseSpaces, out.contains(where: { $0.isWhitespace }) {
            out = out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        return out
    }

    /// The key two spellings share when they are one name.
    package func key(_ text: String) -> String {
        var out = display(text)
        if caseFold { out = out.lowercased() }
        if stripPunctuation {
            out = String(out.map { $0.isPunctuation || $0.isSymbol ? " " : $0 })
            out = out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        if !suffixes.isEmpty {
            let folded = caseFold ? out : out.lowercased()
            for group in suffixes {
                guard let canonical = group.first else { continue }
                for variant in group.dropFirst() + [canonical] {
                    let v = caseFold ? variant.lowercased() : variant
                    if folded.hasSuffix(" " + v.lowercased()) {
                        out = String(out.dropLast(v.count)) + canonical
                        return out
                    }
                }
            }
        }
        return out
    }
}
