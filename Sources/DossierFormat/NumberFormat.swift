import Foundation

/// Formats numbers, money and dates for people, independent of the machine's locale.
///
/// Rounding is exact and half away from zero on decimal values (`0.125` → `0.13`, `-2.5` → `-3`),
/// unlike Foundation's formatters, which round half-even and go through binary doubles.
public struct NumberFormat: Sendable, Hashable {
    public struct Currency: Sendable, Hashable {
        public var symbol: String
        /// True when the symbol comes before the number (`$696.4 m`), false for after (`270.1 bn ₸`).
        public var symbolFirst: Bool

        public init(symbol: String, symbolFirst: Bool) {
            self.symbol = symbol
            self.symbolFirst = symbolFirst
        }
    }

    public var language: String
    public var decimalSeparator: String
    public var groupSeparator: String
    public var currencies: [String: Currency]
    /// The interface words of this language (``Words``): built in, or as `Templates/i18n/`
    /// changes them.
    public var words: Words

    public init(
        language: String = "en", decimalSeparator: String? = nil, groupSeparator: String? = nil,
        currencies: [String: Currency] = [:]
    ) {
        let words = NumberWords.for(language)
        self.language = language
        self.words = Words.builtIn(language)
        self.decimalSeparator = decimalSeparator ?? words.decimalSeparator
        self.groupSeparator = groupSeparator ?? words.groupSeparator
        var all = NumberFormat.defaultCurrencies
        for (code, currency) in currencies { all[code] = currency }
        self.currencies = all
    }

    /// Every currency of the built-in table (``Currencies``) by its ISO code.
    public static let defaultCurrencies: [String: Currency] = Currencies.table.mapValues {
        Currency(symbol: $0.symbol, symbolFirst: $0.symbolFirst)
    }

    // MARK: Rounding

    /// Rounds to `places` decimal places, half away from zero, exactly.
    public static func round(_ value: Decimal, places: Int) -> Decimal {
        var magnitude = value < 0 ? -value : value
        var result = Decimal()
        NSDecimalRound(&result, &magnitude, places, .plain)
        return value < 0 ? -result : result
    }

    // MARK: Numbers

    /// `12345.678` with 2 places → `12,345.68`. Trailing zeros are kept so columns line up.
    public func fixed(_ value: Decimal, places: Int, grouping: Bool = true) -> String {
        if let whole = DecimalText.whole(value), places >= 0 {
            return fixed(whole: whole, places: places, grouping: grouping)
        }
        return fixedDecimal(value, places: places, grouping: grouping)
    }

    /// ``fixed(_:places:grouping:)`` for a whole number: its digits, grouped, and zeros.
    private func fixed(whole: Int, places: Int, grouping: Bool = true) -> String {
        let digits = String(whole.magnitude)
        let integer = grouping ? group(digits) : digits
        let body = places > 0 ? integer + decimalSeparator + String(repeating: "0", count: places) : integer
        return (whole < 0 ? "\u{2212}" : "") + body
    }

    /// ``fixed(_:places:grouping:)`` in `Decimal` arithmetic, for every value.
    func fixedDecimal(_ value: Decimal, places: Int, grouping: Bool = true) -> String {
        let rounded = NumberFormat.round(value, places: places)
        let negative = rounded < 0
        let plain = DecimalText.plain(negative ? -rounded : rounded)
        var parts = plain.split(separator: ".", maxSplits: 1).map(String.init)
        var integer = parts.isEmpty ? "0" : parts.removeFirst()
        var fraction = parts.first ?? ""
        if fraction.count < places { fraction += String(repeating: "0", count: places - fraction.count) }
        if fraction.count > places { fraction = String(fraction.prefix(places)) }
        if grouping { integer = group(integer) }
        let body = places > 0 ? integer + decimalSeparator + fraction : integer
        return (negative && rounded != 0 ? "\u{2212}" : "") + body
    }

    /// All the digits the value has, grouped: `155854000` → `155,854,000`, `0.1` → `0.1`.
    public func grouped(_ value: Decimal) -> String {
        fixed(value, places: max(0, NumberFormat.fractionDigits(value)))
    }

    /// Short form with a scale word and at most `places` decimals, trailing zeros dropped:
    /// `270148000000` → `270.1 bn`, `39000000` → `39 m`, `7300000` → `7.3 m`.
    public func compact(_ value: Decimal, places: Int = 1) -> String {
        if let whole = DecimalText.whole(value), (0...3).contains(places) {
            return compact(whole: whole, places: places)
        }
        return compactDecimal(value, places: places)
    }

    /// ``compact(_:places:)`` for a whole number, in integer arithmetic: dividing `Decimal`s took
    /// microseconds, and a chart or table of a large site formats many amounts.
    private func compact(whole: Int, places: Int) -> String {
        let words = NumberWords.for(language)
        let magnitude = whole.magnitude
        let scales: [(UInt, String)] = [
            (1_000_000_000_000, words.trillion), (1_000_000_000, words.billion), (1_000_000, words.million),
            (1_000, words.thousand),
        ]
        var power: UInt = 1
        for _ in 0..<places { power *= 10 }
        // Half away from zero, exactly: the magnitude's quotient rounded half up.
        func scaled(_ size: UInt) -> UInt { (magnitude * power + size / 2) / size }
        // Written as bytes: the short amounts of a chart's description and labels are made
        // for every page of 100,000 pages made from data.
        func text(_ rounded: UInt) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(32)
            if whole < 0 { out.append(contentsOf: "\u{2212}".utf8) }
            var digits: [UInt8] = []
            Bytes.appendDecimal(UInt64(rounded / power), to: &digits)
            appendGrouped(digits, to: &out)
            // The fraction's digits without its trailing zeros.
            var fraction = rounded % power
            var count = places
            while count > 0 && fraction % 10 == 0 {
                fraction /= 10
                count -= 1
            }
            if count > 0 {
                out.append(contentsOf: decimalSeparator.utf8)
                var tail = [UInt8](repeating: 0x30, count: count)
                for k in stride(from: count - 1, through: 0, by: -1) {
                    tail[k] = 0x30 + UInt8(fraction % 10)
                    fraction /= 10
                }
                out.append(contentsOf: tail)
            }
            return String(decoding: out, as: UTF8.self)
        }
        for (i, (size, word)) in scales.enumerated() where magnitude >= size {
            let rounded = scaled(size)
            // 999.96 m rounds to 1,000 m: say 1 bn instead.
            if rounded >= 1000 * power, i > 0 {
                return text(scaled(scales[i - 1].0)) + "\u{00A0}" + scales[i - 1].1
            }
            return text(rounded) + "\u{00A0}" + word
        }
        return fixed(whole: whole, places: 0)
    }

    /// ``compact(_:places:)`` in `Decimal` arithmetic, for every value.
    func compactDecimal(_ value: Decimal, places: Int = 1) -> String {
        let words = NumberWords.for(language)
        let magnitude = value < 0 ? -value : value
        let scales: [(Decimal, String)] = [
            (Decimal(string: "1000000000000")!, words.trillion), (1_000_000_000, words.billion),
            (1_000_000, words.million), (1_000, words.thousand),
        ]
        for (i, (size, word)) in scales.enumerated() where magnitude >= size {
            let scaled = NumberFormat.round(value / size, places: places)
            // 999.96 m rounds to 1,000 m: say 1 bn instead.
            if (scaled < 0 ? -scaled : scaled) >= 1000, i > 0 {
                let (larger, largerWord) = scales[i - 1]
                return trimmed(NumberFormat.round(value / larger, places: places), places: places) + "\u{00A0}"
                    + largerWord
            }
            return trimmed(scaled, places: places) + "\u{00A0}" + word
        }
        return trimmed(value, places: places)
    }

    /// A fraction as a percentage: `0.2857` → `28.6%`.
    public func percent(_ fraction: Decimal, places: Int = 1) -> String {
        trimmed(fraction * 100, places: places) + "%"
    }

    /// Money in a currency by ISO code, in full (`270,148,000,000 ₸`) or short (`270.1 bn ₸`).
    /// Amounts with cents show all of the currency's minor digits (`$42,377.50`, not
    /// `$42,377.5`); `decimals` (a column's `decimals:`) fixes the digits of every amount.
    public func money(_ value: Decimal, currency code: String, short: Bool, decimals: Int? = nil) -> String {
        let minor = Currencies.minorDigits(code)
        let number: String
        if short {
            number = compact(value)
        } else if let decimals {
            number = fixed(value, places: decimals)
        } else {
            number = NumberFormat.fractionDigits(value) > 0 ? fixed(value, places: max(minor, min(2, NumberFormat.fractionDigits(value)))) : grouped(value)
        }
        let currency = currencies[code] ?? Currency(symbol: code, symbolFirst: false)
        if currency.symbolFirst {
            if number.hasPrefix("\u{2212}") { return "\u{2212}" + currency.symbol + number.dropFirst() }
            return currency.symbol + number
        }
        return number + "\u{00A0}" + currency.symbol
    }

    /// Rounded to at most `places` decimals, with trailing zeros dropped.
    package func trimmed(_ value: Decimal, places: Int) -> String {
        if let whole = DecimalText.whole(value) { return fixed(whole: whole, places: 0) }
        let rounded = NumberFormat.round(value, places: places)
        return fixed(rounded, places: min(places, NumberFormat.fractionDigits(rounded)))
    }

    static func fractionDigits(_ value: Decimal) -> Int {
        if DecimalText.whole(value) != nil { return 0 }
        let plain = DecimalText.plain(value)
        guard let dot = plain.firstIndex(of: ".") else { return 0 }
        return plain.distance(from: dot, to: plain.endIndex) - 1
    }

    /// Separators between the thousands of a run of ASCII digits (every caller passes the
    /// digits of a whole number), grouped byte by byte.
    private func group(_ digits: String) -> String {
        let bytes = Array(digits.utf8)
        guard bytes.count > 3, !groupSeparator.isEmpty else { return digits }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + groupSeparator.utf8.count * (bytes.count / 3))
        appendGrouped(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``group(_:)`` of the digits `bytes`, appended onto `out`.
    private func appendGrouped(_ bytes: [UInt8], to out: inout [UInt8]) {
        for (i, byte) in bytes.enumerated() {
            if i > 0 && (bytes.count - i) % 3 == 0 { out.append(contentsOf: groupSeparator.utf8) }
            out.append(byte)
        }
    }

    // MARK: Dates

    /// `12 April 2018`, in the site's language.
    /// As CLDR writes dates in each language: `12 April 2018`, `12 апреля 2018 г.`,
    /// `2018 жылғы 12 сәуір`.
    public func longDate(_ date: DateValue) -> String {
        let words = CalendarWords.for(language)
        switch language.prefix(2) {
        case "ru": return "\(date.day)\u{00A0}\(words.monthsGenitive[date.month - 1]) \(date.year)\u{00A0}г."
        case "kk": return "\(date.year) жылғы \(date.day)\u{00A0}\(words.monthsGenitive[date.month - 1])"
        default: return "\(date.day) \(words.monthsGenitive[date.month - 1]) \(date.year)"
        }
    }

    /// `12 Apr 2018`, `12 апр. 2018 г.`, `2018 ж. 12 сәу.`.
    public func shortDate(_ date: DateValue) -> String {
        let words = CalendarWords.for(language)
        switch language.prefix(2) {
        case "ru": return "\(date.day)\u{00A0}\(words.monthsShort[date.month - 1]) \(date.year)\u{00A0}г."
        case "kk": return "\(date.year)\u{00A0}ж. \(date.day)\u{00A0}\(words.monthsShort[date.month - 1])."
        default: return "\(date.day) \(words.monthsShort[date.month - 1]) \(date.year)"
        }
    }

    /// `April 2018`, `апрель 2018 г.`, `2018 ж. сәуір`.
    public func monthYear(_ date: DateValue) -> String {
        let words = CalendarWords.for(language)
        switch language.prefix(2) {
        case "ru": return "\(words.months[date.month - 1]) \(date.year)\u{00A0}г."
        case "kk": return "\(date.year)\u{00A0}ж. \(words.months[date.month - 1])"
        default: return "\(words.months[date.month - 1]) \(date.year)"
        }
    }
}
