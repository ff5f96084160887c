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

/// Inputs that once deleted files outside the project, crashed or hung the build, or put live
/// script on a page. Every case runs in temporary folders and checks that `dossier check`
/// (``SiteBuilder/check()``) and `dossier build` report the same problems.
@Suite struct SafetyTests {
    /// Each test's own temporary folder, holding a copy of the fixture site in `project/` and,
    /// beside it, what must survive (`keep/`).
    let dir: TemporaryDirectory
    let root: URL

    init() throws {
        dir = try TemporaryDirectory()
        root = dir.path("project")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Fixtures.copySite(Fixtures.validSite, to: root)
        try dir.write("keep/precious.txt", "do not delete")
        try dir.write("keep/sub/also.txt", "nor this")
    }

    /// The headlines `check` (``SiteBuilder/check()``) and `build` report for the project, or
    /// [] when it builds.
    func problems(_ root: URL) -> (check: [String], build: [String]) {
        let builder = SiteBuilder(project: Project(root: root))
        var check: [String] = []
        var build: [String] = []
        do { _ = try builder.check() } catch { check = error.diagnostics.map(\.headline) }
        do { _ = try builder.build() } catch { build = error.diagnostics.map(\.headline) }
        return (check, build)
    }

    /// Both `check` and `build` refuse the project with exactly these lines.
    func expectRefusal(_ expected: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let found = problems(root)
        #expect(found.check == expected, sourceLocation: sourceLocation)
        #expect(found.build == expected, sourceLocation: sourceLocation)
    }

    func keepIsIntact(_ dir: TemporaryDirectory) -> Bool {
        (try? String(contentsOf: dir.path("keep/precious.txt"), encoding: .utf8)) == "do not delete"
            && (try? String(contentsOf: dir.path("keep/sub/also.txt"), encoding: .utf8)) == "nor this"
    }

    func link(_ path: URL, to target: String) throws {
        try FileManager.default.createDirectory(
            at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: target)
    }

    func isLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    // MARK: Files that are not Dossier's

    /// Every file of every build passes this check before any sink takes it.
    @Test func outputPathsStayInsideTheOutputFolder() {
        for path in ["index.html", "a/b.html", "a", "..a/b", "a../b", ".well-known/x", "a/.b", "é/x.html"] {
            #expect(OutputWriter.isSafe(path), "\(path)")
        }
        for path in ["", "/etc/passwd", "a/../b", "..", ".", "a/.", "a/", "a//b", "./a", "a\\b", "../x", "a/.."] {
            #expect(!OutputWriter.isSafe(path), "\(path)")
        }
    }

    @Test(arguments: [".dossier-build-Public-", ".dossier-old-Public-"])
    func aLinkNamedLikeAStaleStagingFolderIsNeverFollowed(prefix: String) throws {
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let pid = ProcessInfo.processInfo.processIdentifier
        // A dead process's name, and this process's own (the name the build would pick first).
        for name in ["\(prefix)\(dead)", "\(prefix)\(pid)", "\(prefix)\(pid)-1"] {
            try link(root.appendingPathComponent(name), to: "../keep")
        }
        #expect(problems(root).build == [])
        #expect(keepIsIntact(dir))
        for name in ["\(prefix)\(dead)", "\(prefix)\(pid)", "\(prefix)\(pid)-1"] {
            #expect(isLink(root.appendingPathComponent(name)), "\(name) was removed")
        }
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Public/index.html").path))
    }

    @Test func removingATreeNeverFollowsALinkInsideIt() throws {
        try dir.write("tree/a/b.txt", "mine")
        try link(dir.path("tree/a/outside"), to: dir.path("keep").path)
        try link(dir.path("tree/file-link"), to: dir.path("keep/precious.txt").path)
        OutputWriter.removeTree(dir.path("tree").path)
        #expect(!FileManager.default.fileExists(atPath: dir.path("tree").path))
        #expect(keepIsIntact(dir))
        // The folder itself a link: the link goes, its target stays.
        try link(dir.path("alias"), to: dir.path("keep").path)
        OutputWriter.removeTree(dir.path("alias").path)
        #expect(!isLink(dir.path("alias")))
        #expect(keepIsIntact(dir))
    }

    @Test func aLinkedOutputIsWrittenThroughAndStaysALink() throws {
        let webroot = dir.path("webroot/site")
        _ = try SiteBuilder(project: Project(root: root, output: webroot)).build()
        try link(root.appendingPathComponent("Public"), to: "../webroot/site")
        try dir.write("project/Content/first.md", try String(contentsOf: root.appendingPathComponent("Content/first.md"), encoding: .utf8) + "\nA new line.\n")
        #expect(problems(root).build == [])
        #expect(isLink(root.appendingPathComponent("Public")))
        let page = try String(contentsOf: webroot.appendingPathComponent("first/index.html"), encoding: .utf8)
        #expect(page.contains("A new line."))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path("webroot").path)
        #expect(left == ["site"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".dossier") && $0 != ".dossier-cache" } == [])
    }

    @Test func aLinkedOutputToNothingIsRefused() throws {
        try link(root.appendingPathComponent("Public"), to: "../nowhere")
        #expect(
            problems(root).build == ["Public: error: the output is a link to a folder that does not exist"])
    }

    @Test func sourcesLinkedFromOutsideAreRefusedAndNeverPublished() throws {
        try dir.write("secret/diary.md", "---\ntitle: Secret\ndate: 2020-01-01\n---\nPrivate.\n")
        try dir.write("secret/people.csv", "name\nsomeone\n")
        try link(root.appendingPathComponent("Content/diary.md"), to: dir.path("secret/diary.md").path)
        try link(root.appendingPathComponent("Data/people.csv"), to: "../../secret/people.csv")
        try link(root.appendingPathComponent("Templates/assets/etc"), to: dir.path("secret").path)
        try link(root.appendingPathComponent("Content/everything"), to: "/")
        try link(root.appendingPathComponent("Content/notes/loop"), to: "..")
        let found = problems(root)
        let secret = dir.path("secret").standardizedFileURL.resolvingSymlinksInPath().path
        let expected = [
            "Content/diary.md: error: link points outside the project (to \(secret)/diary.md); it is not followed",
            "Content/everything: error: link points outside the project (to /); it is not followed",
            "Content/notes/loop: error: link to \(root.resolvingSymlinksInPath().path)/Content makes a cycle; it is not followed",
            "Data/people.csv: error: link points outside the project (to \(secret)/people.csv); it is not followed",
            "Templates/assets/etc: error: link points outside the project (to \(secret)); it is not followed",
        ]
        #expect(found.check == expected)
        #expect(found.build == expected)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Public").path))
    }

    @Test func linksInsideTheProjectAreFollowed() throws {
        try link(root.appendingPathComponent("Content/again.md"), to: "../Shared/again.md")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("Shared"), withIntermediateDirectories: true)
        try Data("---\ntitle: Again\ndate: 2020-01-01\n---\nShared text.\n".utf8).write(
            to: root.appendingPathComponent("Shared/again.md"))
        #expect(problems(root).build == [])
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Public/again/index.html").path))
    }

    // MARK: Inputs that reached a trap

    /// One- and two-letter pages at the root of Content/ and three folders deep, through
    /// `check`, `build` and `serve`'s in-memory build.
    @Test(arguments: ["a.md", "ab.md", "x/y/z/deep.md", "b/c.md", "q/r/s/t.md"])
    func shortAndDeepArticlePathsBuild(path: String) throws {
        try Data("---\ntitle: Short\ndate: 2020-01-01\n---\nText.\n".utf8).write(
            to: {
                let url = root.appendingPathComponent("Content/" + path)
                try? FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                return url
            }())
        #expect(problems(root) == ([], []))
        let page = String(path.dropLast(3)) + "/index.html"
        let built = try Data(contentsOf: root.appendingPathComponent("Public/" + page))
        // What `dossier serve` holds in memory: the same page, byte for byte.
        let served = try SiteBuilder(project: Project(root: root)).render(cache: BuildCache())
        #expect(served.files.first { $0.path == page }?.bytes == built)
    }

    @Test(arguments: ["x", "x/y", "é"])
    func oneLetterSlugsDoNotCrash(slug: String) throws {
        try Data("---\ntitle: Short\ndate: 2020-01-01\nslug: \(slug)\n---\nText.\n".utf8).write(
            to: root.appendingPathComponent("Content/short.md"))
        let found = problems(root)
        #expect(found.check == found.build)
    }

    @Test func anArticleOnAFolderOfPagesMadeFromDataIsAnError() throws {
        try Data("---\ntitle: Statuses\ndate: 2020-01-01\nslug: statuses\n---\nText.\n".utf8).write(
            to: root.appendingPathComponent("Content/statuses-article.md"))
        expectRefusal([
                "Content/statuses-article.md:4:7: error: page statuses/index.html would be written twice: by Content/statuses/_pages.yml and by Content/statuses-article.md"
        ])
    }

    @Test func aHugePageSizeIsAnError() throws {
        let file = root.appendingPathComponent("Content/statuses/_pages.yml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(
            text.split(separator: "\n").filter { !$0.hasPrefix("page_size") }.map { $0 + "\n" }.joined()
                .appending("page_size: 9223372036854775807\n").utf8
        ).write(to: file)
        let found = problems(root)
        #expect(found.check.count == 1)
        #expect(found.check.first?.hasSuffix("error: page_size must be a whole number from 1 to 100,000") == true)
        #expect(found.build == found.check)
    }

    @Test func sourceFoldersOfManyFilesAreListedWhole() throws {
        let dir = try TemporaryDirectory()
        for i in 0..<3000 { try dir.write("Content/n\(i % 7)/\(String(repeating: "a", count: i % 200))\(i).md", "") }
        let first = SourceFiles.walk(dir.path("Content").path, extensions: ["md"])
        #expect(first.count == 3000)
        for _ in 0..<10 { #expect(SourceFiles.walk(dir.path("Content").path, extensions: ["md"]) == first) }
    }

    // MARK: Limits

    static let laughs = (1...9).map { i in
        "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]"
    }.joined(separator: "\n")

    @Test(arguments: ["site", "front matter", "dataset", "schema"])
    func yamlAliasesCannotExpandWithoutLimit(place: String) throws {
        let bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + Self.laughs + "\n"
        let (file, text): (String, String)
        switch place {
        case "site": (file, text) = ("Content/site.yml", "title: x\n" + bomb)
        case "front matter": (file, text) = ("Content/bomb.md", "---\ntitle: x\ndate: 2020-01-01\n" + bomb + "---\nText.\n")
        case "dataset": (file, text) = ("Data/bomb.yml", "- " + bomb.replacingOccurrences(of: "\n", with: "\n  "))
        default: (file, text) = ("Data/tenders.schema.yml", "title: x\n" + bomb)
        }
        try Data(text.utf8).write(to: root.appendingPathComponent(file))
        let start = Date()
        let found = problems(root)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(found.check.contains { $0.hasPrefix(file) && $0.contains("YAML aliases expand to too many values") })
        #expect(found.build == found.check)
    }

    // MARK: What reaches a reader

    @Test(arguments: ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:msgbox(1)"])
    func aSchemaSourceMustBeAWebAddress(url: String) throws {
        let file = root.appendingPathComponent("Data/tenders.schema.yml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "https://example.org/procurement", with: url).utf8).write(to: file)
        let found = problems(root)
        #expect(found.check == ["Data/tenders.schema.yml:4:8: error: source.url '\(url)' is not an http, https or relative address"])
        #expect(found.build == found.check)
    }

    @Test func relativeAndWebAddressesAreAllowed() {
        for url in ["https://example.org/a", "HTTP://x", "../data/a.csv", "a/b:c", "#top", "?q=a:b"] {
            #expect(SafeURL.isAllowed(url), "\(url)")
        }
        for url in ["javascript:x", "vbscript:x", "file:///etc/passwd", "data:,x", "", "https://a b", "https://a\u{7}"] {
            #expect(!SafeURL.isAllowed(url), "\(url)")
        }
    }

    @Test func controlCharactersAndNoncharactersNeverReachTheOutput() throws {
        let nonCharacter = String(Unicode.Scalar(0xFDD0)!)
        try Data(
            ("---\ntitle: \"Bad \\uFFFE\\uFFFF\\x01 title\"\ndate: 2030-01-01\nsummary: \"nul \\0 here\"\n---\nText \u{1} with "
                + nonCharacter + "controls\u{7F}.\n").utf8
        ).write(to: root.appendingPathComponent("Content/bad.md"))
        #expect(problems(root).build == [])
        for file in ["bad/index.html", "feed.xml", "index.html"] {
            let text = try String(contentsOf: root.appendingPathComponent("Public/" + file), encoding: .utf8)
            #expect(!text.unicodeScalars.contains(where: OutputText.isRemoved), "\(file)")
            #expect(text.contains("Bad  title"), "\(file)")
        }
    }

    @Test func downloadLinksOfDataFilesArePercentEncoded() throws {
        try Data("name,amount\na,1\n".utf8).write(to: root.appendingPathComponent("Data/a#b c.csv"))
        #expect(problems(root).build == [])
        let page = try String(contentsOf: root.appendingPathComponent("Public/data/index.html"), encoding: .utf8)
        #expect(page.contains("href=\"../data/a%23b%20c.csv\""))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Public/data/a#b c.csv").path))
    }

    @Test func aHeadingNeverTakesAnIdTheLayoutUses() throws {
        let rendered = MarkdownRenderer.render(
            "## Main\n\n## Main\n\n## Main 1\n", options: .init(reservedIDs: ["main"]))
        #expect(rendered.headings.map(\.id) == ["main-1", "main-2", "main-1-1"])
        try Data("---\ntitle: Ids\ndate: 2020-01-01\n---\n## Main\n\nText.\n".utf8).write(
            to: root.appendingPathComponent("Content/ids.md"))
        #expect(problems(root).build == [])
        let page = try String(contentsOf: root.appendingPathComponent("Public/ids/index.html"), encoding: .utf8)
        #expect(page.components(separatedBy: "id=\"main\"").count == 2)
    }

    @Test func aBrokenMarkdownLinkIsReportedWhereItWasWrittenAsWritten() throws {
        try Data("---\ntitle: Links\ndate: 2020-01-01\n---\nSee [it](it's.md) and [x](a&b.md).\n".utf8).write(
            to: root.appendingPathComponent("Content/links.md"))
        expectRefusal([
                "Content/links.md:5:10: error: link to 'it's.md': the article Content/it's.md does not exist",
                "Content/links.md:5:27: error: link to 'a&b.md': the article Content/a&b.md does not exist",
        ])
    }

    @Test func aNegativeClaimToleranceIsAnError() throws {
        try Data("---\ntitle: Claims\ndate: 2020-01-01\n---\nIt cost {{claim 7.3 million ≈ sum(tenders.amount_kzt, year=2017) ± -5%}}.\n".utf8).write(
            to: root.appendingPathComponent("Content/claims.md"))
        let found = problems(root)
        #expect(found.check == ["Content/claims.md:5:9: error: tolerance '-5%' must be from 0% to 100%"])
        #expect(found.build == found.check)
    }
}

extension SafetyTests {
    /// `dossier build` stopped by SIGTERM or SIGINT while it writes: its staging folder is
    /// removed and the previous output is left as it was.
    @Test(arguments: [SIGTERM, SIGINT])
    func anInterruptedBuildRemovesItsStagingFolder(signal: Int32) throws {
        _ = try SiteBuilder(project: Project(root: root)).build()
        let before = try Fixtures.readTree(root.appendingPathComponent("Public"))
        let paragraph = String(repeating: "Words of an article about tenders and budgets. ", count: 60)
        for i in 0..<1500 {
            try dir.write("project/Content/bulk/a\(i).md", "---\ntitle: Bulk \(i)\ndate: 2020-01-01\n---\n\(paragraph)\n")
        }
        let process = Process()
        process.executableURL = Fixtures.executable
        process.arguments = ["build", "--root", root.path, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the staging folder to appear (at most 60 s), then stop the build.
        func staging() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter {
                $0.hasPrefix(".dossier-build-")
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while staging().isEmpty && process.isRunning && Date() < deadline { usleep(1000) }
        #expect(!staging().isEmpty, "the build finished before it could be interrupted")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(staging() == [])
        #expect(try Fixtures.readTree(root.appendingPathComponent("Public")).map(\.1) == before.map(\.1))
    }
}

extension SafetyTests {
    /// With `unsafe_html: true`, raw HTML passes, but not what would run script or send the
    /// reader elsewhere: each is an error at its place, from `check` and `build` alike.
    @Test func unsafeHTMLStillRunsNoScript() throws {
        let site = root.appendingPathComponent("Content/site.yml")
        try Data((try String(contentsOf: site, encoding: .utf8) + "markdown: {unsafe_html: true}\n").utf8).write(to: site)
        try Data(
            """
            ---
            title: Unsafe
            date: 2020-01-01
            ---
            Hello <b onclick="alert(1)">bold</b> and [x](javascript:alert(1)) and <a href="JaVa
            script:x">y</a>.

            <base href="https://evil.example/">
            <meta http-equiv="refresh" content="0;url=https://evil.example/">

            <xmp><img src=x onerror=alert(1)></xmp>
            <noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>

            <img src="data:image/png;base64,AAAA" alt="ok"> <span style="color: red">fine</span>
            <svg><a href="data:text/html,x">x</a></svg> <b ONMOUSEOVER=x>y</b>

            """.utf8
        ).write(to: root.appendingPathComponent("Content/unsafe.md"))
        expectRefusal([
                "Content/unsafe.md:5:10: error: raw HTML: the event handler onclick= runs script",
                "Content/unsafe.md:5:46: error: link to a javascript: address, which runs script",
                "Content/unsafe.md:5:74: error: raw HTML: href= holds a javascript: address, which runs script",
                "Content/unsafe.md:8:1: error: raw HTML: <base> changes where every link of the page leads",
                "Content/unsafe.md:9:1: error: raw HTML: <meta> in an article can redirect the reader (http-equiv=refresh)",
                "Content/unsafe.md:11:1: error: raw HTML: <xmp> hides markup from the checks",
                "Content/unsafe.md:11:17: error: raw HTML: the event handler onerror= runs script",
                "Content/unsafe.md:12:1: error: raw HTML: <noscript> hides markup from the checks",
                "Content/unsafe.md:15:9: error: raw HTML: href= holds a data: address, which runs script",
                "Content/unsafe.md:15:48: error: raw HTML: the event handler onmouseover= runs script",
        ])
        // What remains is allowed: plain raw HTML, a bitmap data: image, inline styles.
        try Data("---\ntitle: Unsafe\ndate: 2020-01-01\n---\n<img src=\"data:image/png;base64,AAAA\" alt=\"ok\"> <span style=\"color: red\">fine</span> <b>bold</b>\n".utf8)
            .write(to: root.appendingPathComponent("Content/unsafe.md"))
        #expect(problems(root).build == [])
        let page = try String(contentsOf: root.appendingPathComponent("Public/unsafe/index.html"), encoding: .utf8)
        #expect(page.contains("<span style=\"color: red\">fine</span> <b>bold</b>"))
    }
}

extension SafetyTests {
    @Test func aPartialThatIncludesItselfIsAnError() throws {
        try dir.write("project/Templates/partials/loop-a.mustache", "a {{> partials/loop-b}}\n")
        try dir.write("project/Templates/partials/loop-b.mustache", "b\n{{#x}}{{> partials/loop-a}}{{/x}}\n")
        expectRefusal([
                "Templates/partials/loop-b.mustache:2:7: error: partial 'partials/loop-a' includes itself (partials/loop-a → partials/loop-b → partials/loop-a), which would never end"
        ])
    }

    @Test func deeplyNestedInputIsRefusedNotOverflowed() throws {
        try dir.write(
            "project/Templates/partials/deep.mustache",
            String(repeating: "{{#a}}", count: 50_000) + String(repeating: "{{/a}}", count: 50_000))
        try dir.write("project/Data/deep.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        try dir.write(
            "project/Data/deep2.yml", "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        expectRefusal([
                "Data/deep.json:1:513: error: invalid JSON: nested too deeply",
                "Data/deep2.yml:1:5: error: invalid YAML: Maximum nesting level reached, set with yaml_set_max_nest_level()) while parsing",
                "Templates/partials/deep.mustache:1:601: error: sections nest more than 100 deep here",
        ])
    }
}

extension SafetyTests {
    @Test func slugsThatDifferOnlyInCaseWarnInCheckAndBuild() throws {
        try dir.write("project/Content/upper.md", "---\ntitle: Upper\ndate: 2020-01-01\nslug: Report\n---\nText.\n")
        try dir.write("project/Content/lower.md", "---\ntitle: Lower\ndate: 2020-01-02\nslug: report\n---\nText.\n")
        let builder = SiteBuilder(project: Project(root: root))
        let checked = try builder.check().warnings.map(\.headline)
        let built = try builder.build().warnings.map(\.headline)
        let served = try builder.render(cache: BuildCache()).warnings
        #expect(served.map(\.headline) == checked)
        #expect(served.map(\.code) == [.pageCaseOnly])
        #expect(
            checked == [
                "Content/upper.md:4:7: warning: page Report/index.html differs from report/index.html only in case; on macOS and Windows disks and many hosts one overwrites the other"
            ])
        #expect(built == checked)
    }

    @Test func aFileWhereAnotherNeedsAFolderIsAnError() throws {
        try dir.write("project/Content/a.md", "---\ntitle: A\ndate: 2020-01-01\n---\nText.\n")
        try dir.write("project/Content/b.md", "---\ntitle: B\ndate: 2020-01-01\nslug: a/index.html\n---\nText.\n")
        expectRefusal([
                "Content/a.md:1:1: error: page a/index.html would be a file where a/index.html/index.html needs a folder (by Content/b.md)"
        ])
    }

    @Test func slugMaxShortensGeneratedSlugsAtAWord() throws {
        #expect(Slug.shorten("supplier-with-a-very-long-name", to: 20) == "supplier-with-a-very")
        #expect(Slug.shorten("supplier-with-a-very-long-name", to: 12) == "supplier")
        #expect(Slug.shorten("abcdefghijklmnop/qr", to: 8) == "abcdefgh/qr")
        #expect(Slug.shorten("әәәәәә", to: 5) == "әә")
        let spec = root.appendingPathComponent("Content/statuses/_pages.yml")
        try Data((try String(contentsOf: spec, encoding: .utf8) + "slug_max: 8\n").utf8).write(to: spec)
        #expect(problems(root).build == [])
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Public/statuses/no_bidde/index.html").path))
    }
}

extension SafetyTests {
    @Test func checkRefusesAnOutputFolderThatBuildWouldRefuse() throws {
        try dir.write("project/Public/notes.txt", "mine")
        expectRefusal([
                "Public: error: the output folder has files that Dossier did not write; refusing to replace it"
        ])
    }

    /// `check` writes nothing: no output folder, no staging folder.
    @Test func checkWritesNothing() throws {
        _ = try SiteBuilder(project: Project(root: root)).check()
        let entries = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(entries == ["Content", "Data", "Templates"])
    }
}

extension SafetyTests {
    /// Keys that are lists, mappings or aliases are refused before Yams compares them (nested
    /// ones took minutes: found by fuzzing `_pages.yml`).
    @Test func yamlKeysMustBePlainText() throws {
        for (text, line, column) in [
            ("title: x\n? [a, b]\n: c\n", 2, 3), ("title: x\n[a]: b\n", 2, 1), ("title: x\nk: {{a: 1}: 2}\n", 2, 5),
            ("title: x\na: &k 1\n*k : 2\n", 3, 1),
        ] {
            do {
                _ = try YAML.compose(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.message == "a YAML key must be plain text, not a list, a mapping or an alias")
                #expect((error.line, error.column) == (line, column), "\(text)")
            }
        }
        // Question marks and brackets in values are no keys.
        #expect(throws: Never.self) { _ = try YAML.compose("title: What? [draft]\ntags: [a, b]\nx: {a: 1}\n") }
    }

    @Test func aRepeatBuildLinksTheFilesThatDidNotChange() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let public_ = root.appendingPathComponent("Public")
        func inodes() throws -> [String: UInt64] {
            var out: [String: UInt64] = [:]
            let walker = FileManager.default.enumerator(atPath: public_.path)!
            while let path = walker.nextObject() as? String {
                var info = stat()
                guard lstat(public_.path + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, path != ".dossier" else { continue }
                out[path] = UInt64(info.st_ino)
            }
            return out
        }
        _ = try SiteBuilder(project: Project(root: root)).build()
        let first = try inodes()
        // Nothing changed, and the build is forced: every file is the same file, linked, not written again.
        _ = try SiteBuilder(project: Project(root: root), options: BuildOptions(force: true)).build()
        #expect(try inodes() == first)
        // The site's title changed: the pages are written anew, the chart's CSV and the data copy are linked.
        let settings = root.appendingPathComponent("Content/site.yml")
        let text = try String(contentsOf: settings, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "title: A new investigation", with: "title: Another one").utf8).write(to: settings)
        _ = try SiteBuilder(project: Project(root: root)).build()
        let third = try inodes()
        #expect(third["index.html"] != first["index.html"])
        #expect(third["first-story/payments-by-department.csv"] == first["first-story/payments-by-department.csv"])
        #expect(third["data/spending.csv"] == first["data/spending.csv"])
        // A link planted in the output is never followed: the file is written, the target untouched.
        let outside = dir.path("outside.csv")
        let copy = public_.appendingPathComponent("data/spending.csv")
        try Data(contentsOf: copy).write(to: outside)
        try FileManager.default.removeItem(at: copy)
        try FileManager.default.createSymbolicLink(at: copy, withDestinationURL: outside)
        let before = try Data(contentsOf: outside)
        _ = try SiteBuilder(project: Project(root: root)).build()
        var info = stat()
        #expect(lstat(copy.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
        #expect(try Data(contentsOf: outside) == before)
        var outsideInfo = stat()
        #expect(lstat(outside.path, &outsideInfo) == 0 && outsideInfo.st_ino != info.st_ino)
    }
}

extension SafetyTests {
    /// Whatever the umask the build runs under, the output is readable by everyone (static
    /// hosts and link checkers often run as another user): files `0644`, folders `0755`.
    @Test(arguments: ["077", "022", "002"])
    func theOutputIsReadableByEveryoneWhateverTheUmask(mask: String) throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "umask \(mask) && exec \"$0\" build --root \"$1\" --quiet", Fixtures.executable.path, root.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let public_ = root.appendingPathComponent("Public")
        var modes: [String: Int] = [:]
        var info = stat()
        #expect(lstat(public_.path, &info) == 0)
        modes["."] = Int(info.st_mode & 0o7777)
        let walker = try #require(FileManager.default.enumerator(atPath: public_.path))
        while let path = walker.nextObject() as? String {
            guard lstat(public_.path + "/" + path, &info) == 0 else { continue }
            modes[path] = Int(info.st_mode & 0o7777)
            let expected = info.st_mode & S_IFMT == S_IFDIR ? 0o755 : 0o644
            #expect(Int(info.st_mode & 0o7777) == expected, "\(path) under umask \(mask)")
        }
        #expect(modes["."] == 0o755)
        #expect(modes["index.html"] == 0o644)
        #expect(modes.count > 10)
    }
}
