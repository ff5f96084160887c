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

#if canImport(Glibc)
    import Glibc
#endif

/// A rebuild with a cache must give exactly the files of a full build, and render again only
/// the pages whose inputs changed.
@Suite struct IncrementalBuildTests {
    final class Session {
        let dir: TemporaryDirectory
        let cache = BuildCache()
        var project: Project { Project(root: dir.url) }
        /// Files edited since the last rebuild, for the watcher's hint.
        var edited: Set<String> = []

        init() throws {
            dir = try TemporaryDirectory()
            try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
            _ = try SiteBuilder(project: project).render(cache: cache)
        }

        func edit(_ path: String, _ change: (String) -> String) throws {
            let url = dir.path(path)
            let text = try String(contentsOf: url, encoding: .utf8)
            // Replace by writing a new file, as editors that save by rename do.
            let temporary = url.appendingPathExtension("swp")
            try Data(change(text).utf8).write(to: temporary)
            #expect(rename(temporary.path, url.path) == 0)
            edited.insert(url.path)
        }

        /// Rebuilds with the cache, checks the result against a full build, and returns the
        /// pages that were rendered again.
        func rebuild(hinted: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
            -> [String]
        {
            // As `dossier serve` does: the watcher says which files changed.
            if hinted { cache.hint(changed: edited, structural: false) }
            edited = []
            let incremental = try SiteBuilder(project: project).render(cache: cache)
            let full = try SiteBuilder(project: project).render()
            #expect(incremental.files.map(\.path) == full.files.map(\.path), sourceLocation: sourceLocation)
            for (a, b) in zip(incremental.files, full.files) where a.bytes != b.bytes || a.copyFrom != b.copyFrom {
                Issue.record("\(a.path) differs from a full build", sourceLocation: sourceLocation)
            }
            return cache.renderedPages
        }
    }

    @Test func nothingChangedRendersNothing() throws {
        let session = try Session()
        #expect(try session.rebuild() == [])
    }

    @Test func editingAnArticlesTextRendersOnlyThatArticle() throws {
        let session = try Session()
        try session.edit("Content/tenders.md") {
            $0.replacingOccurrences(
                of: "The notice stayed online for a month.", with: "The notice stayed online for one month.")
        }
        #expect(try session.rebuild() == ["tenders/index.html"])
    }

    @Test func editingATitleRendersThePagesThatListIt() throws {
        let session = try Session()
        try session.edit("Content/prevention.md") {
            $0.replacingOccurrences(
                of: "title: Fear, loyalty and the limits of prevention", with: "title: Fear, loyalty and prevention")
        }
        let rendered = try session.rebuild()
        // Home and its tags list it; tenders links to it as its neighbour, programme-budget as
        // related; its translations name it in their language switcher; the other languages'
        // homes list every article's summary signature (over-rendered, not wrong).
        #expect(
            rendered == [
                "index.html", "kk/index.html", "kk/prevention/index.html", "prevention/index.html",
                "programme-budget/index.html", "ru/index.html", "ru/prevention/index.html", "tags/religion/index.html",
                "tags/research/index.html", "tenders/index.html",
            ])
    }

    @Test func editingADatasetRendersThePagesThatReadIt() throws {
        let session = try Session()
        try session.edit("Data/allocations.csv") { $0.replacingOccurrences(of: "246000000", with: "246500000") }
        // The budget article draws it and shows its table; the tenders article computes a figure
        // from it (both in English and Russian); the data page describes it.
        let rendered = try session.rebuild()
        #expect(
            rendered == [
                "data/index.html", "programme-budget/index.html", "ru/programme-budget/index.html", "ru/tenders/index.html",
                "tenders/index.html",
            ])
    }

    @Test func editingAPartialRendersThePagesThatUseIt() throws {
        let session = try Session()
        try session.edit("Templates/partials/table.mustache") {
            $0.replacingOccurrences(of: "<span class=\"count\">", with: "<span class=\"count rows\">")
        }
        // Every article page and every page made from data: both templates include the partial.
        #expect(
            try session.rebuild() == [
                "contractors/local-television/index.html", "contractors/private-fund-kazanat-miras/index.html",
                "contractors/public-association-halkyma-tagzym/index.html", "customers/akimat-of-almaty/index.html",
                "customers/religious-issues-research-centre-regional-office-for-religious-affairs/index.html",
                "kk/prevention/index.html", "prevention/index.html", "programme-budget/index.html",
                "ru/prevention/index.html", "ru/programme-budget/index.html", "ru/tenders/index.html", "tenders/index.html",
            ])
    }

    @Test func editingSiteSettingsRendersEverything() throws {
        let session = try Session()
        let before = session.cache.pages.count
        try session.edit("Content/site.yml") {
            $0.replacingOccurrences(of: "Counting the cost", with: "Weighing the cost")
        }
        #expect(try session.rebuild().count == before)
    }

    @Test func changingARowRendersThePagesMadeFromItsDataset() throws {
        let session = try Session()
        try session.edit("Data/lots.csv") {
            $0.replacingOccurrences(
                of: "Meetings with inmates of penal institutions,7300000",
                with: "Meetings with inmates of penal institutions,7400000")
        }
        // The pages made from that row (its contractor's and its customer's: their template's
        // chart reads only their own rows), the article that charts the lots, and the data
        // page; not the other contractors and customers, the other articles, tags or home.
        #expect(
            try session.rebuild() == [
                "contractors/private-fund-kazanat-miras/index.html",
                "customers/religious-issues-research-centre-regional-office-for-religious-affairs/index.html",
                "data/index.html", "ru/tenders/index.html", "tenders/index.html",
            ])
    }

    @Test func aTemplateChartOverTheWholeDatasetRendersEveryPageMadeFromIt() throws {
        let session = try Session()
        // A second chart, over every lot, on each page made from data.
        try session.edit("Templates/entity.mustache") {
            $0.replacingOccurrences(
                of: "{{#entity}}{{>partials/table}}",
                with:
                    "{{#chart}}\ntype: bar\ndata: $data\nx: title\ny: amount_kzt\ntitle: Every lot\n{{/chart}}\n{{#entity}}{{>partials/table}}"
            )
        }
        _ = try session.rebuild()
        try session.edit("Data/lots.csv") {
            $0.replacingOccurrences(
                of: "Meetings with inmates of penal institutions,7300000",
                with: "Meetings with inmates of penal institutions,7400000")
        }
        #expect(
            try session.rebuild() == [
                "contractors/local-television/index.html", "contractors/private-fund-kazanat-miras/index.html",
                "contractors/public-association-halkyma-tagzym/index.html", "customers/akimat-of-almaty/index.html",
                "customers/religious-issues-research-centre-regional-office-for-religious-affairs/index.html",
                "data/index.html", "ru/tenders/index.html", "tenders/index.html",
            ])
    }

    @Test func addingRenamingAndDeletingArticlesMatchFullBuilds() throws {
        let session = try Session()
        try session.dir.write(
            "Content/new.md",
            "---\ntitle: A new article\ndate: 2019-07-01\ntags: [tenders]\n---\n\nSee [the tenders](tenders.md).\n")
        let added = try session.rebuild()
        #expect(added.contains("new/index.html"))
        #expect(added.contains("tags/tenders/index.html"))
        try FileManager.default.moveItem(
            at: session.dir.path("Content/new.md"), to: session.dir.path("Content/renamed.md"))
        let renamed = try session.rebuild()
        #expect(renamed.contains("renamed/index.html"))
        try FileManager.default.removeItem(at: session.dir.path("Content/renamed.md"))
        _ = try session.rebuild()
        #expect(session.cache.pages.get("renamed/index.html") == nil)
    }
}

extension IncrementalBuildTests {
    /// With the watcher's hint, saving an article's text rebuilds that article alone (the quick
    /// rebuild), and the result is still byte for byte a full build's.
    @Test func savingAnArticlesTextWithAHintIsTheQuickRebuild() throws {
        let session = try Session()
        try session.edit("Content/tenders.md") {
            $0.replacingOccurrences(
                of: "The notice stayed online for a month.", with: "The notice stayed online for one month.")
        }
        #expect(try session.rebuild(hinted: true) == ["tenders/index.html"])
        #expect(session.cache.lastWasQuick)
        // The newest article is in the feed: the feed follows.
        try session.edit("Content/prevention.md") { $0 + "\nOne more paragraph, with a [link](tenders.md).\n" }
        #expect(try session.rebuild(hinted: true) == ["prevention/index.html"])
        #expect(session.cache.lastWasQuick)
        // Two quick rebuilds in a row, then an ordinary one: the caches stay right.
        try session.edit("Content/tenders.md") { $0 + "\nAnd another.\n" }
        #expect(try session.rebuild(hinted: true) == ["tenders/index.html"])
        try session.edit("Data/allocations.csv") { $0.replacingOccurrences(of: "246000000", with: "246500000") }
        #expect(
            try session.rebuild() == [
                "data/index.html", "programme-budget/index.html", "ru/programme-budget/index.html", "ru/tenders/index.html",
                "tenders/index.html",
            ])
        #expect(!session.cache.lastWasQuick)
    }

    @Test func theQuickRebuildStepsAsideForWhatOtherPagesShow() throws {
        let session = try Session()
        // A new heading is a new anchor other pages may link to.
        try session.edit("Content/tenders.md") { $0 + "\n## A new section\n\nText.\n" }
        #expect(try session.rebuild(hinted: true) == ["tenders/index.html"])
        #expect(!session.cache.lastWasQuick)
        // A title shows in listings.
        try session.edit("Content/tenders.md") {
            $0.replacingOccurrences(of: "title: What the tenders bought", with: "title: What the tenders paid for")
        }
        _ = try session.rebuild(hinted: true)
        #expect(!session.cache.lastWasQuick)
        // A broken figure fails the ordinary rebuild, with its error; fixing it builds again.
        try session.edit("Content/tenders.md") { $0 + "\n{{= sum(tenders.nope) }}\n" }
        session.cache.hint(changed: session.edited, structural: false)
        session.edited = []
        #expect(throws: BuildFailure.self) { try SiteBuilder(project: session.project).render(cache: session.cache) }
        try session.edit("Content/tenders.md") { $0.replacingOccurrences(of: "\n{{= sum(tenders.nope) }}\n", with: "") }
        _ = try session.rebuild(hinted: true)
        // The sample refuses typed numbers (`typed_numbers: error`); so does the quick rebuild.
        #expect(
            try String(contentsOf: session.dir.path("Content/site.yml"), encoding: .utf8).contains(
                "typed_numbers: error"))
        try session.edit("Content/tenders.md") { $0 + "\nIt cost 39 million tenge.\n" }
        session.cache.hint(changed: session.edited, structural: false)
        session.edited = []
        #expect {
            try SiteBuilder(project: session.project).render(cache: session.cache)
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.message) == [
                "typed number 39 is neither computed nor a checked claim"
            ]
        }
        try session.edit("Content/tenders.md") {
            $0.replacingOccurrences(of: "\nIt cost 39 million tenge.\n", with: "")
        }
        _ = try session.rebuild(hinted: true)
        // A file that is not a published article (a dataset) is never quick.
        try session.edit("Data/lots.csv") { $0 }
        _ = try session.rebuild(hinted: true)
        #expect(!session.cache.lastWasQuick)
    }

    /// Another page links to an article's heading; saving the article without it must fail with
    /// the link at its place, quick rebuild or not (the check of links to other pages' anchors
    /// runs when any build finishes).
    @Test func aRemovedAnchorThatAnotherPageLinksToFailsTheQuickRebuild() throws {
        let session = try Session()
        try session.edit("Content/prevention.md") { $0 + "\nSee [Almaty](tenders.md#almaty-comedy-against-extremism-cancelled).\n" }
        _ = try session.rebuild()
        try session.edit("Content/tenders.md") {
            $0.replacingOccurrences(of: "## Almaty: comedy against extremism, cancelled", with: "## Almaty")
        }
        session.cache.hint(changed: session.edited, structural: false)
        session.edited = []
        #expect {
            try SiteBuilder(project: session.project).render(cache: session.cache)
        } throws: { error in
            let problems = (error as! BuildFailure).diagnostics
            return problems.map(\.code) == [.linkMissingAnchor] && problems[0].location.path == "Content/prevention.md"
        }
        #expect(!session.cache.lastWasQuick)
        // Put back, the quick rebuild gives the full build's bytes again.
        try session.edit("Content/tenders.md") {
            $0.replacingOccurrences(of: "## Almaty\n", with: "## Almaty: comedy against extremism, cancelled\n")
        }
        _ = try session.rebuild()
        try session.edit("Content/tenders.md") { $0 + "\nOne more line.\n" }
        #expect(try session.rebuild(hinted: true) == ["tenders/index.html"])
        #expect(session.cache.lastWasQuick)
    }
}

extension IncrementalBuildTests {
    /// A template chart of named figures draws them, states their rates, and is drawn again when
    /// a dataset they read changes.
    @Test func templateChartsPlotNamedFigures() throws {
        let session = try Session()
        try session.edit("Templates/home.mustache") {
            $0.replacingOccurrences(
                of: "{{#chart}}",
                with:
                    "{{#chart}}\ntype: column\nfigures:\n  2013-2017: budget_2013_2017_usd_2013\n  2018-2022: budget_2018_2022_usd_2019\ntitle: The programmes in dollars\nformat: usd_short\n{{/chart}}\n{{#chart}}",
                options: [], range: nil)
        }
        _ = try session.rebuild()
        let site = try SiteBuilder(project: session.project).render()
        let html = String(decoding: try #require(site.files.first { $0.path == "index.html" }).bytes, as: UTF8.self)
        #expect(html.contains("The programmes in dollars"))
        #expect(html.contains("How the figures were computed: converted at 152.13 tenge to the dollar"))
        try session.edit("Data/rates.csv") { $0.replacingOccurrences(of: "152.13", with: "152.14") }
        #expect(try session.rebuild().contains("index.html"))
    }
}

/// Page signatures come from what the pages are made of: an article's listing and source are
/// Hashable values and the signatures are their hashes. This checks it the other way round:
/// every field of those values, found by reflection (so a new field cannot be forgotten here),
/// is changed in the sample, and the article's page (and, for listing fields, the home page that
/// lists it) must be rendered again, giving the bytes of a full build.
extension IncrementalBuildTests {
    /// One edit of `Content/tenders.md` per field, and the pages it must render again.
    static let fieldEdits: [String: (edit: @Sendable (String) -> String, pages: [String])] = [
        "title": ({ $0.replacingOccurrences(of: "title: What the tenders bought", with: "title: What tenders bought") }, ["index.html", "tenders/index.html"]),
        "slug": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\nslug: tenders-2019") }, ["index.html", "tenders-2019/index.html"]),
        "date": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-03") }, ["index.html", "tenders/index.html"]),
        "updated": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\nupdated: 2019-07-01") }, ["index.html", "tenders/index.html"]),
        "summary": ({ $0.replacingOccurrences(of: "Procurement records show", with: "Records show") }, ["index.html", "tenders/index.html"]),
        "authors": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\nauthor: Data Desk") }, ["index.html", "tenders/index.html"]),
        "tags": ({ $0.replacingOccurrences(of: "tags: [tenders, procurement, media]", with: "tags: [tenders, procurement]") }, ["index.html", "tenders/index.html"]),
        "draft": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\ndraft: true") }, ["index.html"]),
        "lang": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\nlang: en-GB") }, ["tenders/index.html"]),
        "translationOf": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\ntranslation_of: prevention") }, ["tenders/index.html"]),
        "tables": ({ $0.replacingOccurrences(of: "tables: [tenders, lots]", with: "tables: [tenders]") }, ["tenders/index.html"]),
        "params": ({ $0.replacingOccurrences(of: "contributors: [Danil Shemratov]", with: "contributors: [D. Shemratov]") }, ["tenders/index.html"]),
        "body": ({ $0 + "\nOne more sentence.\n" }, ["tenders/index.html"]),
        // A front-matter comment moves the body down a line: only positions in errors change,
        // but the page is rendered again (what it shows is unchanged, and so are its bytes).
        "bodyLine": ({ $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\n# checked") }, ["tenders/index.html"]),
    ]

    static var articleFields: [String] {
        let listing = ArticleListing(
            title: "", slug: "", date: DateValue(iso: "2019-01-01")!, updated: nil, summary: nil, authors: [], tags: [],
            draft: false)
        let source = ArticleSource(sourcePath: "", lang: nil, tables: [], params: [], body: "", bodyLine: 1)
        return (Mirror(reflecting: listing).children.compactMap(\.label)
            + Mirror(reflecting: source).children.compactMap(\.label)).filter { $0 != "sourcePath" }
    }

    @Test(arguments: articleFields)
    func everyFieldOfAnArticleRendersThePagesThatShowIt(field: String) throws {
        guard let (edit, pages) = Self.fieldEdits[field] else {
            Issue.record("no edit for the article field '\(field)': add one to fieldEdits")
            return
        }
        let session = try Session()
        try session.edit("Content/tenders.md", edit)
        let rendered = try session.rebuild()
        for page in pages { #expect(rendered.contains(page), "\(field): \(page) not rendered again") }
    }

    /// The source path is part of the article's signature too: the same article moved to
    /// another file (its slug kept) is rendered again.
    @Test func movingAnArticleRendersItAgain() throws {
        let session = try Session()
        try session.edit("Content/tenders.md") { $0.replacingOccurrences(of: "date: 2019-06-04", with: "date: 2019-06-04\nslug: tenders") }
        _ = try session.rebuild()
        try FileManager.default.moveItem(at: session.dir.path("Content/tenders.md"), to: session.dir.path("Content/tenders-2019.md"))
        #expect(try session.rebuild().contains("tenders/index.html"))
    }
}

extension IncrementalBuildTests {
    /// With `links: warn`, a broken link to another page's anchor stays a warning on every
    /// rebuild, also when the rebuild reuses the link checks of the pages it did not change.
    @Test func linkWarningsLastAcrossRebuildsThatReuseTheChecks() throws {
        let session = try Session()
        try session.edit("Content/site.yml") { $0 + "\nlinks: warn\n" }
        try session.edit("Content/prevention.md") { $0 + "\nSee [nothing](tenders.md#no-such-heading).\n" }
        _ = try session.rebuild()
        let full = try SiteBuilder(project: session.project).render().warnings
        #expect(full.map(\.code) == [.linkMissingAnchor])
        try session.edit("Content/tenders.md") { $0 + "\nOne more line.\n" }
        #expect(try session.rebuild() == ["tenders/index.html"])
        let incremental = try SiteBuilder(project: session.project).render(cache: session.cache).warnings
        #expect(incremental.map(\.headline) == full.map(\.headline))
    }
}

extension IncrementalBuildTests {
    /// Serve keeps its files between rebuilds and hands the store only what changed: after a
    /// quick rebuild that failed half way, and after the fix, every later rebuild still gives a
    /// full build's bytes (the helper compares every file).
    @Test func theStoreStaysRightAfterAFailedQuickRebuild() throws {
        let session = try Session()
        try session.edit("Content/tenders.md") { $0 + "\nSee [gone](nowhere.md).\n" }
        session.cache.hint(changed: session.edited, structural: false)
        session.edited = []
        #expect(throws: BuildFailure.self) { try SiteBuilder(project: session.project).render(cache: session.cache) }
        try session.edit("Content/tenders.md") { $0.replacingOccurrences(of: "\nSee [gone](nowhere.md).\n", with: "\nSee nothing.\n") }
        _ = try session.rebuild(hinted: true)
        try session.edit("Content/prevention.md") { $0 + "\nA line.\n" }
        #expect(try session.rebuild() == ["prevention/index.html"])
        try session.edit("Content/tenders.md") { $0 + "\nAnother line.\n" }
        #expect(try session.rebuild(hinted: true) == ["tenders/index.html"])
        try session.edit("Content/prevention.md") { $0 + "\nA second line.\n" }
        #expect(try session.rebuild() == ["prevention/index.html"])
    }
}

extension IncrementalBuildTests {
    /// A supplier renamed to a new initial: the A–Z pages and the search page's initials follow
    /// (the rebuild is checked against a full build).
    @Test func aNewInitialReachesTheAZPagesAndTheSearchPage() throws {
        let session = try Session()
        try session.edit("Data/lots.csv") { $0.replacingOccurrences(of: ",Local television,", with: ",Zhuldyz television,") }
        let rendered = try session.rebuild()
        #expect(rendered.contains("search/index.html"))
        #expect(rendered.contains("contractors/a-z/index.html"))
    }
}

extension IncrementalBuildTests {
    /// A new supplier under an initial that exists: the search page's count of each section
    /// follows.
    @Test func aNewSupplierChangesTheSearchPagesCounts() throws {
        let session = try Session()
        try session.edit("Data/lots.csv") { text in
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let row = lines.first { $0.contains(",Local television,") }!
            return text + row.replacingOccurrences(of: "sko-2017-tv-rites,", with: "sko-2017-tv-extra,")
                .replacingOccurrences(of: ",Local television,", with: ",Public television,")
                .replacingOccurrences(of: "\"TV programme cycle", with: "\"Radio cycle") + "\n"
        }
        #expect(try session.rebuild().contains("search/index.html"))
    }
}

extension IncrementalBuildTests {
    /// Every input that shapes the output is a dependency of what reads it: a words file, the
    /// settings, a template, an alias file and a schema, each edited in turn (with the watcher's
    /// hint and without), give the files of a full build.
    @Test(arguments: [false, true])
    func everyInputThatShapesOutputRebuildsWhatReadsIt(hinted: Bool) throws {
        let session = try Session()
        // Russian and Kazakh words, the site's language's own, a counted key.
        try session.edit("Templates/i18n/ru.yml") { $0.replacingOccurrences(of: "list_title_contractors: Подрядчики", with: "list_title_contractors: Исполнители") }
        #expect(try !session.rebuild(hinted: hinted).isEmpty)
        try session.edit("Templates/i18n/ru.yml") { $0.replacingOccurrences(of: "lots: {one: лот, few: лота, many: лотов}", with: "lots: {one: лотик, few: лотика, many: лотиков}") }
        #expect(try !session.rebuild(hinted: hinted).isEmpty)
        try session.edit("Templates/i18n/kk.yml") { $0 + "\nsearch_title: Іздеу беті\n" }
        _ = try session.rebuild(hinted: hinted)
        try session.edit("Templates/i18n/en.yml") { $0 + "\nsearch_title: Find a page\n" }
        _ = try session.rebuild(hinted: hinted)
        // The settings, a template, a schema's label.
        try session.edit("Content/site.yml") { $0.replacingOccurrences(of: "title: Counting the cost of countering extremism", with: "title: Counting the cost") }
        #expect(try !session.rebuild(hinted: hinted).isEmpty)
        try session.edit("Templates/partials/table.mustache") { $0 + "\n" }
        _ = try session.rebuild(hinted: hinted)
        try session.edit("Data/lots.schema.yml") { $0.replacingOccurrences(of: "label: Outcome", with: "label: Result") }
        #expect(try !session.rebuild(hinted: hinted).isEmpty)
        // An alias file added, then edited: the contractor's page changes its name.
        let aliases = session.dir.path("Data/lots.aliases.yml")
        try Data("winner:\n  Halkyma tagzym: [\"Public association \\\"Halkyma tagzym\\\"\"]\n".utf8).write(to: aliases)
        session.edited.insert(aliases.path)
        if hinted { session.cache.hint(changed: session.edited, structural: true) }
        _ = try session.rebuild(hinted: false)
        try session.edit("Data/lots.aliases.yml") { $0.replacingOccurrences(of: "Halkyma tagzym:", with: "Halkyma Tagzym:") }
        _ = try session.rebuild(hinted: hinted)
    }
}
