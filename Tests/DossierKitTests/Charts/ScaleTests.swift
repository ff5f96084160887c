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

@Suite struct ScaleTests {
    @Test(arguments: [
        ([0.0, 270.148], 6), ([103.176, 270.148], 6), ([-4.0, 20.0], 6), ([0.5], 5), ([0.0, 0.0], 5),
        ([1_234_567.0], 4), ([-300.0, -20.0], 6), ([0.001, 0.0042], 6), ([99.0, 101.0], 3),
    ])
    func ticksCoverTheDomainIncludeZeroAndStayFew(values: [Double], maxTicks: Int) {
        let scale = LinearScale(values: values, range: (0, 100), includeZero: true, maxTicks: maxTicks)
        #expect(scale.ticks.count <= maxTicks)
        #expect(scale.ticks.count >= 2)
        #expect(scale.ticks.first! <= min(values.min()!, 0))
        #expect(scale.ticks.last! >= max(values.max()!, 0))
        #expect(scale.ticks.contains(0))
        // Steps are 1, 2, 2.5 or 5 times a power of ten, and even.
        let steps = zip(scale.ticks.dropFirst(), scale.ticks).map { $0 - $1 }
        let step = steps[0]
        #expect(steps.allSatisfy { abs($0 - step) < step * 1e-9 })
        let mantissa = step / pow(10, floor(log10(step)))
        #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 })
    }

    @Test func niceTicksForTheBudget() {
        #expect(
            LinearScale(values: [103_176_000_000, 270_148_000_000], range: (0, 1)).ticks == [0, 100e9, 200e9, 300e9])
        #expect(LinearScale(values: [0.1, 0.7], range: (0, 1), maxTicks: 6).ticks == [0, 0.2, 0.4, 0.6, 0.8])
    }

    @Test func mapsValuesLinearly() {
        let scale = LinearScale(values: [0, 100], range: (200, 0), maxTicks: 6)
        #expect(scale(0) == 200)
        #expect(scale(100) == 0)
        #expect(scale(50) == 100)
    }

    @Test func barsWithoutZeroStillGetItWhenAsked() {
        let scale = LinearScale(values: [103, 270], range: (0, 1), includeZero: false, maxTicks: 6)
        #expect(!scale.ticks.contains(0))
        #expect(scale.ticks.first! <= 103 && scale.ticks.last! >= 270)
    }

    @Test func coordinatesHaveAtMostTwoDecimals() {
        #expect(SVG.number(1.0 / 3.0) == "0.33")
        #expect(SVG.number(2.004) == "2")
        #expect(SVG.number(2.006) == "2.01")
        #expect(SVG.number(-0.001) == "0")
        #expect(SVG.number(640) == "640")
        #expect(SVG.number(12.5) == "12.5")
        #expect(SVG.number(-0.5) == "-0.5")
        #expect(SVG.number(-12.05) == "-12.05")
    }

    /// A line chart places years and dates at their distance in time, and anything else (or
    /// evenly spaced years) evenly.
    @Test func lineChartsSpaceYearsAndDatesByTime() throws {
        #expect(LineChart.timeFractions(["2013", "2014", "2018", "2022"]) == [0, 1.0 / 9, 5.0 / 9, 1])
        #expect(LineChart.timeFractions(["2016", "2017", "2018", "2019"]) == nil)
        #expect(LineChart.timeFractions(["2013-2017", "2018-2022", "2023"]) == nil)
        #expect(LineChart.timeFractions(["2019", "2017", "2018"]) == nil)
        let dates = try #require(LineChart.timeFractions(["2019-01-01", "2019-01-11", "2019-03-01"]))
        #expect(dates.map { ($0 * 59).rounded() } == [0, 10, 59])
        #expect(DateValue(iso: "1970-01-01")!.dayNumber == 0)
        #expect(DateValue(iso: "2000-03-01")!.dayNumber - DateValue(iso: "2000-02-28")!.dayNumber == 2)
        #expect(DateValue(iso: "2026-11-25")!.dayNumber == 20_782)
    }

    @Test func svgTextIsEscapedForXML() {
        #expect(SVG.escape("plain Қазақстан ₸") == "plain Қазақстан ₸")
        #expect(SVG.escape("a<b & \"c\" 'd'\u{1}\te\nҚ>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;\te\nҚ&gt;")
    }

    /// The integer formatting of coordinates writes what `%.2f` with trailing zeros trimmed
    /// writes, for values across the range charts use.
    @Test func coordinatesMatchPrintfFormatting() {
        func reference(_ value: Double) -> String {
            let rounded = (value * 100).rounded() / 100
            if rounded == rounded.rounded() { return String(Int(rounded)) }
            var text = String(format: "%.2f", rounded)
            while text.hasSuffix("0") { text.removeLast() }
            return text == "-0" ? "0" : text
        }
        var generator = SplitMix64(seed: 2026)
        var values: [Double] = [0, -0.0, 0.005, -0.005, 0.015, 1.005, 99.995, -99.995, 1e12 + 0.25, 123456.789]
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -6...9, using: &generator)
            values.append(Double.random(in: -1...1, using: &generator) * pow(10, magnitude))
        }
        for value in values { #expect(SVG.number(value) == reference(value), "\(value)") }
    }

    @Test func textIsWrappedAndShortened() {
        let lines = TextMetrics.wrap(
            "Issue of information and guidance materials for analytical work", width: 150, size: 13)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { TextMetrics.width($0, size: 13) <= 150 || !$0.contains(" ") })
        let fitted = TextMetrics.fit("one two three four five six seven eight nine ten", lines: 2, width: 60, size: 13)
        #expect(fitted.lines.count == 2)
        #expect(fitted.shortened)
        #expect(fitted.lines[1].hasSuffix("…"))
    }

    /// Text is measured through a table of the ASCII widths and from UTF-8 bytes: every
    /// character must weigh what ``TextMetrics/width(of:)`` says.
    @Test func eachCharacterWeighsWhatItsClassSays() {
        let scalars = (0x20..<0x500).compactMap(Unicode.Scalar.init) + ["—", "…", "₸", "€", "“", "😀"]
        for scalar in scalars {
            #expect(TextMetrics.width(String(scalar), size: 10) == TextMetrics.width(of: scalar) * 10, "\(scalar)")
            // One word of it, wrapped alone: the line is the word, whatever the width.
            let word = String(repeating: String(scalar), count: 3)
            if scalar != " " { #expect(TextMetrics.wrap(word, width: 1, size: 10) == [word]) }
        }
        #expect(TextMetrics.wrap("", width: 100, size: 13) == [""])
        #expect(TextMetrics.wrap("   ", width: 100, size: 13) == [""])
    }

    /// Wrapping carries each line's width on word by word; it must break exactly where
    /// measuring every candidate line from scratch breaks.
    @Test func wrappingMatchesMeasuringEachCandidateLine() {
        func reference(_ text: String, width maxWidth: Double, size: Double) -> [String] {
            var lines: [String] = []
            var current = ""
            for word in text.split(separator: " ", omittingEmptySubsequences: true) {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if current.isEmpty || TextMetrics.width(candidate, size: size) <= maxWidth {
                    current = candidate
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            if !current.isEmpty || lines.isEmpty { lines.append(current) }
            return lines
        }
        let words = [
            "lot", "Dindegi", "—", "TV", "programme", "“Memleket.", "Kogam.", "Din”", "2017", "ministry",
            "iii", "WWW", "Қазақстан", "of", "a", "m", "information", "(religion)", "₸10",
        ]
        var generator = SplitMix64(seed: 11)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...14, using: &generator)).map { _ in
                words.randomElement(using: &generator)!
            }.joined(separator: Bool.random(using: &generator) ? " " : "  ")
            let width = Double(Int.random(in: 20...400, using: &generator))
            let size = [11.0, 12, 13, 14.5].randomElement(using: &generator)!
            #expect(TextMetrics.wrap(text, width: width, size: size) == reference(text, width: width, size: size))
            let fitted = TextMetrics.fit(text, lines: 2, width: width, size: size)
            #expect(fitted.lines == referenceFit(text, width: width, size: size), "\(text) in \(width)")
        }
        func referenceFit(_ text: String, width maxWidth: Double, size: Double) -> [String] {
            var lines = reference(text, width: maxWidth, size: size)
            if lines.count > 2 {
                lines = Array(lines.prefix(2))
                lines[1] += " …"
            }
            for i in lines.indices where TextMetrics.width(lines[i], size: size) > maxWidth {
                var line = lines[i]
                while line.count > 1 && TextMetrics.width(line + "…", size: size) > maxWidth { line.removeLast() }
                lines[i] = line.trimmingCharacters(in: .whitespaces) + "…"
            }
            return lines
        }
    }
}
