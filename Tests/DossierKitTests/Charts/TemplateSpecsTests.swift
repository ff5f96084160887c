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

/// Chart specs of templates are parsed once with placeholders; each page's values go into the
/// parsed spec. That must give the spec parsing the page's own text gives, or step aside.
@Suite struct TemplateSpecsTests {
    static let text = """
        type: bar
        data: $data
        x: title
        y: amount_kzt
        filter:
          $column: $key
        title: Lots of $key
        labels:
          completed: Completed by $key
        """

    static func substitutedTheOldWay(_ text: String, _ values: [String: String]) -> String {
        var spec = text
        for (name, value) in values.sorted(by: { $0.key > $1.key }) {
            spec = spec.replacingOccurrences(
                of: "$" + name,
                with: "\""
                    + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\"")
        }
        return spec
    }

    @Test func aPagesValuesGoIntoTheParsedSpec() throws {
        let values = ["data": "tenders", "column": "winner", "key": #"TOO "Kazanat" \ Miras"#]
        let specs = TemplateSpecs()
        let parsed = try #require(specs.spec(Self.text, names: Array(values.keys)))
        #expect(parsed.placeholders == 5)
        var replaced = 0
        let spec = try #require(parsed.spec.substituting(values, replaced: &replaced))
        #expect(replaced == 5)
        let direct = try ChartSpec.parse(Self.substitutedTheOldWay(Self.text, values))
        #expect(spec.data == direct.data)
        #expect(spec.title == direct.title)
        #expect(spec.labels == direct.labels)
        guard case .oneOf(let column, let keys) = spec.filters.first,
            case .oneOf(let directColumn, let directKeys) = direct.filters.first
        else {
            Issue.record("expected a filter of values")
            return
        }
        #expect(column == directColumn && column == "winner")
        #expect(keys == directKeys && keys == [.text(values["key"]!)])
        // The second page reuses the first parse.
        #expect(specs.spec(Self.text, names: Array(values.keys))?.placeholders == 5)
    }

    /// Values go into text fields in one pass over their bytes; it must give what replacing
    /// each placeholder in turn, the quoted form first, gives.
    @Test func placeholdersAreReplacedAsOneAtATimeWould() throws {
        let values = ["key": #"Қазақ "TOO" \ 1"#, "column": "winner", "k": "", "data": "$key"]
        func oneAtATime(_ text: String) -> (String, Int) {
            var out = text
            var count = 0
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                let placeholder = TemplateSpecs.placeholder(name)
                let quoted = "\"" + placeholder + "\""
                let inText = out.components(separatedBy: quoted)
                count += inText.count - 1
                out = inText.joined(separator: "\"" + TemplateSpecs.escaped(value) + "\"")
                let whole = out.components(separatedBy: placeholder)
                count += whole.count - 1
                out = whole.joined(separator: value)
            }
            return (out, count)
        }
        let p = TemplateSpecs.placeholder
        let titles = [
            "Lots of \"\(p("key"))\"", p("key"), "\(p("key")) and \(p("column"))", "\"\(p("key"))\"\(p("column"))\"",
            "«\(p("k"))» \(p("unknown")) \(p("key"))", "\(p("data"))\(p("data"))", "no placeholder: \u{E000}", "\u{E000}key",
            "\"\(p("column"))", "\(p("column"))\"", "",
        ]
        let specs = TemplateSpecs()
        let parsed = try #require(specs.spec(Self.text, names: ["data", "column", "key"]))
        for title in titles {
            var spec = parsed.spec
            spec.title = title
            spec.filters = []
            spec.labels = [:]
            spec.data = "tenders"
            var replaced = 0
            let substituted = try #require(spec.substituting(values, replaced: &replaced))
            let (expected, count) = oneAtATime(title)
            #expect(substituted.title == expected, "\(title)")
            #expect(replaced == count, "\(title)")
        }
    }

    @Test func aPlaceholderWhereTheParserChecksTheValueStepsAside() throws {
        let specs = TemplateSpecs()
        // The year of a conversion is read as a year or date later: the page must parse its own
        // text.
        let withYear = Self.text + "\nconvert: {to: USD, year: $key}"
        let parsed = try #require(specs.spec(withYear, names: ["data", "column", "key"]))
        var replaced = 0
        #expect(parsed.spec.substituting(["data": "t", "column": "c", "key": "k"], replaced: &replaced) == nil)
        // `stack` and `id` cannot be parsed with a placeholder at all.
        #expect(specs.spec(Self.text + "\nstack: $key", names: ["data", "column", "key"]) == nil)
        #expect(specs.spec(Self.text + "\nid: $key", names: ["data", "column", "key"]) == nil)
    }
}
