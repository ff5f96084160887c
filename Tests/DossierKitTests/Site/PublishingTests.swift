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

@Suite struct PublishingTests {
    /// The CPU's SHA instructions (CSHA256) against the Swift loop, at every length up to a few
    /// blocks past the padding boundaries, for large inputs and at unaligned starts. Skipped on
    /// a CPU without them, where the loop is all there is.
    @Test(.enabled(if: SHA256.hasInstructions, "this CPU has no SHA instructions"))
    func sha256ThroughTheCPUsInstructionsAgreesWithTheLoop() {
        var random = SystemRandomNumberGenerator()
        // One buffer, sliced: a slice at 1 or 7 starts off the buffer's alignment.
        let bytes = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) })
        func both(_ data: Data) -> (String, String) {
            SHA256.accelerated = false
            let loop = SHA256.hex(data)
            SHA256.accelerated = true
            return (loop, SHA256.hex(data))
        }
        defer { SHA256.accelerated = true }
        for length in Array(0...300) + [4_095, 4_096, 65_537, 299_999] {
            for start in [0, 1, 7] where start + length <= bytes.count {
                let (loop, fast) = both(bytes[start..<(start + length)])
                #expect(loop == fast, "\(length) bytes from \(start)")
            }
        }
        #expect(both(Data("abc".utf8)).1 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha256MatchesTheStandardsTestVectors() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length from 0 to 259 bytes (one and two padded blocks, whole blocks, data that
    /// is not 64-byte aligned): the digests joined, hashed again, against Python's `hashlib`.
    @Test func sha256AgreesWithAnotherImplementationAtEveryPaddingBoundary() {
        var joined = ""
        for n in 0..<260 {
            let bytes = Data((0..<n).map { UInt8((($0 * 7) + n) % 256) })
            joined += SHA256.hex(bytes)
            // A slice that does not start at the data's first byte reads the same bytes.
            let padded = Data([0xFF]) + bytes
            #expect(SHA256.hex(padded.dropFirst()) == SHA256.hex(bytes))
        }
        #expect(SHA256.hex(Data(joined.utf8)) == "145cd3e43ac5b4d9743cd774b509c1f5e8c24fa39143c5b8573240eef3ff1493")
    }

    /// Every file on a path another took first, and every file where another needs a folder,
    /// is reported once, naming the first.
    @Test func pathCollisionsNameTheFirstFileOnThePath() {
        let files = [("x/index.html", "O0"), ("x", "O1"), ("x/index.html", "O2"), ("x/index.html", "O3"), ("y.css", "O4")]
            .map { OutputFile(path: $0.0, text: "", origin: $0.1) }
        #expect(
            SiteAssembler.collisions(files).map(\.headline) == [
                "O1: error: x would be a file and a folder: from O1 and, as the folder of x/index.html, from O0",
                "O2: error: x/index.html would be written twice: from O0 and from O2",
                "O3: error: x/index.html would be written twice: from O0 and from O3",
            ])
        #expect(SiteAssembler.collisions(Array(files.suffix(1))).isEmpty)
    }

    @Test func fingerprintsAssetsByContent() {
        #expect(SiteAssembler.fingerprinted("assets/style.css", bytes: Data("abc".utf8)) == "assets/style.ba7816bf.css")
        #expect(SiteAssembler.fingerprinted("assets/fonts/x", bytes: Data()) == "assets/fonts/x.e3b0c442")
    }

    @Test func relativeLinksBetweenPages() {
        #expect(
            LinkResolver.relative(from: "tenders/index.html", to: "programme-budget/index.html")
                == "../programme-budget/index.html")
        #expect(LinkResolver.relative(from: "index.html", to: "tags/budget/index.html") == "tags/budget/index.html")
        #expect(LinkResolver.relative(from: "tags/budget/index.html", to: "tags/index.html") == "../index.html")
        #expect(LinkResolver.relative(from: "a/b/index.html", to: "a/b/chart.csv") == "chart.csv")
        #expect(LinkResolver.join("tenders/", "../assets/style.css") == "assets/style.css")
        #expect(LinkResolver.join("tenders/", "../../x") == nil)
        #expect(LinkResolver.join("", "./a/./b") == "a/b")
    }

    /// While pages stream, a link to a file written with the page itself (its chart's CSV) is
    /// checked at once; a link to a file no page made yet waits for the whole site, and one to a
    /// file of the page that does not exist is reported.
    @Test func aLinkToAFileOfThePageItselfIsCheckedAtOnce() {
        var resolver = LinkResolver(
            paths: ["index.html", "a/index.html"], anchors: [:], articlesBySource: [:], draftSources: [], assets: [:])
        resolver.complete = false
        resolver.pageFiles = ["a/chart.csv"]
        let html = Array(#"<a href="chart.csv">x</a> <a href="other.csv">y</a> <a href="../b/c.csv">z</a>"#.utf8)
        let (_, checks) = resolver.processDeferring(
            bytes: html, page: "a/index.html", articleSource: nil, fallback: SourceLocation(path: "t"), located: { _ in nil })
        #expect(checks.count == 2)
        #expect(checks.allSatisfy { $0.isDeferred })
        resolver.pageFiles = []
        let (_, before) = resolver.processDeferring(
            bytes: html, page: "a/index.html", articleSource: nil, fallback: SourceLocation(path: "t"), located: { _ in nil })
        #expect(before.count == 3)  // without the page's files, its own CSV waits too
    }

    /// Relative URLs are made over bytes; they must be what splitting the paths into names
    /// gives.
    @Test func relativeURLsAgreeWithSplittingIntoNames() {
        func reference(_ page: String, _ target: String) -> String {
            let fromParts = LinkResolver.folder(of: page).split(separator: "/")
            let toParts = target.split(separator: "/", omittingEmptySubsequences: false)
            var common = 0
            while common < fromParts.count, common < toParts.count - 1, fromParts[common] == toParts[common] { common += 1 }
            return String(repeating: "../", count: fromParts.count - common) + toParts[common...].joined(separator: "/")
        }
        let paths = [
            "index.html", "a/index.html", "a/b/index.html", "a/b/c.csv", "ab/index.html", "a/bc/index.html",
            "налоги/бюджет/index.html", "налоги/index.html", "a//b/index.html", "a/b/", "", "assets/style.1a2b.css",
            "suppliers/fund-0-llp/index.html", "suppliers/index.html",
        ]
        for page in paths {
            for target in paths { #expect(LinkResolver.relative(from: page, to: target) == reference(page, target), "\(page) → \(target)") }
        }
    }

    /// The quick path for `../`-prefixed links agrees with the segment-by-segment rule whenever
    /// it answers, and answers for the links pages are made of.
    @Test func quickJoinAgreesWithTheGeneralRule() {
        let folders = ["", "a/", "a/b/", "tags/budget/", "x/y/z/", "налоги/бюджет-2024/", "/a/", "a", "a/b"]
        let relatives = [
            "", ".", "..", "../", "../../", "../../../", "../../../../", "x", "x/", "x/index.html", "../x.css",
            "../../tags/t/index.html", "./x", "../a/./b", "../a/../b", "a//b", "../a/", "../a/.", "../a/..", "/x",
            "../../a/b/c.csv", "index.html#top", "../../налоги/ü.html", "...", "../...",
        ]
        var answered = 0
        for folder in folders {
            for relative in relatives {
                guard let quick = LinkResolver.quickJoin(folder, relative) else { continue }
                answered += 1
                #expect(quick == LinkResolver.joinSegments(folder, relative), "\(folder) + \(relative)")
            }
        }
        #expect(answered >= 40)
        #expect(LinkResolver.quickJoin("tags/budget/", "../../assets/style.css") == "assets/style.css")
        #expect(LinkResolver.quickJoin("a/", "../../x") == nil)
    }

    @Test func attributeValuesAreFoundByTheirNames() {
        let html =
            #"<a href="a.html" class="x">t</a> <img src="i.png" alt="a=b"> <p id="p1" data-href="no">x = "y" href="z"</p>"#
        let values = LinkResolver.links(in: html).map(\.value)
        #expect(values == ["a.html", "i.png", "z"])
        #expect(LinkResolver.ids(in: html) == ["p1"])
        let scanned = LinkResolver.scan(Array(html.utf8))
        #expect(scanned.links.map(\.value) == values)
        #expect(scanned.ids == ["p1"])
        #expect(!SiteAssembler.lacksLang(#"<!DOCTYPE html><html lang="kk"><p>"#))
        #expect(SiteAssembler.lacksLang(#"<html lang=""><p lang="en">"#))
        #expect(SiteAssembler.lacksLang(#"<html><p lang="en">"#))
    }

    @Test func atomTimestampsAreRFC3339() {
        #expect(AtomFeed.timestamp(DateValue(iso: "2019-06-03")!) == "2019-06-03T00:00:00Z")
        #expect(AtomFeed.timestamp(DateValue(iso: "2019-06-01T10:00+06:00")!) == "2019-06-01T10:00:00+06:00")
        #expect(AtomFeed.timestamp(DateValue(iso: "2019-06-01T10:00:30")!) == "2019-06-01T10:00:30Z")
    }

    func builtSample() throws -> (TemporaryDirectory, [(String, Data)]) {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        _ = try SiteBuilder(project: Project(root: dir.url)).build()
        return (dir, try Fixtures.readTree(dir.path("Public")))
    }

    /// The same `Public/` must work at a host's root, under a sub-path, and from disk: every
    /// internal link must lead to a file whichever way the site is served.
    @Test(arguments: ["https://host/", "https://host/some/sub/path/", "file:///tmp/usb-stick/Public/"])
    func everyLinkWorksWhereverTheSiteIsServed(base: String) throws {
        let (_, files) = try builtSample()
        let paths = Set(files.map(\.0))
        let baseURL = URL(string: base)!
        var checked = 0
        for (path, data) in files where path.hasSuffix(".html") && path != "404.html" {
            let pageURL = URL(string: path, relativeTo: baseURL)!.absoluteURL
            let html = String(decoding: data, as: UTF8.self)
            // The build's one scan for links and ids finds what the two separate scans find.
            let bytes = Array(data)
            let scanned = LinkResolver.scan(bytes)
            let links = LinkResolver.attributeValues(in: bytes, names: [" href=\"", " src=\""]).map(\.range)
            let ids = LinkResolver.attributeValues(in: bytes, names: [" id=\""]).map {
                LinkResolver.unescape(String(decoding: bytes[$0.range], as: UTF8.self))
            }
            #expect(scanned.links.map(\.range) == links, "\(path)")
            #expect(scanned.ids == Set(ids), "\(path)")
            for link in LinkResolver.links(in: html) {
                let value = LinkResolver.unescape(link.value)
                guard let url = URL(string: value, relativeTo: pageURL)?.absoluteURL else {
                    Issue.record("\(path): cannot parse \(value)")
                    continue
                }
                let absolute = url.absoluteString
                if absolute.hasPrefix("https://example.org/") || !absolute.hasPrefix(baseURL.absoluteString) {
                    // External, or the canonical address: not served from here.
                    #expect(
                        url.scheme == "https" || url.scheme == "http",
                        "\(path): \(value) leaves the site as \(absolute)")
                    continue
                }
                let prefix = baseURL.path.hasSuffix("/") ? baseURL.path : baseURL.path + "/"
                var target = String(url.path.dropFirst(prefix.count))
                if target.isEmpty || target.hasSuffix("/") { target += "index.html" }
                if !paths.contains(target) {
                    Issue.record("\(path): \(value) → \(target) is not in Public/ when served at \(base)")
                }
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func sampleHasEveryPublishingFile() throws {
        let (_, files) = try builtSample()
        let paths = Set(files.map(\.0))
        for path in [
            "feed.xml", "sitemap.xml", "robots.txt", "404.html", "tags/index.html", "tags/tenders/index.html",
            "data/index.html", "data/tenders.csv",
        ] {
            #expect(paths.contains(path), "missing \(path)")
        }
        #expect(paths.contains { $0.hasPrefix("assets/style.") && $0.hasSuffix(".css") && $0 != "assets/style.css" })
        #expect(!paths.contains("assets/style.css"))
        let data = String(decoding: files.first { $0.0 == "data/index.html" }!.1, as: UTF8.self)
        let csv = files.first { $0.0 == "data/tenders.csv" }!.1
        #expect(data.contains(SHA256.hex(csv)))
        let feed = String(decoding: files.first { $0.0 == "feed.xml" }!.1, as: UTF8.self)
        #expect(feed.contains("<id>https://example.org/extremism-budget/tenders/</id>"))
        #expect(feed.contains("xml:base=\"https://example.org/extremism-budget/tenders/\""))
        let robots = String(decoding: files.first { $0.0 == "robots.txt" }!.1, as: UTF8.self)
        #expect(robots.contains("Sitemap: https://example.org/extremism-budget/sitemap.xml"))
        let article = String(decoding: files.first { $0.0 == "tenders/index.html" }!.1, as: UTF8.self)
        for fragment in [
            "<link rel=\"canonical\" href=\"https://example.org/extremism-budget/tenders/\">",
            "<meta property=\"og:title\" content=\"What the tenders bought\">",
            "type=\"application/atom+xml\"", "<html lang=\"en\">",
            "Previous: <a href=\"../programme-budget/index.html\">",
            "Next: <a href=\"../prevention/index.html\">",
        ] {
            #expect(article.contains(fragment), "tenders page lacks \(fragment)")
        }
        let notFound = String(decoding: files.first { $0.0 == "404.html" }!.1, as: UTF8.self)
        #expect(notFound.contains("href=\"https://example.org/extremism-budget/assets/style."))
    }

    @Test func linksWarnInsteadOfFailingWhenTheSiteSaysSo() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        let site = try String(contentsOf: dir.path("Content/site.yml"), encoding: .utf8)
        try dir.write("Content/site.yml", site + "links: warn\n")
        let first = try String(contentsOf: dir.path("Content/first.md"), encoding: .utf8)
        try dir.write(
            "Content/first.md", first.replacingOccurrences(of: "notes/second.md#heading-one", with: "gone.md"))
        let report = try SiteBuilder(project: Project(root: dir.url)).build()
        #expect(
            report.warnings.map(\.headline) == [
                "Content/first.md:14:18: warning: link to 'gone.md': the article Content/gone.md does not exist"
            ])
        // A warning does not change the page: the link stays as it was written.
        let page = try String(contentsOf: dir.path("Public/first/index.html"), encoding: .utf8)
        #expect(page.contains(#"href="gone.md""#))
    }
}

extension PublishingTests {
    @Test func recognisesSchemes() {
        #expect(LinkResolver.hasScheme("https://example.org"))
        #expect(LinkResolver.hasScheme("mailto:desk@example.org"))
        #expect(LinkResolver.hasScheme("tel:+7"))
        #expect(!LinkResolver.hasScheme("tenders/index.html"))
        #expect(!LinkResolver.hasScheme("../a:b"))
        #expect(!LinkResolver.hasScheme("#fn-1"))
        #expect(LinkResolver.decode("fish%20chips") == "fish chips")
        #expect(LinkResolver.decode("plain") == "plain")
    }
}

extension PublishingTests {
    @Test func withoutABaseURLThe404PageLinksFromTheRoot() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        let site = try String(contentsOf: dir.path("Content/site.yml"), encoding: .utf8)
        try dir.write(
            "Content/site.yml",
            site.replacingOccurrences(of: "base_url: https://example.org/fixture/\n", with: "")
                .replacingOccurrences(of: "feed: {entries: 5}\n", with: ""))
        let built = try SiteBuilder(project: Project(root: dir.url)).render()
        let notFound = built.files.first { $0.path == "404.html" }!.text
        #expect(notFound.contains("href=\"/index.html\""))
        #expect(!built.files.contains { $0.path == "sitemap.xml" || $0.path == "feed.xml" })
        #expect(built.files.first { $0.path == "robots.txt" }!.text == "User-agent: *\nAllow: /\n")
    }
}

extension PublishingTests {
    /// `feed_date:` in a `_pages.yml` puts its pages in the feed, dated by their latest row,
    /// among the articles, newest first, within the feed's number of entries.
    @Test func pagesFromDataJoinTheFeedWhenAsked() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try dir.write(
            "Data/awards.csv",
            "id,winner,signed\na1,Fund One,2019-03-01\na2,Fund One,2019-07-15\na3,Fund Two,2015-01-01\na4,Fund Three,\n"
        )
        try dir.write("Data/awards.schema.yml", "columns:\n  signed: date\n")
        try dir.write(
            "Templates/award.mustache",
            "<!doctype html><html lang=\"en\"><head><title>{{entity.title}}</title></head><body><h1>{{entity.title}}</h1></body></html>\n"
        )
        try dir.write(
            "Content/winners/_pages.yml",
            "data: awards\nkey: winner\nfeed_date: signed\ntemplate: award\nlist_template: award\n")
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let feed = String(decoding: try #require(site.files.first { $0.path == "feed.xml" }).bytes, as: UTF8.self)
        let ids = feed.components(separatedBy: "<entry>").dropFirst().map {
            $0.components(separatedBy: "<id>")[1].components(separatedBy: "</id>")[0]
        }
        // Fund One's latest row (2019-07-15) is newer than both articles, Fund Two's (2015) older;
        // Fund Three has no date and stays out.
        let base = "https://example.org/fixture/"
        #expect(
            ids == [base + "winners/fund-one/", base + "notes/second/", base + "first/", base + "winners/fund-two/"])
        #expect(feed.contains("<summary>2 rows of awards, the latest dated 2019-07-15.</summary>"))
        #expect(feed.contains("<published>2019-07-15T00:00:00Z</published>"))

        // With room for three entries, the oldest goes.
        let config = try String(contentsOf: dir.path("Content/site.yml"), encoding: .utf8)
        try dir.write(
            "Content/site.yml", config.replacingOccurrences(of: "feed: {entries: 5}", with: "feed: {entries: 3}"))
        let three = try SiteBuilder(project: Project(root: dir.url)).render()
        let short = String(decoding: try #require(three.files.first { $0.path == "feed.xml" }).bytes, as: UTF8.self)
        #expect(short.components(separatedBy: "<entry>").count == 4)
        #expect(!short.contains("winners/fund-two/"))

        try dir.write("Content/winners/_pages.yml", "data: awards\nkey: winner\nfeed_date: id\ntemplate: award\n")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).render()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.headline) == [
                "Content/winners/_pages.yml:3:12: error: feed_date: column 'id' holds text, not dates"
            ]
        }
    }
}

extension PublishingTests {
    /// Related articles, found with counters and a running top three, are the ones the plain
    /// definition gives: most shared tags first, then newest first (lower index).
    @Test func relatedArticlesMatchTheirDefinition() throws {
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var articles: [Article] = []
        for i in 0..<700 {
            let tags = (0..<next(5)).map { _ in "t\(next(12))" }
            let text = "---\ntitle: A\(i)\ndate: 2019-01-01\ntags: [\(tags.joined(separator: ", "))]\n---\n\nText.\n"
            articles.append(try FrontMatter.parse(text, path: "Content/a\(i).md", defaultSlug: "a\(i)"))
        }
        let fast = SitePlan.relatedArticles(articles)
        for (i, article) in articles.enumerated() {
            let mine = Set(article.tags)
            var shared: [(index: Int, count: Int)] = []
            for j in articles.indices where j != i {
                let count = Set(articles[j].tags).intersection(mine).count
                if count > 0 { shared.append((j, count)) }
            }
            shared.sort { a, b in a.count != b.count ? a.count > b.count : a.index < b.index }
            let expected: [Int] = shared.prefix(SitePlan.relatedCount).map { $0.index }
            #expect(fast[i] == expected, "article \(i)")
        }
    }
}

extension PublishingTests {
    /// `tags:` in a `_pages.yml` lists its pages on the tag pages, with the articles of the tag,
    /// and makes tags no article has; a spelling that clashes with an article's tag is an error.
    @Test func pagesFromDataJoinTheirTags() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        try dir.write(
            "Content/contractors/_pages.yml",
            "data: lots\nkey: winner\nlist_title: Contractors\ntags: [procurement, \"{region}\"]\n")
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        func page(_ path: String) throws -> String {
            String(decoding: try #require(site.files.first { $0.path == path }).bytes, as: UTF8.self)
        }
        let procurement = try page("tags/procurement/index.html")
        #expect(procurement.contains("../../tenders/index.html"))
        #expect(procurement.contains("<a href=\"../../contractors/local-television/index.html\">Local television</a>"))
        // Three contractors, and the sample's two customers (their `_pages.yml` has the tag too).
        #expect(procurement.contains("Pages from the data: 5"))
        // A tag from a column's value: only contractors have it, no article.
        let region = try page("tags/south-kazakhstan-region/index.html")
        #expect(region.contains("Public association &quot;Halkyma tagzym&quot;"))
        #expect(!region.contains("<h2>Articles</h2>"))
        #expect(try page("tags/index.html").contains("procurement</a> <span class=\"count\">(6)</span>"))
        #expect(
            try page("contractors/local-television/index.html").contains(
                "Tags: <a href=\"../../tags/procurement/index.html\">procurement</a>"))

        try dir.write("Content/contractors/_pages.yml", "data: lots\nkey: winner\ntags: [Procurement]\n")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).render()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.headline) == [
                "Content/contractors/_pages.yml:3:7: error: tag 'Procurement' of 'Local television' and tag 'procurement' would share the page tags/procurement/"
            ]
        }
    }
}
