import Foundation
import Testing

@testable import DossierKit

@Suite struct FigureTests {
    func evaluator(named: [String: String] = [:]) throws -> FigureEvaluator {
        var parsed: [String: FigureExpression] = [:]
        for (name, text) in named { parsed[name] = try FigureParser.parse(text) }
        return FigureEvaluator(datasets: try ChartGoldenTests.datasets(), named: parsed)
    }

    func value(_ text: String, named: [String: String] = [:]) throws -> Decimal {
        try evaluator(named: named).evaluate(try FigureParser.parse(text)).value
    }

    func error(_ text: String) -> String? {
        do {
            _ = try evaluator().evaluate(try FigureParser.parse(text))
            return nil
        } catch let error as LocalError {
            return "\(error.column ?? 0): \(error.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test func findsFiguresAndLeavesCodeAlone() throws {
        let (body, uses) = try FigureStage.extract(
            "Total {{= sum(lots.amount) | tenge_short }} and {{claim 2.8 ≈ ratio(a, b) ± 5%}}.\n```\n{{= not.this }}\n```\n{{ plain }}"
        )
        #expect(body == "Total XDOSSIERFIGURE0X and XDOSSIERFIGURE1X.\n```\n{{= not.this }}\n```\n{{ plain }}")
        #expect(uses.count == 2)
        #expect(uses[0].expression == "sum(lots.amount)")
        #expect(uses[0].line == 1 && uses[0].column == 7)
        guard case .claim(let typed, let tolerance) = uses[1].kind else {
            Issue.record("expected a claim")
            return
        }
        #expect(typed == "2.8" && tolerance == Decimal(string: "0.05"))
        #expect(uses[1].expression == "ratio(a, b)")
    }

    @Test func computesFromTheData() throws {
        #expect(try value("sum(lots.amount)") == 126_671_000)
        #expect(try value("sum(lots.amount, status=completed)") == 60_271_000)
        #expect(try value("count(lots, status=completed)") == 3)
        #expect(try value("count(lots)") == 5)
        #expect(try value("max(lots.amount)") == 57_500_000)
        #expect(try value("value(spend.amount_kzt, period=2018-2022)") == 270_148_000_000)
        #expect(
            try value(
                "ratio(b, a)",
                named: [
                    "a": "value(spend.amount_kzt, period=2013-2017)",
                    "b": "value(spend.amount_kzt, period=\"2018-2022\")",
                ]) > Decimal(string: "2.61")!)
        #expect(try value("change(10, 15)") == Decimal(string: "0.5"))
        #expect(try value("share(count(lots, status=completed), count(lots))") == Decimal(string: "0.6"))
    }

    @Test func explainsWhatIsWrong() {
        #expect(error("sum(lot.amount)") == "1: dataset 'lot' does not exist")
        #expect(error("sum(lots.amout)") == "1: dataset 'lots' has no column 'amout'")
        #expect(error("sum(lots.title)") == "1: column 'title' holds text; sum needs numbers")
        #expect(error("total(lots.amount)") == "1: unknown function 'total'")
        #expect(
            error("value(lots.amount, status=completed)") == "1: value() needs exactly one row, but 3 of 'lots' match")
        #expect(error("sum(lots.amount, status=lost)") == "1: no row of 'lots' has status=lost")
        #expect(error("budget") == "0: unknown figure 'budget'")
        #expect(error("sum(lots.amount") == "16: expected ',' or ')'")
    }

    @Test func readsTypedQuantities() {
        #expect(FigureStage.quantity("39 million tenge") == 39_000_000)
        #expect(FigureStage.quantity("$100.73 thousand") == 100_730)
        #expect(FigureStage.quantity("1.7 bn") == 1_700_000_000)
        #expect(FigureStage.quantity("155,854 thousand tenge") == 155_854_000)
        #expect(FigureStage.quantity("2.8") == Decimal(string: "2.8"))
        #expect(FigureStage.quantity("many") == nil)
    }

    func claim(_ text: String) throws -> [Diagnostic] {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try dir.write("Content/claim.md", "---\ntitle: Claim\ndate: 2019-01-01\n---\n\nThe text says \(text).\n")
        do {
            _ = try SiteBuilder(project: Project(root: dir.url)).render()
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func checksTypedClaimsAgainstTheData() throws {
        #expect(try claim("{{claim 16.2 million ≈ sum(tenders.amount_kzt) ± 1%}}").isEmpty)
        let wrong = try claim("{{claim 18 million ≈ sum(tenders.amount_kzt) ± 5%}}")
        #expect(
            wrong.map(\.headline) == [
                "Content/claim.md:6:15: error: claim '18 million' does not match sum(tenders.amount_kzt) = 16,200,000.5\u{00A0}₸ (off by 11.1%)"
            ])
        let slip = try claim("{{claim 16200 ≈ sum(tenders.amount_kzt) ± 1%}}")
        #expect(slip.first?.hint == "this looks like a unit slip: 16200 × 10^3 matches the data")
    }
}

extension FigureTests {
    @Test func convertsAtTheRateOfTheDateOrYear() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try dir.write(
            "Data/rates.csv", "date,currency,rate\n2013-06-01,USD,151.5\n2019-06-03,USD,387.17\n2019-01-10,USD,370\n")
        try dir.write(
            "Content/money.md",
            "---\ntitle: Money\ndate: 2019-01-01\n---\n\n{{= usd_at(sum(tenders.amount_kzt, id=t1), year=2019) | usd }}; {{= rate(year=2013) }}; {{= usd_at(7300000, date=2019-03-01) | usd }}\n"
        )
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let values = site.figures.map(\.value)
        #expect(values == ["$18,854.77", "151.5", "$19,729.73"])
        try dir.write("Content/money.md", "---\ntitle: Money\ndate: 2019-01-01\n---\n\n{{= usd_at(100, year=2001) }}\n")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).render()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.headline) == [
                "Content/money.md:6:5: error: figure: no USD rate in Data/rates.csv covers the year 2001"
            ]
        }
    }
}
