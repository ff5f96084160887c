import Foundation
import Testing

@testable import DossierCore
@testable import DossierProject
@testable import DossierContent
@testable import DossierSite
@testable import DossierKit

/// A draft original withholds its translations; `--drafts` shows them all, linked to each other.
@Suite struct DraftTranslationTests {
    @Test func aDraftsTranslationsWaitWithIt() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        for name in ["prevention.md"] {
            let url = dir.url.appendingPathComponent("Content/\(name)")
            let text = try String(contentsOf: url, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "---\ntitle:", with: "---\ndraft: true\ntitle:").utf8).write(to: url)
        }
        let public_ = dir.url.appendingPathComponent("Public")
        let pages = ["prevention/index.html", "ru/prevention/index.html", "kk/prevention/index.html"]
        let report = try SiteBuilder(project: Project(root: dir.url)).build()
        for page in pages { #expect(!FileManager.default.fileExists(atPath: public_.appendingPathComponent(page).path), "\(page)") }
        let sitemap = try String(contentsOf: public_.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        #expect(!sitemap.contains("prevention"))
        let all = try SiteBuilder(project: Project(root: dir.url), options: BuildOptions(includeDrafts: true)).build()
        #expect(all.pages >= report.pages + 3)
        for page in pages { #expect(FileManager.default.fileExists(atPath: public_.appendingPathComponent(page).path), "\(page)") }
        let ru = try String(contentsOf: public_.appendingPathComponent("ru/prevention/index.html"), encoding: .utf8)
        #expect(ru.contains("hreflang=\"en\"") && ru.contains("hreflang=\"kk\""))
    }
}

/// The sitemap carries URIs: a page path in another script, or with a space, is
/// percent-encoded in `<loc>` and in its alternates.
@Suite struct SitemapURITests {
    @Test func pathsArePercentEncoded() throws {
        let xml = Sitemap.xml(
            baseURL: "https://example.org/",
            pages: [
                Sitemap.Page(path: "ru/бюджет/index.html", alternates: [("ru", "ru/бюджет/index.html"), ("en", "budget/index.html")]),
                Sitemap.Page(path: "a b/c&d.csv"),
            ])
        #expect(xml.contains("<loc>https://example.org/ru/%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82/</loc>"))
        #expect(xml.contains("hreflang=\"ru\" href=\"https://example.org/ru/%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82/\""))
        #expect(xml.contains("<loc>https://example.org/a%20b/c%26d.csv</loc>"))
        #expect(!xml.unicodeScalars.contains { $0.value > 0x7F })
    }
}
