import Foundation

/// The formatting transforms shared by templates (`{{tenge_short(amount)}}`) and charts.
extension NumberFormat {
    /// Every number transform, with what it does to `155854000` (a KZT amount).
    public static let numberTransforms: [(name: String, example: String)] = [
        ("raw", "155854000: digits only, no grouping"),
        ("grouped", "155,854,000: all digits, grouped"),
        ("integer", "155,854,000: rounded to a whole number"),
        ("decimal1", "one decimal place, e.g. 2.8"),
        ("decimal2", "two decimal places, e.g. 402.55"),
        ("short", "155.9 m: scale word, at most one decimal"),
        ("percent", "a fraction as a percentage: 0.4 → 40%"),
        ("percent1", "a fraction as a percentage with one decimal: 0.4123 → 41.2%"),
        ("percent_value", "a number that already is a percentage: 72 → 72%"),
        ("tenge", "155,854,000 ₸"),
        ("tenge_short", "155.9 m ₸"),
        ("usd", "$402,550"),
        ("usd_short", "$402.6 k"),
        ("tenge_words", "155.854 million tenge: scale word written out, up to three decimals"),
        ("usd_words", "$402.55 thousand: scale word written out, up to two decimals"),
        ("money", "in the column's currency, in full"),
        ("money_short", "in the column's currency, short"),
        ("money_words", "in the column's currency, scale word written out: A$1.64 billion"),
    ]

    /// The currency a transform always writes (`tenge_short` writes tenge), if it names one.
    public static func currency(of transform: String) -> String? {
        if transform.hasPrefix("tenge") { return "KZT" }
        if transform.hasPrefix("usd") { return "USD" }
        return nil
    }

    /// Whether a unit is a currency: a code of the site's table or any ISO 4217 code.
    public func isCurrency(_ unit: String) -> Bool { currencies[unit] != nil || Currencies.isCurrency(unit) }

    /// An error message when a transform writes another currency than the value's (tenge
    /// signs on Australian dollars), else nil.
    public static func currencyMismatch(_ transform: String, unit: String?) -> String? {
        guard let named = currency(of: transform), let unit, Currencies.isCurrency(unit), unit != named else { return nil }
        return "format '\(transform)' writes \(named), but the value is in \(unit)"
    }

    /// Applies a named number transform; nil when the name is not one.
    public func apply(_ transform: String, to value: Decimal, unit: String?, decimals: Int? = nil) -> String? {
        switch transform {
        case "raw": return DecimalText.plain(value)
        case "grouped": return grouped(value)
        case "integer": return fixed(value, places: 0)
        case "decimal1": return fixed(value, places: 1)
        case "decimal2": return fixed(value, places: 2)
        case "grouped" where decimals != nil, "integer" where decimals != nil: return fixed(value, places: decimals!)
        case "short": return compact(value)
        case "percent": return percent(value, places: 0)
        case "percent1": return percent(value, places: 1)
        case "percent_value": return trimmed(value, places: 1) + "%"
        case "tenge": return money(value, currency: "KZT", short: false)
        case "tenge_short": return money(value, currency: "KZT", short: true)
        case "usd": return money(value, currency: "USD", short: false)
        case "usd_short": return money(value, currency: "USD", short: true)
        case "tenge_words": return words(value, places: 3) + " " + NumberWords.for(language).tenge
        case "usd_words":
            let text = words(value, places: 2)
            return text.hasPrefix("\u{2212}") ? "\u{2212}$" + text.dropFirst() : "$" + text
        case "money", "money_short":
            guard let unit, isCurrency(unit) else { return decimals.map { fixed(value, places: $0) } ?? grouped(value) }
            return money(value, currency: unit, short: transform == "money_short", decimals: decimals)
        case "money_words":
            guard let unit, isCurrency(unit) else { return words(value, places: 2) }
            let currency = currencies[unit] ?? Currency(symbol: unit, symbolFirst: false)
            let text = words(value, places: 2)
            if currency.symbolFirst {
                return text.hasPrefix("\u{2212}") ? "\u{2212}" + currency.symbol + text.dropFirst() : currency.symbol + text
            }
            return text + "\u{00A0}" + currency.symbol
        default: return nil
        }
    }

    /// A number with its scale word written out, for prose: `155.854 million`, `4.39 million`,
    /// `635.38 thousand`; below a thousand, the number itself.
    func words(_ value: Decimal, places: Int) -> String {
        let names = NumberWords.for(language).longScales
        let magnitude = value < 0 ? -value : value
        let scales: [Decimal] = [1_000, 1_000_000, 1_000_000_000, Decimal(string: "1000000000000")!]
        for i in stride(from: scales.count - 1, through: 0, by: -1) where magnitude >= scales[i] {
            var scaled = NumberFormat.round(value / scales[i], places: places)
            var index = i
            // 999.9996 thousand rounds to 1,000 thousand: say 1 million.
            if (scaled < 0 ? -scaled : scaled) >= 1000, i + 1 < scales.count {
                index = i + 1
                scaled = NumberFormat.round(value / scales[index], places: places)
            }
            return trimmed(scaled, places: places) + " " + names[index]
        }
        return trimmed(value, places: places)
    }

    /// The transform used when a number is shown with no transform named: money for currency
    /// units, a percentage for `%`, bare digits for years, grouped digits otherwise.
    public func defaultTransform(unit: String?, columnName: String? = nil) -> String {
        if let unit {
            if isCurrency(unit) { return "money" }
            if unit == "%" { return "percent_value" }
            if unit == "year" { return "raw" }
        }
        if let name = columnName?.lowercased(), name == "year" || name.hasSuffix("_year") || name.hasPrefix("year_") {
            return "raw"
        }
        return "grouped"
    }

    /// Every date transform.
    public static let dateTransforms: [(name: String, example: String)] = [
        ("date", "12 April 2018"),
        ("date_short", "12 Apr 2018"),
        ("month_year", "April 2018"),
        ("year", "2018"),
        ("iso", "2018-04-12"),
    ]

    public func apply(_ transform: String, to date: DateValue) -> String? {
        switch transform {
        case "date": return longDate(date)
        case "date_short": return shortDate(date)
        case "month_year": return monthYear(date)
        case "year": return String(date.year)
        case "iso": return date.iso
        default: return nil
        }
    }
}
