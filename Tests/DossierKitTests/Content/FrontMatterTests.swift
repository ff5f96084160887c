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

@Suite struct FrontMatterTests {
    func parse(_ text: String) throws -> Article {
        try FrontMatter.parse(text, path: "Content/a.md", defaultSlug: "a")
    }

    func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return (error as! LocalError).diagnostic(in: "Content/a.md", code: .frontMatter).headline
        }
    }

    @Test func readsKnownKeysAndKeepsTheRest() throws {
        let article = try parse(
            """
            ---
            title: The budget
            date: 2019-06-03
            updated: 2019-06-10
            summary: Short.
            authors: [A, B]
            tags: budget
            slug: money/budget
            draft: true
            lang: ru
            contributors: [Danil Shemratov]
            rank: 3
            ---
            Body line one.
            """)
        #expect(article.title == "The budget")
        #expect(article.date.iso == "2019-06-03")
        #expect(article.updated?.day == 10)
        #expect(article.authors == ["A", "B"])
        #expect(article.tags == ["budget"])
        #expect(article.slug == "money/budget")
        #expect(article.draft)
        #expect(article.lang == "ru")
        #expect(article.params.map(\.0) == ["contributors", "rank"])
        #expect(article.params[1].1 == .integer(3))
        #expect(article.body == "Body line one.")
        #expect(article.bodyLine == 14)
    }

    @Test func reportsPositionsInTheArticleCountingTheFence() {
        // Line 3 of the file is line 2 of the YAML.
        #expect(error("---\ntitle: A\ndate: [2019\n---\n")?.hasPrefix("Content/a.md:4:1: error: invalid YAML") == true)
        #expect(
            error("---\ntitle: A\n  bad: indent\n---\n")?.hasPrefix("Content/a.md:3:6: error: invalid YAML") == true)
    }

    @Test func requiresTitleAndDate() {
        #expect(
            error("---\ndate: 2019-01-01\n---\n")
                == "Content/a.md:1:1: error: missing required front-matter key 'title'")
        #expect(error("---\ntitle: A\n---\n") == "Content/a.md:1:1: error: missing required front-matter key 'date'")
        #expect(
            error("---\ntitle: A\ndate: 14 May 2019\n---\n")
                == "Content/a.md:3:7: error: date '14 May 2019' is not an ISO 8601 date")
        #expect(error("no front matter") == "Content/a.md:1:1: error: article has no front matter")
        #expect(error("---\ntitle: A\n") == "Content/a.md:1:1: error: front matter is not closed")
        #expect(error("---\n---\nbody") == "Content/a.md:1:1: error: front matter is empty")
        #expect(
            error("---\ntitle: A\ndate: 2019-01-01\ndraft: maybe\n---\n")
                == "Content/a.md:4:8: error: draft must be true or false")
    }

    @Test func rejectsSlugsThatEscapeTheOutput() {
        #expect(
            error("---\ntitle: A\ndate: 2019-01-01\nslug: ../../x\n---\n")
                == "Content/a.md:4:7: error: slug '../../x' would write outside Public/")
        #expect(
            error("---\ntitle: A\ndate: 2019-01-01\nslug: /etc/x\n---\n")
                == "Content/a.md:4:7: error: slug '/etc/x' is an absolute path")
        #expect(
            error("---\ntitle: A\ndate: 2019-01-01\nslug: a b\n---\n")
                == "Content/a.md:4:7: error: slug 'a b' has characters that do not belong in a URL")
        #expect(
            error("---\ntitle: A\ndate: 2019-01-01\nslug: assets\n---\n")
                == "Content/a.md:4:7: error: slug 'assets' is reserved for files the build writes")
    }

    @Test func makesSlugsFromPathsAndTitles() {
        #expect(Slug.fromPath("Tenders/What Became of Them.md") == "tenders/what-became-of-them")
        // Transliterated by default: Russian by ICAO Doc 9303, Kazakh letters by the Latin
        // alphabet of 2021 without accents, accents taken off Latin letters.
        #expect(Slug.make("Ní Aoláin — UN, 2019") == "ni-aolain-un-2019")
        #expect(Slug.make("Бюджет программы") == "biudzhet-programmy")
        #expect(Slug.make("Щедрость, подъезд и объём: Ёлкин") == "shchedrost-podieezd-i-obieem-elkin")
        #expect(Slug.make("Қазақстан Республикасының Ұлттық қорынан") == "qazaqstan-respublikasynyn-ulttyq-qorynan")
        #expect(Slug.make("Әкімдік, ғылым, өңір, үкімет, һ, ішкі") == "akimdik-gylym-onir-ukimet-h-ishki")
        #expect(Slug.make("Министерство информации — 2019") == "ministerstvo-informatsii-2019")
        #expect(Slug.make("北京 report") == "北京-report")
        #expect(Slug.fromPath("бюджет/Итоги года.md") == "biudzhet/itogi-goda")
        // Kept as written when the site says `slugs: unicode`.
        #expect(Slug.make("Ní Aoláin — UN, 2019", scheme: .unicode) == "ní-aoláin-un-2019")
        #expect(Slug.make("Бюджет программы", scheme: .unicode) == "бюджет-программы")
    }
}

extension FrontMatterTests {
    /// Files saved with Windows line ends read like any other.
    @Test func readsFrontMatterWithCRLFLineEnds() throws {
        let split = try FrontMatter.split("---\r\ntitle: A\r\ndate: 2019-01-01\r\n---\r\n\r\nBody\r\n")
        #expect(split.yaml == "title: A\r\ndate: 2019-01-01\r")
        #expect(split.body == "\r\nBody\r\n")
        #expect(split.bodyLine == 5)
        let article = try FrontMatter.parse(
            "---\r\ntitle: A\r\ndate: 2019-01-01\r\n---\r\n\r\nBody\r\n", path: "Content/a.md", defaultSlug: "a")
        #expect(article.title == "A" && article.bodyLine == 5)
        let empty = try FrontMatter.split("---\n---\nText")
        #expect(empty.yaml == "" && empty.body == "Text" && empty.bodyLine == 3)
    }
}

extension FrontMatterTests {
    /// The way from a page back to the site's root, for its relative links.
    @Test(arguments: [
        ("index.html", "./"), ("a/index.html", "../"), ("a/b/c/index.html", "../../../"), ("404.html", "./"),
        ("tags/x/index.html", "../../"),
    ])
    func theRootOfAPageIsOneStepUpPerFolder(path: String, root: String) {
        #expect(PagePath.root(forPage: path) == root)
    }
}
