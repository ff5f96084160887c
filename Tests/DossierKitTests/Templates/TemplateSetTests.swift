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

@Suite struct TemplateSetTests {
    func load(_ files: [String: String]) throws -> (TemplateSet?, [String]) {
        let dir = try TemporaryDirectory()
        for (path, text) in files { try dir.write("Templates/" + path, text) }
        let (set, problems) = TemplateSet.load(Project(root: dir.url))
        return (set, problems.map(\.headline))
    }

    let minimal = [
        "home.mustache": "{{>partials/x}}", "article.mustache": "{{page.title}}", "partials/x.mustache": "x",
    ]

    @Test func loadsNestedTemplatesByPath() throws {
        let (set, problems) = try load(minimal)
        #expect(problems.isEmpty)
        #expect(set?.names == ["article", "home", "partials/x"])
        #expect(set?.render("home", [:]) == "x")
    }

    @Test func reportsEverySyntaxErrorWithLineAndColumn() throws {
        var files = minimal
        files["home.mustache"] = "line one\n{{#open}}never closed\n"
        files["article.mustache"] = "<p>\n  {{name\n"
        let (set, problems) = try load(files)
        #expect(set == nil)
        #expect(problems.count == 2)
        // Each at the tag that is wrong: the section that is never closed, the tag without }}.
        #expect(problems.contains { $0.hasPrefix("Templates/home.mustache:2:1: error: section 'open' is never closed") })
        #expect(problems.contains { $0.hasPrefix("Templates/article.mustache:2:3: error: tag is not closed with }}") })
    }

    @Test func reportsMissingPartialsAndLayouts() throws {
        var files = minimal
        files["home.mustache"] = "<main>\n  {{> partials/nav }}\n</main>"
        files["article.mustache"] = "{{<base}}{{$main}}x{{/main}}{{/base}}"
        let (_, problems) = try load(files)
        #expect(
            problems == [
                "Templates/article.mustache:1:1: error: layout 'base' does not exist",
                "Templates/home.mustache:2:3: error: partial 'partials/nav' does not exist",
            ])
    }

    @Test func requiresHomeAndArticle() throws {
        let (_, problems) = try load(["partials/x.mustache": "x"])
        #expect(
            problems == [
                "Templates/home.mustache: error: template 'home' is missing",
                "Templates/article.mustache: error: template 'article' is missing",
            ])
    }

    @Test func numbersAndDatesRenderWithTransforms() throws {
        let format = NumberFormat(language: "en")
        let (set, _) = try load([
            "home.mustache":
                "{{n}} {{tenge_short(n)}} {{usd(n)}} {{raw(n)}} {{d}} {{iso(d)}} {{year(d)}} {{p}} {{percent(f)}}",
            "article.mustache": "",
        ])
        let context: [String: Any] = [
            "n": Value.integer(155_854_000).templateValue(format: format, unit: "KZT")!,
            "d": Value.date(DateValue(iso: "2018-04-12")!).templateValue(format: format)!,
            "p": Value.integer(2017).templateValue(format: format, column: "year")!,
            "f": Value.number(Decimal(string: "0.4")!).templateValue(format: format)!,
        ]
        #expect(
            set?.render("home", context)
                == "155,854,000\u{00A0}₸ 155.9\u{00A0}m\u{00A0}₸ $155,854,000 155854000 12 April 2018 2018-04-12 2018 2017 40%"
        )
    }
}
