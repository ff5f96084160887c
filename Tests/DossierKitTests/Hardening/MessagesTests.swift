import Foundation
import Testing

@testable import DossierCore
@testable import DossierProject
@testable import DossierContent
@testable import DossierSite
@testable import DossierKit

/// Errors at the place the user wrote, with what to change: from `check` and `build` alike.
@Suite struct MessagesTests {
    func starter() throws -> (TemporaryDirectory, URL) {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        return (dir, root)
    }

    func errors(_ root: URL) throws -> [String] {
        let check = try Fixtures.run(["check", "--root", root.path], timeout: 120)
        let build = try Fixtures.run(["build", "--root", root.path, "--quiet"], timeout: 120)
        #expect(check.status != 0 && build.status != 0)
        let lines = { (text: String) in text.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") } }
        #expect(lines(check.err) == lines(build.err))
        return lines(build.err)
    }

    @Test func aSchemasOwnErrorIsShownNotThatItHasNoDataset() throws {
        let (dir, root) = try starter()
        defer { withExtendedLifetime(dir) {} }
        try Data("files: [\"../elsewhere/*.csv\"]\n".utf8).write(to: root.appendingPathComponent("Data/q.schema.yml"))
        #expect(try errors(root) == ["Data/q.schema.yml:1:8: error: files: '../elsewhere/*.csv' is not inside Data/"])
    }

    @Test func aSlugClashingWithATemplatesPageIsReportedAtTheSlug() throws {
        let (dir, root) = try starter()
        defer { withExtendedLifetime(dir) {} }
        let site = root.appendingPathComponent("Content/site.yml")
        try Data((try String(contentsOf: site, encoding: .utf8) + "languages: [en, ru]\n").utf8).write(to: site)
        try Data("---\ntitle: Sources\ndate: 2020-01-01\nslug: ru\n---\nText.\n".utf8)
            .write(to: root.appendingPathComponent("Content/data-story.md"))
        let found = try errors(root)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("Content/data-story.md:4:7: error: page ru/index.html would be written twice: by Templates/") == true, "\(found)")
    }

    @Test func typosInSearchSettingsAreErrorsAtTheirLine() throws {
        let (dir, root) = try starter()
        defer { withExtendedLifetime(dir) {} }
        let site = root.appendingPathComponent("Content/site.yml")
        let text = try String(contentsOf: site, encoding: .utf8)
        try Data((text + "search:\n  columns:\n    spendng: [vendor]\n    spending: [vendr]\n  sections: [article]\n").utf8).write(to: site)
        let found = try errors(root)
        #expect(
            found == [
                "Content/site.yml:11:14: error: search: columns: names dataset 'spendng', which does not exist",
                "Content/site.yml:12:15: error: search: columns: names column 'vendr', which spending does not have",
                "Content/site.yml:13:13: error: search: sections: names 'article', which is not a section of the site",
            ], "\(found)")
    }
}

extension MessagesTests {
    /// A file of the article clashing with a file `site.yml` makes (the search index) is
    /// reported at the article, not at `site.yml`.
    @Test func aFileClashWithTheSearchIndexIsReportedAtTheArticle() throws {
        let (dir, root) = try starter()
        defer { withExtendedLifetime(dir) {} }
        let site = root.appendingPathComponent("Content/site.yml")
        try Data((try String(contentsOf: site, encoding: .utf8) + "search: true\n").utf8).write(to: site)
        try Data("---\ntitle: X\ndate: 2020-01-01\nslug: search/index.json\n---\nText.\n".utf8)
            .write(to: root.appendingPathComponent("Content/x.md"))
        #expect(try errors(root) == [
            "Content/x.md:4:7: error: search/index.json would be a file and a folder: from Content/site.yml and, as the folder of search/index.json/index.html, from Content/x.md"
        ])
    }
}
