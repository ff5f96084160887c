import Foundation

/// A calendar date, optionally with a time, parsed from ISO 8601 text such as `2018-04-12` or
/// `2019-05-01T10:30:00+06:00`. The original text is kept for machine-readable output.
public struct DateValue: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// The text as written, normalised to `YYYY-MM-DD` when no time was given.
    public var iso: String

    /// A date from its parts, which must make a real day.
    package init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        iso = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public init?(iso text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        let u = Array(s.utf8)
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= u.count else { return nil }
            var n = 0
            for i in r {
                let b = u[i]
                guard b >= 48 && b <= 57 else { return nil }
                n = n * 10 + Int(b - 48)
            }
            return n
        }
        guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
            (1...12).contains(m), d >= 1, d <= DateValue.daysIn(month: m, year: y)
        else { return nil }
        if u.count > 10 {
            // A time part: THH:MM[:SS[.fff]][Z|±HH:MM]
            guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "),
                let hh = num(11..<13), u.count > 13, u[13] == UInt8(ascii: ":"), let mm = num(14..<16),
                hh < 24, mm < 60
            else { return nil }
            var i = 16
            if i < u.count, u[i] == UInt8(ascii: ":") {
                guard let ss = num(i + 1..<i + 3), ss < 61 else { return nil }
                i += 3
                if i < u.count, u[i] == UInt8(ascii: ".") {
                    i += 1
                    while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
                }
            }
            if i < u.count {
                if u[i] == UInt8(ascii: "Z") {
                    i += 1
                } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
                    guard let oh = num(i + 1..<i + 3), oh < 24, i + 3 < u.count, u[i + 3] == UInt8(ascii: ":"),
                        let om = num(i + 4..<i + 6), om < 60
                    else { return nil }
                    i += 6
                }
            }
            guard i == u.count else { return nil }
        }
        year = y
        month = m
        day = d
        iso = s
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar), for distances between dates.
    package var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (lhs: DateValue, rhs: DateValue) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.iso) < (rhs.year, rhs.month, rhs.day, rhs.iso)
    }
}
