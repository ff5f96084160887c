import Foundation
import Testing

@testable import DossierCore
@testable import DossierFormat
@testable import DossierProject
@testable import DossierData
@testable import DossierContent
@testable import DossierMarkdown
@testable import DossierFigures
@testable import DossierTemplates
@testable import DossierSite
@testable import DossierKit

@Suite struct NumberFormatTests {
    let format = NumberFormat(language: "en")

    func d(_ s: String) -> Decimal { Decimal(string: s)! }

    @Test func roundsHalfAwayFromZeroOnDecimals() {
        #expect(NumberFormat.round(d("0.125"), places: 2) == d("0.13"))
        #expect(NumberFormat.round(d("2.5"), places: 0) == 3)
        #expect(NumberFormat.round(d("-2.5"), places: 0) == -3)
        #expect(NumberFormat.round(d("12345678.905"), places: 2) == d("12345678.91"))
        // Half-even would give 0.12 and 2; binary doubles would give ...904999.
        #expect(format.fixed(d("0.125"), places: 2) == "0.13")
    }

    @Test func groupsAndFixesDecimals() {
        #expect(format.grouped(155_854_000) == "155,854,000")
        #expect(format.grouped(d("8900000.5")) == "8,900,000.5")
        #expect(format.fixed(d("402.5"), places: 2) == "402.50")
        #expect(format.fixed(d("-1234.5"), places: 0) == "\u{2212}1,235")
        #expect(format.fixed(999, places: 0) == "999")
    }

    /// Whole numbers take an integer path; it must write exactly what `Decimal` arithmetic
    /// writes, including the roll-over to the next scale word and half-away rounding.
    @Test func wholeNumbersFormatLikeDecimals() {
        var generator = SplitMix64(seed: 7)
        var values: [Int] = [
            0, 1, 999, 1_000, 999_949, 999_950, 999_999, 1_000_000, 999_950_000, 999_999_999, 1_050_000, 1_250_000,
            -1_250_000, -999_950, 270_148_000_000, 155_854_000, 999_999_999_999_999, -999_999_999_999_999,
        ]
        for _ in 0..<5_000 {
            let digits = Int.random(in: 1...15, using: &generator)
            var value = Int.random(in: 0..<Int(pow(10, Double(digits))), using: &generator)
            if Bool.random(using: &generator) { value = -value }
            values.append(value)
        }
        let comma = NumberFormat(language: "en", decimalSeparator: ",", groupSeparator: "\u{202F}")
        for value in values {
            let decimal = Decimal(value)
            #expect(DecimalText.whole(decimal) == value)
            var copy = decimal
            #expect(DecimalText.plain(decimal) == NSDecimalString(&copy, DecimalText.posix))
            for f in [format, comma] {
                for places in 0...3 {
                    #expect(f.compact(decimal, places: places) == f.compactDecimal(decimal, places: places), "\(value)")
                    #expect(f.fixed(decimal, places: places) == f.fixedDecimal(decimal, places: places), "\(value)")
                }
            }
        }
        #expect(DecimalText.whole(d("1.5")) == nil)
        #expect(DecimalText.whole(d("1000000000000000")) == nil)
        // Read from the value's fields, whole numbers are what Decimal arithmetic says they
        // are: written with trailing zeros, exponents, fractions, beyond the bound and far
        // beyond 64 bits.
        var texts = [
            "0", "-0", "0.000", "1.000", "-1.0", "1e3", "1.5e1", "15e-1", "999999999999999", "999999999999999.0",
            "-999999999999999", "1e15", "1e14", "123456789012345678901234567890", "1e-30", "0.1", "12.30", "5227100.00",
            "NaN",
        ]
        for _ in 0..<5_000 {
            let digits = String((0..<Int.random(in: 1...22, using: &generator)).map { _ in
                Character(String(Int.random(in: 0...9, using: &generator)))
            })
            texts.append((Bool.random(using: &generator) ? "-" : "") + digits + "e\(Int.random(in: -8...8, using: &generator))")
        }
        #expect(DecimalBytes.layoutHolds, "this Foundation's Decimal is read by arithmetic, the slow way")
        for text in texts {
            let value = Decimal(string: text, locale: DecimalText.posix) ?? .nan
            #expect(DecimalText.whole(value) == DecimalText.wholeByComparing(value), "\(text)")
        }
        #expect(format.compact(d("1234567.5")) == "1.2\u{00A0}m")
    }

    @Test func shortFormsUseScaleWords() {
        #expect(format.compact(270_148_000_000) == "270.1\u{00A0}bn")
        #expect(format.compact(39_000_000) == "39\u{00A0}m")
        #expect(format.compact(7_300_000) == "7.3\u{00A0}m")
        #expect(format.compact(635_380) == "635.4\u{00A0}k")
        #expect(format.compact(999_960_000) == "1\u{00A0}bn")
        #expect(format.compact(428) == "428")
    }

    @Test func formatsMoneyInTengeAndDollars() {
        #expect(format.money(270_148_000_000, currency: "KZT", short: true) == "270.1\u{00A0}bn\u{00A0}₸")
        #expect(format.money(696_389_000, currency: "USD", short: true) == "$696.4\u{00A0}m")
        #expect(format.money(8_900_000, currency: "KZT", short: false) == "8,900,000\u{00A0}₸")
        let before = NumberFormat(currencies: ["KZT": .init(symbol: "₸", symbolFirst: true)])
        #expect(before.money(8_900_000, currency: "KZT", short: true) == "₸8.9\u{00A0}m")
        #expect(format.money(-5, currency: "USD", short: false) == "\u{2212}$5")
    }

    @Test func writesScaleWordsOutForProse() {
        let en = NumberFormat(language: "en")
        #expect(en.apply("tenge_words", to: 270_148_000_000, unit: nil) == "270.148 billion tenge")
        #expect(en.apply("tenge_words", to: 42_971_000, unit: nil) == "42.971 million tenge")
        #expect(en.apply("tenge_words", to: 8_900_000, unit: nil) == "8.9 million tenge")
        #expect(en.apply("usd_words", to: d("635380.77"), unit: nil) == "$635.38 thousand")
        #expect(en.apply("usd_words", to: d("4390836.07"), unit: nil) == "$4.39 million")
        #expect(en.apply("usd_words", to: d("999999.999"), unit: nil) == "$1 million")
        #expect(en.apply("usd_words", to: d("402.55"), unit: nil) == "$402.55")
        #expect(en.apply("usd_words", to: -1_500_000, unit: nil) == "\u{2212}$1.5 million")
        let ru = NumberFormat(language: "ru")
        #expect(ru.apply("tenge_words", to: 8_900_000, unit: nil) == "8,9 млн тенге")
    }

    @Test func formatsPercentages() {
        #expect(format.percent(d("0.4"), places: 0) == "40%")
        #expect(format.percent(d("0.4123"), places: 1) == "41.2%")
        #expect(format.apply("percent_value", to: 72, unit: "%") == "72%")
    }

    @Test func followsTheSiteLanguageNotTheMachineLocale() {
        let ru = NumberFormat(language: "ru")
        #expect(ru.fixed(d("1234.5"), places: 1) == "1\u{00A0}234,5")
        #expect(ru.compact(270_148_000_000) == "270,1\u{00A0}млрд")
        // CLDR's long and medium dates: "г." in Russian, the year first in Kazakh.
        #expect(ru.longDate(DateValue(iso: "2018-04-12")!) == "12\u{00A0}апреля 2018\u{00A0}г.")
        #expect(ru.shortDate(DateValue(iso: "2019-06-03")!) == "3\u{00A0}июн. 2019\u{00A0}г.")
        #expect(ru.monthYear(DateValue(iso: "2019-06-03")!) == "июнь 2019\u{00A0}г.")
        let kk = NumberFormat(language: "kk")
        #expect(kk.longDate(DateValue(iso: "2019-06-03")!) == "2019 жылғы 3\u{00A0}маусым")
        #expect(kk.shortDate(DateValue(iso: "2019-06-03")!) == "2019\u{00A0}ж. 3\u{00A0}мау.")
        #expect(kk.fixed(d("270.148"), places: 1) == "270,1")
        #expect(kk.compact(270_148_000_000) == "270,1\u{00A0}млрд")
        #expect(format.longDate(DateValue(iso: "2018-04-12")!) == "12 April 2018")
        let custom = NumberFormat(language: "en", decimalSeparator: ",", groupSeparator: ".")
        #expect(custom.fixed(d("1234.5"), places: 2) == "1.234,50")
    }

    @Test func namedTransformsAndDefaults() {
        #expect(format.apply("tenge_short", to: 8_900_000, unit: nil) == "8.9\u{00A0}m\u{00A0}₸")
        #expect(format.apply("usd", to: 402_550, unit: nil) == "$402,550")
        #expect(format.apply("money", to: 100, unit: "USD") == "$100")
        #expect(format.apply("nonsense", to: 1, unit: nil) == nil)
        #expect(format.defaultTransform(unit: "KZT") == "money")
        #expect(format.defaultTransform(unit: nil, columnName: "year") == "raw")
        #expect(format.defaultTransform(unit: nil, columnName: "amount") == "grouped")
        for (name, _) in NumberFormat.numberTransforms {
            #expect(format.apply(name, to: 1234, unit: "KZT") != nil, "transform \(name)")
        }
    }

    @Test func parsesISODates() {
        #expect(DateValue(iso: "2019-02-29") == nil)
        #expect(DateValue(iso: "2020-02-29") != nil)
        #expect(DateValue(iso: "2019-13-01") == nil)
        #expect(DateValue(iso: "14 May 2019") == nil)
        #expect(DateValue(iso: "2019-06-01T10:00:00+06:00")?.day == 1)
        #expect(DateValue(iso: "2019-06-01T10:00Z") != nil)
        #expect(DateValue(iso: "2019-06-01T25:00Z") == nil)
    }
}
