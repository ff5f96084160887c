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

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Renders every spec in `Fixtures/charts/specs/` against the datasets in
/// `Fixtures/charts/data/` and compares the whole bundle and its CSV with golden files.
@Suite struct ChartGoldenTests {
    static let folder = Fixtures.folder.appendingPathComponent("charts")
    static let specNames: [String] = {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("specs").path)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
    }()

    static func datasets() throws -> [String: Dataset] {
        let (datasets, problems) = DatasetLoader.loadAll(
            Project(root: folder.deletingLastPathComponent(), output: nil).withDataFolder(
                folder.appendingPathComponent("data")))
        #expect(problems.isEmpty, "\(problems)")
        return Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) })
    }

    static func render(_ name: String) throws -> RenderedChart {
        let source = try String(contentsOf: folder.appendingPathComponent("specs/\(name).yml"), encoding: .utf8)
        return try ChartRenderer.render(
            source: source, datasets: try datasets(), format: NumberFormat(language: "en"),
            siteColors: ["completed": "positive", "no_bidders": "warning"], id: "chart-\(name)", csvName: "\(name).csv")
    }

    @Test func thereIsAGoldenSpecForEveryChartKind() {
        for kind in ChartKind.allCases {
            #expect(Self.specNames.contains { $0.hasPrefix(kind.rawValue) }, "no golden spec for \(kind.rawValue)")
        }
    }

    @Test(arguments: specNames)
    func chartMatchesGoldenFiles(name: String) throws {
        let chart = try Self.render(name)
        let html = chart.html + "\n"
        try assertMatchesGolden(
            [("\(name).html", Data(html.utf8)), ("\(name).csv", Data(chart.csv.utf8))],
            golden: Self.folder.appendingPathComponent("expected/\(name)"))
    }

    @Test(arguments: specNames)
    func everySVGIsWellFormedXML(name: String) throws {
        let chart = try Self.render(name)
        let svgs = chart.html.components(separatedBy: "<svg ").dropFirst().map {
            "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>"
        }
        if name.hasPrefix("table") {
            #expect(svgs.isEmpty)
        } else {
            #expect(svgs.count == 2, "a wide and a narrow drawing")
        }
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "") at line \(parser.lineNumber)")
        }
    }

    @Test(arguments: specNames)
    func everyChartCarriesTheAccessibleBundle(name: String) throws {
        let html = try Self.render(name).html
        #expect(html.hasPrefix("<figure class=\"chart"))
        #expect(html.contains("<figcaption>"))
        #expect(html.contains("Get the data (CSV)</a>"))
        #expect(html.contains("href=\"\(name).csv\""))
        if !name.hasPrefix("table") {
            #expect(html.contains("role=\"img\""))
            #expect(html.contains("aria-labelledby=\"chart-\(name)-w-title chart-\(name)-w-desc\""))
            #expect(html.contains("<desc id=\"chart-\(name)-w-desc\">"))
            #expect(html.contains("<details class=\"chart-data\"><summary>Show the data</summary>"))
        }
    }

    @Test func escapesTextFromData() throws {
        let html = try Self.render("bar-long-labels").html
        #expect(html.contains("Comedy videos &lt;against&gt; extremism &amp; terrorism"))
        #expect(!html.contains("<against>"))
    }

    @Test func theCSVHoldsExactlyThePlottedRows() throws {
        #expect(
            try Self.render("column-single").csv
                == "period,amount_kzt\n2013-2017,103176000000\n2018-2022,270148000000\n")
        #expect(
            try Self.render("column-stacked").csv
                == "year,region,amount\n2016,Almaty,12\n2016,Shymkent,7\n2017,Almaty,15\n2018,Almaty,9\n2018,Shymkent,11\n2019,Almaty,20\n"
        )
        #expect(try Self.render("waffle-columns").csv == "column,value\nlots_completed,8\nlots_no_bidders,12\n")
        #expect(try Self.render("line-single").csv == "year,sum_amount\n2016,19\n2017,11\n2018,20\n2019,20\n")
        #expect(try Self.render("waffle-count").csv == "status,count\ncompleted,3\nnot_reported,1\ncancelled,1\n")
        let bar = try Self.render("bar-long-labels").csv
        #expect(bar.split(separator: "\n").count == 6)
        #expect(
            bar.contains(
                "\"TV programme cycle \"\"Dindegi dasturdin mangyzy\"\" (\"\"The importance of rites in religion\"\")\",10000000"
            ))
    }

    @Test func describesEachKindInPlainWords() throws {
        #expect(
            try Self.render("column-single").description
                == "Column chart of spending by period. 2013-2017: 103.2\u{00A0}bn\u{00A0}₸; 2018-2022: 270.1\u{00A0}bn\u{00A0}₸. 2018-2022 is 2.6 times 2013-2017."
        )
        #expect(
            try Self.render("waffle-columns").description
                == "Waffle chart of the 2017 contract. 20 in all: 8 completed, 12 without a compliant bidder.")
        #expect(
            try Self.render("donut").description
                == "Donut chart of lots by outcome. Total 20. completed: 8 (40%); No valid bidder: 12 (60%); cancelled: 0 (0%)."
        )
        #expect(
            try Self.render("line-single").description
                == "Line chart of total over time. From 19 in 2016 to 20 in 2019.")
        #expect(
            try Self.render("timeline").description
                == "Timeline of one ministry, four names. 4 events, in order. Undated: Committee on Religious Affairs under the Ministry of Culture and Sports; Undated: Ministry of Religious Affairs and Civil Society; 1 July 2018: Ministry of Social Development; 1 February 2019: Ministry of Information and Social Development."
        )
        #expect(
            try Self.render("column-grouped").description
                == "Column chart of amounts by year and region. Almaty: 2016 12, 2017 15, 2018 9, 2019 20. Shymkent: 2016 7, 2017 −4, 2018 11."
        )
        #expect(
            try Self.render("bar-long-labels").description.hasPrefix(
                "Bar chart of named lots. Issue of analytical methodologies: 57.5\u{00A0}m\u{00A0}₸;"))
        #expect(
            try Self.render("table").description == "Table of all named lots. 5 rows; columns: title, status, amount.")
    }

    @Test func anAltTextReplacesTheDescription() throws {
        let source = "type: column\ndata: spend\nx: period\ny: amount_kzt\nalt: Spending rose.\n"
        let chart = try ChartRenderer.render(
            source: source, datasets: try Self.datasets(), format: NumberFormat(), siteColors: [:], id: "c",
            csvName: "c.csv")
        #expect(chart.description == "Spending rose.")
        #expect(chart.html.contains("<desc id=\"c-w-desc\">Spending rose.</desc>"))
    }
}

extension ChartGoldenTests {
    @Test func convertingSaysTheRateAndRefusesTheWrongCurrency() throws {
        let chart = try Self.render("column-converted")
        #expect(
            chart.html.contains(
                "Amounts in tenge converted at 387.17 tenge to the dollar, the rate of 2019-06-03 (source: Test rate)"))
        #expect(chart.csv == "period,amount_kzt\n2013-2017,266487589.43\n2018-2022,697750342.23\n")
        let spec = ChartSpecTests()
        #expect(
            try spec.error("type: column\ndata: spend\nx: period\ny: amount_usd\nconvert: {to: USD, year: 2019}\n")
                == "5:1: convert to USD needs amounts in KZT, but 'amount_usd' is in USD")
        #expect(
            try spec.error("type: column\ndata: spend\nx: period\ny: amount_kzt\nconvert: {to: USD, year: 2001}\n")
                == "5:1: no USD rate in Data/rates.csv covers the year 2001")
    }

    @Test func chartsNamedFiguresInOneUnit() throws {
        let datasets = try Self.datasets()
        let named: [String: FigureExpression] = [
            "old": try FigureParser.parse("value(spend.amount_kzt, period=2013-2017)"),
            "new": try FigureParser.parse("value(spend.amount_kzt, period=2018-2022)"),
            "new_usd": try FigureParser.parse("usd_at(new, year=2019)"),
        ]
        let page = PageCharts(
            pageID: "p", datasets: datasets, config: SiteConfig(title: "Test"),
            figures: FigureEvaluator(datasets: datasets, named: named))
        let chart = try page.render("type: bar\nfigures:\n  Before: old\n  After: new\ntitle: Two figures\n")
        #expect(chart.csv == "label,value\nBefore,103176000000\nAfter,270148000000\n")
        #expect(chart.description.contains("Before: 103.2\u{00A0}bn\u{00A0}₸"))
        func error(_ spec: String) -> String? {
            do {
                _ = try page.render(spec)
                return nil
            } catch {
                return "\(error.line ?? 0):\(error.column ?? 0): \(error.message)"
            }
        }
        #expect(
            error("type: bar\nfigures:\n  Before: old\n  After: new_usd\n")
                == "2:1: figure 'new_usd' is in USD but the figures before it are in KZT")
        #expect(error("type: bar\nfigures:\n  Before: nope\n") == "2:1: unknown figure 'nope'")
        let converted = try page.render("type: bar\nfigures:\n  After: new_usd\n")
        #expect(converted.html.contains("How the figures were computed: converted at 387.17 tenge to the dollar"))
    }
}
