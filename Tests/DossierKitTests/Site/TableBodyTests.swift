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

/// `table.body` is the rows of a dataset's table as HTML, made without the template engine; it
/// must be what the loop over `table.rows` and `cells` writes.
@Suite struct TableBodyTests {
    static let loop = """
        {{#table.rows}}<tr>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}>{{#url}}<a href="{{url}}">{{text}}</a>{{/url}}{{^url}}{{text}}{{/url}}</td>{{/cells}}</tr>
        {{/table.rows}}
        """

    static func dataset() -> Dataset {
        var source = Column(name: "source", type: .text, label: "Source")
        source.role = "source"
        let columns = [
            Column(name: "title", type: .text, label: "Title"),
            Column(name: "amount", type: .number, label: "Amount", unit: "KZT"),
            Column(name: "signed", type: .date, label: "Signed"),
            source,
        ]
        let titles: [Value] = [.text("Lot <1> & \"quotes\""), .text("Rite's cycle"), .null]
        let amounts: [Value] = [.number(155_854_000), .number(Decimal(string: "8900000.5")!), .null]
        let dates: [Value] = [.date(DateValue(iso: "2019-06-03")!), .null, .date(DateValue(iso: "2018-01-31")!)]
        let sources: [Value] = [.text("https://goszakup.gov.kz/?a=1&b=2"), .text("Ministry letter"), .null]
        return Dataset(
            name: "lots", path: "Data/lots.csv", columns: columns,
            data: [
                DataColumn(titles, type: .text), DataColumn(amounts, type: .number), DataColumn(dates, type: .date),
                DataColumn(sources, type: .text),
            ],
            rowCount: 3, meta: DatasetMeta(), hasSchema: true)
    }

    @Test func bodyIsWhatTheLoopWrites() throws {
        let context = PageContext.dataset(Self.dataset(), format: NumberFormat(language: "en"))
        let library = TemplateLibrary()
        library.register(try CompiledTemplate(Self.loop), named: "loop")
        let looped = library.render("loop", .dictionary(context))
        let table = try #require(context["table"] as? [String: Any])
        let body = try #require(table["body"] as? String)
        #expect(body == looped)
        #expect(body.contains("Lot &lt;1&gt; &amp; &quot;quotes&quot;"))
        #expect(body.contains(#"<a href="https://goszakup.gov.kz/?a=1&amp;b=2">"#))
        #expect(body.contains(#"<td class="num">155,854,000"#))
    }

    @Test func rowsAreBuiltOnlyWhenATemplateReadsThem() throws {
        let set = TemplateSet.Usage(
            articles: false, data: false, chartData: [], signature: 0, names: ["table", "body"])
        let context = PageContext.dataset(Self.dataset(), format: NumberFormat(language: "en"), usage: set)
        let table = try #require(context["table"] as? [String: Any])
        #expect((context["rows"] as? [[String: Any]])?.isEmpty == true)
        #expect((table["rows"] as? [[String: Any]])?.isEmpty == true)
        #expect((table["body"] as? String)?.components(separatedBy: "<tr>").count == 4)
    }
}
