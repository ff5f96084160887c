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

@Suite struct ChartSpecTests {
    func error(_ spec: String) throws -> String? {
        do {
            _ = try ChartRenderer.render(
                source: spec, datasets: try ChartGoldenTests.datasets(), format: NumberFormat(), siteColors: [:],
                id: "c",
                csvName: "c.csv")
            return nil
        } catch let error as LocalError {
            return "\(error.line ?? 0):\(error.column ?? 0): \(error.message)"
        }
    }

    @Test func readsEveryKey() throws {
        let spec = try ChartSpec.parse(
            """
            type: bar
            data: lots
            x: title
            y: amount
            filter: {status: [completed, cancelled], amount: {min: 1000, max: 50000000}}
            sort: {by: value, order: descending}
            limit: 3
            aggregate: sum
            format: tenge_short
            title: T
            subtitle: S
            note: N
            source: Src
            alt: A
            height: 300
            colors: {completed: positive, cancelled: "#d55e00"}
            highlight: completed
            stack: percent
            labels: {completed: Done}
            id: my-chart
            """)
        #expect(spec.type == .bar && spec.data == "lots" && spec.x == "title" && spec.y == ["amount"])
        #expect(spec.filters.count == 2)
        #expect(spec.sort?.by == .value && spec.sort?.descending == true)
        #expect(spec.limit == 3 && spec.aggregate == .sum && spec.format == "tenge_short")
        #expect(spec.height == 300 && spec.stack == .percent && spec.id == "my-chart")
        #expect(spec.colors == ["completed": "positive", "cancelled": "#d55e00"])
        #expect(spec.highlight == ["completed"] && spec.labels == ["completed": "Done"])
    }

    @Test func reportsBadSpecsAtTheirKey() throws {
        #expect(try error("type: pie\ndata: lots") == "1:7: unknown chart type 'pie'")
        #expect(
            try error("type: bar\ndata: lots\nx: title\ny: amount\ncolour: red") == "5:1: unknown chart key 'colour'")
        #expect(try error("type: bar\ndata: tender\nx: title\ny: amount") == "2:1: dataset 'tender' does not exist")
        #expect(try error("type: bar\ndata: lots\nx: name\ny: amount") == "3:1: dataset 'lots' has no column 'name'")
        #expect(
            try error("type: bar\ndata: lots\nx: title\ny: status")
                == "4:1: column 'status' holds text, but a chart needs numbers")
        #expect(
            try error("type: bar\ndata: lots\nx: title\ny: amount\nfilter:\n  status: lost")
                == "5:1: the filter leaves no rows of 'lots' (it has 5)")
        #expect(try error("type: bar\ndata: lots\nx: [title\ny: amount")?.hasPrefix("4:2: invalid YAML") == true)
        #expect(try error("type: bar\ndata: lots\ny: amount") == "1:1: bar chart needs `x:` (the category column)")
        #expect(
            try error("type: column\ndata: regions\nx: year\ny: amount") == "3:1: 2 rows of 'regions' share x '2016'")
        #expect(try error("data: lots") == "1:1: chart has no type")
        #expect(
            try error("type: donut\ndata: regions\nx: year\ny: amount\naggregate: min")
                == "4:1: a donut chart shows parts of a whole, but a value is negative (-4)")
        #expect(
            try error("type: waffle\ndata: many\nx: name\ny: value")
                == "4:1: a waffle chart draws one square per unit, and 1535 squares are too many (at most 1000)")
        #expect(try error("type: waffle\ndata: many\nx: name\ny: value\nlimit: 5") == nil)
        #expect(
            try error("type: line\ndata: lots\nx: title\ny: amount\nstack: true")
                == "5:1: only bar and column charts can be stacked")
        #expect(
            try error("type: bar\ndata: lots\nx: title\ny: amount\nformat: money_long")
                == "5:9: unknown format 'money_long'")
    }
}

extension ChartSpecTests {
    /// On a page made from data, a chart filtered on the page's key starts from the page's rows;
    /// any other chart looks at every row.
    @Test func aPagesRowsAreUsedOnlyForChartsFilteredOnItsKey() throws {
        let hint = ChartData.RowHint(dataset: "lots", column: "status", key: "completed", rows: [0, 1])
        let onKey = try ChartSpec.parse(
            "type: bar\ndata: lots\nx: title\ny: amount\nfilter:\n  status: \"completed\"\n")
        #expect(hint.rows(for: onKey) == [0, 1])
        let otherValue = try ChartSpec.parse(
            "type: bar\ndata: lots\nx: title\ny: amount\nfilter:\n  status: cancelled\n")
        #expect(hint.rows(for: otherValue) == nil)
        let unfiltered = try ChartSpec.parse("type: bar\ndata: lots\nx: title\ny: amount\n")
        #expect(hint.rows(for: unfiltered) == nil)
        let otherData = try ChartSpec.parse(
            "type: bar\ndata: spend\nx: period\ny: amount_kzt\nfilter:\n  status: completed\n")
        #expect(hint.rows(for: otherData) == nil)
        // Same table either way.
        let datasets = try ChartGoldenTests.datasets()
        let all = try ChartData.prepare(onKey, datasets: datasets, format: NumberFormat())
        let hinted = try ChartData.prepare(
            onKey, datasets: datasets, format: NumberFormat(),
            rowHint: ChartData.RowHint(
                dataset: "lots", column: "status", key: "completed",
                rows: (0..<datasets["lots"]!.rowCount).filter { datasets["lots"]![$0, 1].plainText == "completed" }))
        #expect(all.categories == hinted.categories && all.values == hinted.values)
    }
}
