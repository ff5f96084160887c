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

/// Charts, listings and counts shaped for real data: time buckets, folded tails, orders and
/// plural forms.
@Suite struct ShapingTests {
    func chart(_ spec: String, language: String = "en") throws -> RenderedChart {
        var config = SiteConfig(title: "t")
        config.format = NumberFormat(language: language)
        let page = PageCharts(pageID: "p", datasets: try ChartGoldenTests.datasets(), config: config)
        return try page.render(spec)
    }

    func error(_ spec: String) -> String? {
        do {
            _ = try chart(spec)
            return nil
        } catch let error as LocalError {
            return "\(error.line ?? 0):\(error.column ?? 0): \(error.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test func bucketsDatesAndNamesThemInThePageLanguage() throws {
        let base = "type: column\ndata: payments\nx: date\ny: amount\naggregate: sum\n"
        let months = try chart(base + "interval: month\n", language: "ru")
        #expect(months.csv.split(separator: "\n")[1].hasPrefix("2024-03,"))
        #expect(months.html.contains("март 2024"))
        #expect(months.html.contains("окт. 2024"))  // the empty month is drawn
        let quarters = try chart(base + "interval: quarter\nfiscal_year_start: 7\n")
        #expect(quarters.html.contains("Q3 FY2024"))
        let kk = try chart(base + "interval: quarter\n", language: "kk")
        #expect(kk.html.contains("1-тоқ. 2025"))
        // The day after the last of February 2024 (a leap year) is 1 March.
        #expect(TimeBucket.date(dayNumber: DateValue(iso: "2024-02-29")!.dayNumber + 1).iso == "2024-03-01")
        #expect(TimeBucket.date(dayNumber: DateValue(iso: "1969-12-31")!.dayNumber).iso == "1969-12-31")
    }

    @Test func refusesWhatCannotBeShaped() {
        #expect(error("type: column\ndata: payments\nx: supplier\ny: amount\naggregate: sum\ninterval: month\n") == "6:1: interval needs dates on x, but 'supplier' holds text")
        #expect(error("type: column\ndata: payments\nx: date\ny: amount\naggregate: sum\nfiscal_year_start: 7\ninterval: month\n") == "6:1: fiscal_year_start goes with interval: year or quarter")
        #expect(error("type: line\ndata: payments\nx: date\ny: amount\naggregate: sum\ninterval: month\nsort: -value\n") == "7:1: a line over time is drawn in time order")
        #expect(error("type: bar\ndata: payments\nx: supplier\ny: amount\naggregate: mean\nlimit: 2\nother: true\n") == "7:1: other adds up the folded categories, which only sums and counts allow")
        #expect(error("type: column\ndata: payments\nx: date\ny: amount\naggregate: sum\ninterval: fortnight\n") == "6:11: unknown interval 'fortnight'")
    }

    @Test func aDonutOfManySlicesFoldsAndSaysSo() throws {
        let donut = try chart("type: donut\ndata: payments\nx: supplier\ny: amount\naggregate: sum\n")
        #expect(donut.csv.contains("Other (4 items)"))
        #expect(donut.warnings == ["the donut has 9 slices: the 4 smallest are folded into one (set `limit:` and `other:` to choose)"])
        let chosen = try chart("type: donut\ndata: payments\nx: supplier\ny: amount\naggregate: sum\nsort: -value\nlimit: 8\n")
        #expect(chosen.warnings.isEmpty)
    }

    @Test func readingTimeCountsProseOnly() {
        let chart = "<figure class=\"chart\"><figcaption>Ten words of a title that are not prose at all</figcaption><table><tr><td>1</td><td>2</td></tr></table></figure>"
        #expect(PageContext.wordCount("<p>One two three.</p>" + chart + "<p>Four five.</p>") == 5)
    }

    @Test func pluralFormsFollowTheLanguage() {
        func form(_ n: Int, _ language: String) -> String {
            let forms = PageContext.plural(n, language: language)
            return ["one", "few", "many", "other"].first { forms["count_\($0)"] as? Bool == true }!
        }
        #expect([1, 2, 5, 11, 21, 22, 25, 111, 112].map { form($0, "ru") } == ["one", "few", "many", "many", "one", "few", "many", "many", "many"])
        #expect([1, 2, 21].map { form($0, "en") } == ["one", "other", "other"])
        #expect([1, 2].map { form($0, "kk") } == ["one", "other"])
    }

    @Test func pagesFromDataSortByTheirTotals() throws {
        let datasets = try ChartGoldenTests.datasets()
        func order(_ sort: String) throws -> [String]? {
            let spec = try DataPagesSpec.parse("data: payments\nkey: supplier\nsort: \(sort)\n", folder: "s", path: "Content/s/_pages.yml")
            return DataPages.expand(spec, datasets: datasets).0?.entities.map(\.title)
        }
        let payments = datasets["payments"]!
        var totals: [String: Decimal] = [:]
        var counts: [String: Int] = [:]
        for r in 0..<payments.rowCount {
            totals[payments[r, 1].plainText, default: 0] += payments.data[2].decimal(at: r)!
            counts[payments[r, 1].plainText, default: 0] += 1
        }
        #expect(try order("-total.amount") == totals.sorted { $0.value > $1.value }.map(\.key))
        #expect(try order("title") == totals.keys.sorted { $0.lowercased() < $1.lowercased() })
        #expect(try order("-count")?.first.map { counts[$0] } == counts.values.max())
        #expect(throws: LocalError.self) { try order("size") }
    }

    @Test func aChartOfManySourcesLinksItsDatasetOnTheDataPage() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        let rows = (1...12).map { "N\($0),\($0 % 3 == 0 ? "North" : "South"),\($0 * 100),https://notices.example.org/\($0)" }
        try dir.write("Data/notices.csv", "notice,region,amount,source\n" + rows.joined(separator: "\n") + "\n")
        try dir.write("Data/notices.schema.yml", "columns:\n  source: {type: text, role: source, label: Notices}\n")
        try dir.write(
            "Content/notices.md",
            "---\ntitle: Notices\ndate: 2019-01-01\n---\n\n{{= sum(notices.amount) }} in all.\n\n```chart\ntype: bar\ndata: notices\nx: region\ny: amount\naggregate: sum\nid: by-region\n```\n")
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let page = String(decoding: try #require(site.files.first { $0.path == "notices/index.html" }).bytes, as: UTF8.self)
        #expect(page.contains("Notices: 12 sources, each listed with its values in <a href=\"by-region.csv\" download>the chart's data</a> (<a href=\"../data/index.html#source-notices\">the dataset</a>)"))
        #expect(!page.contains("notices.example.org/4\""))
        let csv = String(decoding: try #require(site.files.first { $0.path == "notices/by-region.csv" }).bytes, as: UTF8.self)
        #expect(csv.contains("South,4800,https://notices.example.org/1 https://notices.example.org/2 https://notices.example.org/4"))
        // The figure's title cites three and counts the rest.
        #expect(page.contains("and 9 more sources, listed on the data page"))
    }

    @Test func outputTextRemovesExactlyTheForbiddenCharacters() {
        // Byte by byte, as the scalar rule says: no-break spaces and emoji stay; C1 controls,
        // noncharacters and NUL go.
        #expect(OutputText.clean("270.1\u{00A0}bn\u{00A0}₸ 🙂") == "270.1\u{00A0}bn\u{00A0}₸ 🙂")
        func text(_ values: [UInt32]) -> String {
            var out = String.UnicodeScalarView()
            for v in values { out.append(Unicode.Scalar(v)!) }
            return String(out)
        }
        let forbidden: [UInt32] = [0x85, 0xFDD0, 0xFFFF, 0x1FFFE, 0x10FFFF, 0x0, 0x7F, 0x9F]
        let letters = Array("abcdefghi".unicodeScalars.map(\.value))
        var mixed: [UInt32] = []
        for (i, f) in forbidden.enumerated() { mixed += [letters[i], f] }
        #expect(OutputText.clean(text(mixed + [letters[8]])) == "abcdefghi")
        // Long runs of printable ASCII are checked eight bytes at once: a forbidden character
        // at every offset of such runs, beside the extremes of the printable range.
        for f in forbidden + [0x1F, 0x1] {
            for offset in 0..<40 {
                let before = String(repeating: offset % 2 == 0 ? "~" : " ", count: offset)
                let after = String(repeating: "a", count: 40 - offset)
                #expect(OutputText.clean(before + text([f]) + after) == before + after, "\(f) at \(offset)")
            }
        }
        let printable = String((0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) })
        #expect(OutputText.clean(printable + printable + "\t\n\r") == printable + printable + "\t\n\r")
        var random = SystemRandomNumberGenerator()
        let pool: [Unicode.Scalar] = [
            0x61, 0x0, 0x9, 0xA, 0x7F, 0x80, 0x9F, 0xA0, 0xFDCF, 0xFDD0, 0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE, 0xFFFF, 0x1F642,
            0x1FFFE, 0x2FFFF, 0x10FFFE, 0x436, 0x20B8, 0xB, 0xC, 0xD, 0x1, 0xB7, 0xF000, 0xFFFC, 0x10000,
        ].map { Unicode.Scalar($0)! }
        // Long enough that most texts are also checked eight bytes at once.
        for _ in 0..<4000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...30, using: &random) { text.append(pool.randomElement(using: &random)!) }
            var expected = String.UnicodeScalarView()
            for scalar in text where !OutputText.isRemoved(scalar) { expected.append(scalar) }
            #expect(OutputText.clean(String(text)) == String(expected), "\(Array(String(text).unicodeScalars))")
            // A page kept as bytes until the disk is cleaned the same way.
            #expect(OutputText.clean(Array(String(text).utf8)) == Array(String(expected).utf8))
        }
    }

    @Test func escapingReplacesExactlyWhatTheRuleSays() {
        // The rule, byte by byte: the five characters as entities, and for XML the controls
        // other than tab and newline dropped.
        func reference(_ text: String, _ dropping: Bool) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                case _ where dropping && scalar.value < 0x20 && scalar != "\t" && scalar != "\n": break
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        func escaped(_ text: String, _ dropping: Bool) -> String {
            var out: [UInt8] = []
            HTMLText.appendEscaped(text, to: &out, droppingControls: dropping)
            return String(decoding: out, as: UTF8.self)
        }
        // Runs are skipped eight bytes at a time: each special byte at every offset of long
        // runs, beside the bytes nearest to the special ones.
        let specials: [Unicode.Scalar] = ["&", "<", ">", "\"", "'", "\u{0}", "\u{1F}", "\t", "\n", "\r"]
        for special in specials {
            for offset in 0..<24 {
                for filler in ["%", "=", "(", "?", "ж", "a", " ", "!", "#"] {
                    let text = String(repeating: filler, count: offset) + String(special) + String(repeating: "b", count: 24 - offset)
                    for dropping in [false, true] {
                        #expect(escaped(text, dropping) == reference(text, dropping), "\(special.value) at \(offset)")
                        #expect(HTMLText.escape(text, droppingControls: dropping) == reference(text, dropping))
                    }
                }
            }
        }
        var random = SystemRandomNumberGenerator()
        let pool: [Unicode.Scalar] = ["a", "&", "<", ">", "\"", "'", "%", "=", "\u{0}", "\u{1F}", "\t", "\n", "ж", "₸", "🙂", " ", "\u{7F}", "\u{85}"]
        for _ in 0..<3000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &random) { text.append(pool.randomElement(using: &random)!) }
            let dropping = Bool.random(using: &random)
            #expect(escaped(String(text), dropping) == reference(String(text), dropping), "\(Array(String(text).unicodeScalars))")
        }
    }

    @Test func aPagesChartIDIsItsSlugWithDashesForSlashes() {
        for slug in ["suppliers/fund-1-llp", "a", "/a//b/", "поставщики/тоо-ромашка", "", "//", "x/y/z"] {
            #expect(ChartStage.pageID(slug) == slug.split(separator: "/").joined(separator: "-"), "\(slug)")
        }
    }
}
