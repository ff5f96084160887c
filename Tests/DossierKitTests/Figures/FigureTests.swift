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
        guard case .claim(let typed, let tolerance, let disputed) = uses[1].kind, !disputed else {
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
                "Content/claim.md:6:15: error: claim '18 million' does not match sum(tenders.amount_kzt) = 16,200,000.50\u{00A0}₸ (off by 11.1%)"
            ])
        let slip = try claim("{{claim 16200 ≈ sum(tenders.amount_kzt) ± 1%}}")
        #expect(
            slip.first?.hint
                == "this looks like a unit slip: '16200' is thousands of times too small; is 'thousand' missing?")
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

extension FigureTests {
    @Test func readsUnitsAndBoundsOfTypedQuantities() {
        #expect(TypedQuantity("$100.73 thousand") == TypedQuantity(value: 100_730, unit: "USD"))
        #expect(TypedQuantity("402.55 dollars") == TypedQuantity(value: Decimal(string: "402.55")!, unit: "USD"))
        #expect(TypedQuantity("39 million tenge") == TypedQuantity(value: 39_000_000, unit: "KZT"))
        #expect(TypedQuantity("270.1 bn ₸") == TypedQuantity(value: 270_100_000_000, unit: "KZT"))
        #expect(TypedQuantity("72 per cent") == TypedQuantity(value: 72, unit: "%"))
        #expect(TypedQuantity("60%") == TypedQuantity(value: 60, unit: "%"))
        #expect(
            TypedQuantity("over 1 billion dollars") == TypedQuantity(value: 1_000_000_000, unit: "USD", bound: .over))
        #expect(TypedQuantity("more than 60 per cent") == TypedQuantity(value: 60, unit: "%", bound: .over))
        #expect(TypedQuantity("less than 5 million") == TypedQuantity(value: 5_000_000, bound: .under))
        #expect(TypedQuantity("2.8 times") == TypedQuantity(value: Decimal(string: "2.8")!))
        #expect(TypedQuantity("no figure") == nil)
    }

    @Test func checksUnitsBoundsAndPercentages() throws {
        // 16,200,000.5 tenge in the fixture's tenders.
        let dollars = try claim("{{claim $16.2 million ≈ sum(tenders.amount_kzt) ± 1%}}")
        #expect(
            dollars.map(\.message) == [
                "claim '$16.2 million' does not match sum(tenders.amount_kzt) = 16,200,000.50\u{00A0}₸: the claim is in dollars, but the figure is in tenge"
            ])
        #expect(try claim("{{claim 16.2 million tenge ≈ sum(tenders.amount_kzt) ± 1%}}").isEmpty)
        #expect(try claim("{{claim over 16 million tenge ≈ sum(tenders.amount_kzt)}}").isEmpty)
        let over = try claim("{{claim over 20 million tenge ≈ sum(tenders.amount_kzt)}}")
        #expect(
            over.map(\.message) == [
                "claim 'over 20 million tenge' says more than 20,000,000\u{00A0}₸, but sum(tenders.amount_kzt) = 16,200,000.50\u{00A0}₸"
            ])
        #expect(try claim("{{claim under 20 million ≈ sum(tenders.amount_kzt)}}").isEmpty)
        // A share is a fraction; a claim in per cent is read as hundredths.
        #expect(try claim("{{claim 33% ≈ share(count(tenders, status=completed), count(tenders)) ± 2%}}").isEmpty)
        #expect(try claim("{{claim 50% ≈ share(count(tenders, status=completed), count(tenders)) ± 2%}}").count == 1)
    }

    @Test func disputedClaimsMustStayContradicted() throws {
        #expect(try claim("{{claim 18 million ≠ sum(tenders.amount_kzt) ± 5%}}").isEmpty)
        let agreed = try claim("{{claim 16.2 million != sum(tenders.amount_kzt) ± 1%}}")
        #expect(
            agreed.map(\.message) == [
                "claim '16.2 million' is marked as contradicted (≠), but sum(tenders.amount_kzt) = 16,200,000.50\u{00A0}₸ bears it out"
            ])
    }

    /// The seed's three slips, typed as ordinary claims: the build names each with both values.
    @Test func catchesTheSourceTextsOwnInconsistencies() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try Fixtures.apply(overlay: Fixtures.invalidCases.appendingPathComponent("source-inconsistencies"), to: dir.url)
        do {
            _ = try SiteBuilder(project: Project(root: dir.url)).render()
            Issue.record("the build passed")
        } catch {
            let found = error.diagnostics
            #expect(found.count == 3)
            #expect(found.map(\.location.line) == [9, 11, 13])
            #expect(found[0].message.contains("'2.8 times' does not match") && found[0].message.contains("= 2.6183"))
            #expect(
                found[1].message.contains("says more than $1,000,000,000")
                    && found[1].message.contains("$678,209,426.15"))
            #expect(found[1].hint?.contains("152.13 tenge to the dollar") == true)
            #expect(found[2].message.contains("= $402,546.68"))
            #expect(
                found[2].hint
                    == "this looks like a unit slip: '402.55 dollars' is thousands of times too small; is 'thousand' missing?"
            )
        }
    }

    @Test func conversionsCheckTheirUnitsAndSayTheirRate() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try dir.write("Data/rates.csv", "date,currency,rate,source\n2019-06-03,USD,387.17,NBK\n")
        try dir.write(
            "Content/money.md",
            "---\ntitle: Money\ndate: 2019-01-01\n---\n\n{{= usd_at(sum(tenders.amount_kzt, id=t1), year=2019) | usd_words }}\n"
        )
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        #expect(site.figures.map(\.value) == ["$18.85 thousand"])
        #expect(
            site.figures.first?.notes == [
                "converted at 387.17 tenge to the dollar, the rate of 2019-06-03 (source: NBK)"
            ])
        let page = try #require(site.files.first { $0.path == "money/index.html" })
        #expect(String(decoding: page.bytes, as: UTF8.self).contains("converted at 387.17 tenge to the dollar"))
        try dir.write(
            "Content/money.md",
            "---\ntitle: Money\ndate: 2019-01-01\n---\n\n{{= usd_at(usd_at(100, year=2019), year=2019) }}\n")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).render()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.message) == [
                "figure: usd_at converts tenge, but usd_at(100, year=2019) is in USD"
            ]
        }
    }

    @Test func datasetsDefineNamedFiguresWithTheirRowSources() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try dir.write("Data/stated.csv", "id,value,who\nattacks,38,KNB\nviews,428,https://youtube.com/\n")
        try dir.write(
            "Data/stated.schema.yml",
            "figures: {name: id, value: value}\ncolumns:\n  id: text\n  value: integer\n  who: {type: text, role: source}\n"
        )
        try dir.write(
            "Content/stated.md", "---\ntitle: Stated\ndate: 2019-01-01\n---\n\n{{= attacks }} and {{= views }}.\n")
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        #expect(site.figures.map(\.value) == ["38", "428"])
        #expect(site.figures.map(\.notes) == [["source: KNB"], ["source: https://youtube.com/"]])
        try dir.write("Data/figures.yml", "attacks: value(tenders.amount_kzt, id=t1)\n")
        try dir.write(
            "Data/stated.schema.yml",
            "figures: {name: id, value: amount}\ncolumns:\n  id: text\n  value: integer\n  who: {type: text, role: source}\n"
        )
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).render()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.headline) == [
                "Data/stated.schema.yml:1:10: error: figures: dataset 'stated' has no column 'amount'"
            ]
        }
        try dir.write(
            "Data/stated.schema.yml",
            "figures: {name: id, value: value}\ncolumns:\n  id: text\n  value: integer\n")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).render()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.headline) == [
                "Data/stated.schema.yml:1:10: error: figure 'attacks' (row 1 of Data/stated.csv) is already defined"
            ]
        }
    }

    @Test func findsNumbersTypedInProse() {
        let body = """
            In 2017 the 20 lots cost 155,854 thousand tenge; {{= lots }} were computed and
            {{claim 2.6 ≈ ratio(a, b)}} was checked. On 3 June 2019, 2018-2022, G20 and `x = 42`.
            1. A list item, [a link](https://example.org/7) and a note.[^1]
            ```chart
            height: 300
            ```
            About 1.7 bn.
            """
        let found = TypedNumbers.scan(body).map { "\($0.line):\($0.column) \($0.text)" }
        #expect(found == ["1:13 20", "1:26 155,854", "7:7 1.7"])
    }
}

extension FigureTests {
    /// The payments of the chart fixtures, read independently here to compute what each new
    /// function must give.
    func payments() throws -> [(date: String, supplier: String, amount: Decimal, kind: String)] {
        let url = ChartGoldenTests.folder.appendingPathComponent("data/payments.csv")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (f[0], f[1], Decimal(string: f[2])!, f[3])
        }
    }

    @Test func computesMediansQuantilesDistinctCountsAndRanges() throws {
        let rows = try payments()
        let amounts = rows.map(\.amount).sorted()
        // Median and the 0.9 quantile, interpolated between ranks (as NumPy's default).
        func quantile(_ p: Decimal) -> Decimal {
            let position = p * Decimal(amounts.count - 1)
            let low = Int(NSDecimalNumber(decimal: position).doubleValue.rounded(.down))
            let fraction = position - Decimal(low)
            return low + 1 < amounts.count ? amounts[low] + (amounts[low + 1] - amounts[low]) * fraction : amounts[low]
        }
        #expect(try value("median(payments.amount)") == quantile(0.5))
        #expect(try value("quantile(payments.amount, 0.9)") == quantile(Decimal(string: "0.9")!))
        #expect(try value("count_distinct(payments.supplier)") == Decimal(Set(rows.map(\.supplier)).count))
        let big = rows.filter { $0.amount >= 9900 }
        #expect(try value("count(payments, amount>=9900)") == Decimal(big.count))
        #expect(try value("sum(payments.amount, amount>=9900)") == big.map(\.amount).reduce(0, +))
        #expect(try value("count(payments, amount<2500)") == Decimal(rows.filter { $0.amount < 2500 }.count))
        let ranged = rows.filter { $0.amount >= 2500 && $0.amount <= 9900 }
        #expect(try value("count(payments, amount=2500..9900)") == Decimal(ranged.count))
        let q1 = rows.filter { $0.date >= "2025-01-01" && $0.date <= "2025-03-31" }
        #expect(try value("sum(payments.amount, date=2025-01-01..2025-03-31)") == q1.map(\.amount).reduce(0, +))
        let two = rows.filter { ["Civic Media", "Metro IT Inc"].contains($0.supplier) }
        #expect(try value("count(payments, supplier in [Civic Media, Metro IT Inc])") == Decimal(two.count))
        #expect(try value("count(payments, kind!=goods)") == Decimal(rows.filter { $0.kind != "goods" }.count))
        #expect(error("count(payments, amount>=1000000)") == "1: no row of 'payments' has amount>=1000000")
    }

    @Test func computesArithmeticBetweenFigures() throws {
        let rows = try payments()
        let goods = rows.filter { $0.kind == "goods" }.map(\.amount).reduce(0, +)
        let service = rows.filter { $0.kind == "service" }.map(\.amount).reduce(0, +)
        #expect(try value("sum(payments.amount, kind=goods) - sum(payments.amount, kind=service)") == goods - service)
        #expect(try value("(sum(payments.amount, kind=goods) + sum(payments.amount, kind=service)) / 2") == (goods + service) / 2)
        #expect(try value("2 + 3 * 4") == 14)
        #expect(try value("(2 + 3) * 4") == 20)
        #expect(error("sum(payments.amount) / 0")?.hasSuffix("division by zero: 0 is 0") == true)
    }

    @Test func namesTheTopOfAColumnAndReadsText() throws {
        let rows = try payments()
        var totals: [String: Decimal] = [:]
        for row in rows { totals[row.supplier, default: 0] += row.amount }
        let ranked = totals.sorted { $0.value > $1.value }.map(\.key)
        let evaluator = try evaluator()
        let first = try evaluator.evaluate(try FigureParser.parse("top(payments.supplier, by=sum(payments.amount))"))
        #expect(first.text == ranked[0])
        #expect(first.value == totals[ranked[0]])
        let second = try evaluator.evaluate(try FigureParser.parse("top(payments.supplier, by=sum(payments.amount), rank=2)"))
        #expect(second.text == ranked[1])
        var counts: [String: Int] = [:]
        for row in rows { counts[row.supplier, default: 0] += 1 }
        let mostRows = try evaluator.evaluate(try FigureParser.parse("top(payments.supplier)"))
        #expect(counts[mostRows.text!] == counts.values.max())
        let one = try evaluator.evaluate(try FigureParser.parse("value(lots.status, amount=8900000)"))
        #expect(one.text == "cancelled")
    }

    @Test func claimsOnTextAndSharesInPerCent() throws {
        // In a site: a claim on a name compares exactly; a share says per cent.
        #expect(try claim("{{claim completed ≈ value(tenders.status, id=t1)}}").isEmpty)
        let wrong = try claim("{{claim cancelled ≈ value(tenders.status, id=t1)}}")
        #expect(wrong.map(\.message) == ["claim 'cancelled' does not match value(tenders.status, id=t1) = 'completed'"])
        let share = try claim("{{claim 60% ≈ share(sum(tenders.amount_kzt, id=t1), sum(tenders.amount_kzt)) ± 1%}}")
        #expect(share.first?.message.contains("= 45.06%") == true, "\(share.map(\.message))")
    }
}

