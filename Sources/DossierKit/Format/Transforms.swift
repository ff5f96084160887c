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
        ("money", "in the column's currency, in full"),
        ("money_short", "in the column's currency, short"),
    ]

    /// Applies a named number transform; nil when the name is not one.
    public func apply(_ transform: String, to value: Decimal, unit: String?) -> String? {
        switch transform {
        case "raw": return DecimalText.plain(value)
        case "grouped": return grouped(value)
        case "integer": return fixed(value, places: 0)
        case "decimal1": return fixed(value, places: 1)
        case "decimal2": return fixed(value, places: 2)
        case "short": return compact(value)
        case "percent": return percent(value, places: 0)
        case "percent1": return percent(value, places: 1)
        case "percent_value": return trimmed(value, places: 1) + "%"
        case "tenge": return money(value, currency: "KZT", short: false)
        case "tenge_short": return money(value, currency: "KZT", short: true)
        case "usd": return money(value, currency: "USD", short: false)
        case "usd_short": return money(value, currency: "USD", short: true)
        case "money", "money_short":
            guard let unit, currencies[unit] != nil else { return grouped(value) }
            return money(value, currency: unit, short: transform == "money_short")
        default: return nil
        }
    }

    /// The transform used when a number is shown with no transform named: money for currency
    /// units, a percentage for `%`, bare digits for years, grouped digits otherwise.
    public func defaultTransform(unit: String?, columnName: String? = nil) -> String {
        if let unit {
            if currencies[unit] != nil { return "money" }
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
