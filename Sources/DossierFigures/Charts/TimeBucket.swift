import Foundation

/// Dates grouped into days, weeks, months, quarters or (fiscal) years for a chart's `x`: each
/// bucket is an ordinal, so every bucket between the first and the last can be drawn, in time
/// order, with a key for the data and a label in the page's language.
public enum TimeBucket {
    public enum Interval: String, Sendable, CaseIterable {
        case day, week, month, quarter, year
    }

    /// The bucket of a date: days since 1970, weeks since the Monday of 1969-12-29, months,
    /// quarters or years since year 0 (fiscal ones when the year starts in another month).
    static func ordinal(_ date: DateValue, _ interval: Interval, fiscalStart: Int?) -> Int {
        let fiscal = fiscalYear(date, start: fiscalStart)
        switch interval {
        case .day: return date.dayNumber
        case .week: return floorDiv(date.dayNumber + 3, 7)  // 1970-01-01 was a Thursday
        case .month: return date.year * 12 + date.month - 1
        case .quarter:
            let monthInYear = ((date.month - (fiscalStart ?? 1)) % 12 + 12) % 12
            return fiscal * 4 + monthInYear / 3
        case .year: return fiscal
        }
    }

    /// The year a fiscal year ends in: with July as its start, 2015-07-01 is in FY2016.
    static func fiscalYear(_ date: DateValue, start: Int?) -> Int {
        guard let start, start > 1 else { return date.year }
        return date.month >= start ? date.year + 1 : date.year
    }

    /// A key that sorts in time order: `2025-03-14`, `2025-W11` (as its Monday), `2025-03`,
    /// `2025-Q1`, `2025` (fiscal: `FY2016-Q1`, `FY2016`).
    static func key(_ ordinal: Int, _ interval: Interval, fiscalStart: Int?) -> String {
        let fiscal = (fiscalStart ?? 1) > 1 ? "FY" : ""
        switch interval {
        case .day: return date(dayNumber: ordinal).iso
        case .week: return date(dayNumber: ordinal * 7 - 3).iso
        case .month: return String(format: "%04d-%02d", floorDiv(ordinal, 12), ordinal - floorDiv(ordinal, 12) * 12 + 1)
        case .quarter: return String(format: "%@%04d-Q%d", fiscal, floorDiv(ordinal, 4), ordinal - floorDiv(ordinal, 4) * 4 + 1)
        case .year: return fiscal + String(format: "%04d", ordinal)
        }
    }

    /// The label of a bucket in the page's language: `14 Mar 2025`, `Mar 2025`, `Q1 2025`,
    /// `2025`, `FY2016`, `Q1 FY2016`; `март 2025`, `1 кв. 2025`.
    static func label(_ ordinal: Int, _ interval: Interval, fiscalStart: Int?, format: NumberFormat) -> String {
        let fiscal = (fiscalStart ?? 1) > 1
        let language = format.language
        switch interval {
        case .day: return format.shortDate(date(dayNumber: ordinal))
        case .week: return format.shortDate(date(dayNumber: ordinal * 7 - 3))
        case .month:
            let year = floorDiv(ordinal, 12)
            let month = ordinal - year * 12
            return "\(standaloneMonths(language)[month]) \(year)"
        case .quarter:
            let year = floorDiv(ordinal, 4)
            let quarter = ordinal - year * 4 + 1
            let yearText = fiscal ? fiscalLabel(year, language: language) : String(year)
            switch language {
            case "ru": return "\(quarter) кв. \(yearText)"
            case "kk": return "\(quarter)-тоқ. \(yearText)"
            default: return "Q\(quarter) \(yearText)"
            }
        case .year: return fiscal ? fiscalLabel(ordinal, language: language) : String(ordinal)
        }
    }

    static func fiscalLabel(_ year: Int, language: String) -> String {
        switch language {
        case "ru": return "\(year) фин. г."
        case "kk": return "\(year) қаржы ж."
        default: return "FY\(year)"
        }
    }

    /// Abbreviated month names as they stand alone before a year (CLDR's stand-alone forms).
    static func standaloneMonths(_ language: String) -> [String] {
        switch language {
        case "ru": return ["янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек."]
        case "kk": return ["қаң.", "ақп.", "нау.", "сәу.", "мам.", "мау.", "шіл.", "там.", "қыр.", "қаз.", "қар.", "жел."]
        default: return ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        }
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// The date of a day number (days since 1970-01-01), proleptic Gregorian.
    static func date(dayNumber days: Int) -> DateValue {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return DateValue(year: year, month: month, day: day)
    }
}
