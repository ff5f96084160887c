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

@Suite struct SiteBuildTests {
    /// Builds a copy of `site` into a temporary folder; returns the folder.
    func buildCopy(of site: URL, drafts: Bool = false) throws -> (TemporaryDirectory, BuildReport) {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(site, to: dir.url)
        let report = try SiteBuilder(project: Project(root: dir.url), options: BuildOptions(includeDrafts: drafts))
            .build()
        return (dir, report)
    }

    @Test func fixtureSiteMatchesTheGoldenOutput() throws {
        let (dir, report) = try buildCopy(of: Fixtures.validSite)
        #expect(report.pages == 18)
        #expect(report.datasets == 3)
        try assertMatchesGolden(try Fixtures.readTree(dir.path("Public")), golden: Fixtures.expectedOutput)
    }

    @Test func draftsAreLeftOutUnlessAskedFor() throws {
        let (plain, _) = try buildCopy(of: Fixtures.validSite)
        #expect(!FileManager.default.fileExists(atPath: plain.path("Public/draft/index.html").path))
        let (withDrafts, report) = try buildCopy(of: Fixtures.validSite, drafts: true)
        #expect(report.pages == 19)
        #expect(FileManager.default.fileExists(atPath: withDrafts.path("Public/draft/index.html").path))
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let (a, _) = try buildCopy(of: Fixtures.sampleSite)
        let (b, _) = try buildCopy(of: Fixtures.sampleSite)
        let first = try Fixtures.readTree(a.path("Public"))
        let second = try Fixtures.readTree(b.path("Public"))
        #expect(first.count > 4)
        #expect(first.map(\.0) == second.map(\.0))
        #expect(first.map(\.1) == second.map(\.1))
        // Rebuilding in place gives the same bytes too.
        _ = try SiteBuilder(project: Project(root: a.url)).build()
        #expect(try Fixtures.readTree(a.path("Public")).map(\.1) == first.map(\.1))
    }

    @Test func sampleSiteCarriesTheSeedFigures() throws {
        let (dir, report) = try buildCopy(of: Fixtures.sampleSite)
        #expect(report.datasets >= 6)
        let budget = try String(contentsOf: dir.path("Public/programme-budget/index.html"), encoding: .utf8)
        for figure in [
            "270,148,000,000\u{00A0}₸", "$696,389,000", "103,176,000,000\u{00A0}₸", "1,700,000,000\u{00A0}₸",
            "Ní Aoláin", "930",
        ] {
            #expect(budget.contains(figure), "programme-budget lacks \(figure)")
        }
        let tenders = try String(contentsOf: dir.path("Public/tenders/index.html"), encoding: .utf8)
        for figure in [
            "155,854,000\u{00A0}₸", "42,971,000\u{00A0}₸", "39,000,000\u{00A0}₸", "KAZANAT-MIRAS", "Halkyma tagzym",
            "8,900,000\u{00A0}₸",
        ] {
            #expect(tenders.contains(figure), "tenders lacks \(figure)")
        }
        let home = try String(contentsOf: dir.path("Public/index.html"), encoding: .utf8)
        #expect(home.contains("href=\"./tenders/index.html\""))
    }

    /// Every figure in the sample's prose is computed or a checked claim, and no claim fails.
    @Test func sampleProseFiguresAreAllTracedToTheData() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let project = Project(root: dir.url)
        #expect(TypedNumbers.find(in: project, includeDrafts: true).map { "\($0.location) \($0.text)" } == [])
        let site = try SiteBuilder(project: project).render()
        #expect(site.warnings.isEmpty)
        #expect(site.figures.count >= 50)
        #expect(site.figures.allSatisfy { $0.matches || $0.disputed })
        // The source's three slips are published as disputed claims, each contradicted by the data.
        let disputed = site.figures.filter(\.disputed).map { $0.typed ?? "" }
        #expect(disputed == ["402.55 dollars", "2.8 times", "over 1 billion dollars", "2,8 раза"])
        let budget = try #require(site.files.first { $0.path == "programme-budget/index.html" })
        let html = String(decoding: budget.bytes, as: UTF8.self)
        for shown in ["270.148 billion tenge", "$678.21 million", "$697.75 million", "152.13", "387.17"] {
            #expect(html.contains(shown), "programme-budget lacks \(shown)")
        }
        #expect(html.contains("<span class=\"claim disputed\" title=\"contradicted by the data: ratio("))
    }

    @Test func typedNumbersWarnWhenTheSiteSaysSo() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let config = try String(contentsOf: dir.path("Content/site.yml"), encoding: .utf8)
        try dir.write(
            "Content/site.yml", config.replacingOccurrences(of: "typed_numbers: error", with: "typed_numbers: warn"))
        try dir.write("Content/typed.md", "---\ntitle: Typed\ndate: 2019-01-01\n---\n\nIt cost 39 million tenge.\n")
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        #expect(
            site.warnings.map(\.headline) == [
                "Content/typed.md:6:9: warning: typed number 39 is neither computed nor a checked claim"
            ])
    }

    @Test func checkFiguresListsFiguresRatesAndTypedNumbers() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let clean = try run(["check", "--figures", "--root", dir.url.path])
        #expect(clean.status == 0)
        #expect(
            clean.stdout.contains(
                "claim 2.8 times is contradicted, as marked, by ratio(budget_2018_2022, budget_2013_2017) = 2.6183"))
        #expect(clean.stdout.contains("    converted at 152.13 tenge to the dollar, the rate of 2013-12-31"))
        #expect(
            clean.stdout.contains(" typed numbers not traced to the data.")
                && clean.stdout.contains(", 0 typed numbers"))
        try dir.write(
            "Content/typed.md", "---\ntitle: Typed\ndate: 2019-01-01\n---\n\nIt cost 39 million tenge in 2018.\n")
        // The sample refuses typed numbers: the check fails at the number.
        let refused = try run(["check", "--figures", "--root", dir.url.path])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "Content/typed.md:6:9: error: typed number 39 is neither computed nor a checked claim"))
        // A site that does not refuse them still sees them listed.
        let config = try String(contentsOf: dir.path("Content/site.yml"), encoding: .utf8)
        try dir.write(
            "Content/site.yml", config.replacingOccurrences(of: "typed_numbers: error", with: "typed_numbers: ignore"))
        let typed = try run(["check", "--figures", "--root", dir.url.path])
        #expect(typed.status == 0)
        #expect(typed.stdout.contains("Content/typed.md:6:9  typed number 39 is neither computed nor a checked claim"))
    }

    @Test func everyLinkIsRelative() throws {
        let (dir, _) = try buildCopy(of: Fixtures.sampleSite)
        for (path, data) in try Fixtures.readTree(dir.path("Public")) where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for attribute in ["href=\"/", "src=\"/"] {
                #expect(!html.contains(attribute), "\(path) has a root-relative link")
            }
        }
    }

    // MARK: Bad input

    /// Builds the valid fixture, then applies an invalid case on top and runs `dossier build`
    /// again: it must exit with status 1, print exactly the expected error lines, and leave
    /// the output byte-identical, with no staging folder left behind. `dossier check` must
    /// print the same lines.
    @Test(arguments: Fixtures.invalidCaseNames())
    func invalidCaseFailsWithItsErrorAndLeavesOutputAlone(name: String) throws {
        let caseFolder = Fixtures.invalidCases.appendingPathComponent(name)
        let expected = try String(contentsOf: caseFolder.appendingPathComponent("expected.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(!expected.isEmpty)
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        _ = try SiteBuilder(project: Project(root: dir.url)).build()
        let before = try Fixtures.readTree(dir.path("Public"))

        try Fixtures.apply(overlay: caseFolder, to: dir.url)
        let result = try run(["build", "--root", dir.url.path])
        #expect(result.status == 1)
        let errorLines = result.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }
        #expect(errorLines == expected)
        // `dossier check` finds exactly what `dossier build` refuses.
        let checked = try run(["check", "--root", dir.url.path])
        #expect(checked.status == 1)
        #expect(checked.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") } == expected)
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == expected.first)
        // With codes: the same problems, codes and places from both; and from serve's build into memory.
        func problems(_ output: String) -> [String] {
            output.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        }
        let codedBuild = problems(try run(["build", "--codes", "--root", dir.url.path]).stderr)
        let codedCheck = problems(try run(["check", "--codes", "--root", dir.url.path]).stderr)
        #expect(codedBuild == codedCheck)
        #expect(!codedBuild.isEmpty && codedBuild.allSatisfy { $0.hasSuffix("]") })
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).render(cache: BuildCache())
        } throws: { error in
            (error as! BuildFailure).diagnostics.filter { $0.severity == .error }.map(\.headline) == expected
        }

        let after = try Fixtures.readTree(dir.path("Public"))
        #expect(after.map(\.0) == before.map(\.0))
        #expect(after.map(\.1) == before.map(\.1))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
            $0.hasPrefix(".dossier") && $0 != ".dossier-cache"
        }
        #expect(leftovers.isEmpty)
    }

    @Test func refusesToReplaceAFolderItDidNotWrite() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try dir.write("Public/notes.txt", "mine")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).build()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.headline)
                == ["Public: error: the output folder has files that Dossier did not write; refusing to replace it"]
        }
        #expect(try String(contentsOf: dir.path("Public/notes.txt"), encoding: .utf8) == "mine")
    }

    @Test func refusesOutputThatOverlapsTheSources() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        for output in [dir.url, dir.path("Content"), dir.path("Data/out")] {
            #expect(throws: BuildFailure.self) {
                try SiteBuilder(project: Project(root: dir.url, output: output)).build()
            }
        }
        #expect(FileManager.default.fileExists(atPath: dir.path("Content/site.yml").path))
    }

    // MARK: The command

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = Fixtures.executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test func commandPrintsStepsAndExitsNonZeroOnErrors() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        let ok = try run(["build", "--root", dir.url.path])
        #expect(ok.status == 0)
        for step in [
            "load content", "load data", "load templates", "markdown", "figures", "charts", "pages", "links", "write", "record",
        ] {
            #expect(ok.stdout.contains("  \(step)"))
        }
        #expect(ok.stdout.contains("Built 18 pages and 3 datasets"))

        try dir.write("Data/tenders.csv", "id,year\nt1,2017,extra\n")
        let bad = try run(["build", "--root", dir.url.path])
        #expect(bad.status == 1)
        #expect(
            bad.stderr.split(separator: "\n").first
                == "Data/tenders.csv:2:3: error: row has 3 fields but the header has 2")
        #expect(bad.stderr.contains("the output folder was left as it was"))
    }

    /// A dataset that would not fit in memory is refused before it is read, naming the file.
    @Test func aDatasetTooLargeForMemoryIsAnErrorNotACrash() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        _ = try run(["build", "--quiet", "--root", dir.url.path])
        let before = try Fixtures.readTree(dir.path("Public"))
        let row = "x1,2019,\"A long title, quoted\",1000,completed\n"
        try dir.write("Data/big.csv", "id,year,title,amount_kzt,status\n" + String(repeating: row, count: 40_000))
        let result = try run(["build", "--root", dir.url.path], environment: ["DOSSIER_MEMORY_MB": "1"])
        #expect(result.status == 1)
        // 1.8 MB of 200,000 cells: 1.5 bytes a byte and 18 a cell.
        #expect(
            result.stderr.hasPrefix(
                "Data/big.csv: error: dataset is too large to load: 1.8 MB on disk needs about 6.1 MB of memory, and 1.0 MB is available"
            ), "\(result.stderr)")
        #expect(try Fixtures.readTree(dir.path("Public")).map(\.1) == before.map(\.1))
        #expect(try run(["build", "--quiet", "--root", dir.url.path]).status == 0)
    }

    /// Piped (as here) the progress of long steps is plain lines: one per step, with how many
    /// items at what rate, and no carriage returns redrawing a line.
    @Test func longStepsReportTheirItemsInPlainLinesWhenPiped() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        for i in 0..<300 {
            try dir.write("Content/many/a\(i).md", "---\ntitle: Article \(i)\ndate: 2019-01-01\n---\n\nText \(i).\n")
        }
        let result = try run(["build", "--root", dir.url.path])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\r"))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let load = try #require(lines.first { $0.hasPrefix("  load content") })
        #expect(load.contains("(303 at "), "\(load)")
        #expect(lines.filter { $0.hasPrefix("  pages") }.count == 1)
        let quiet = try run(["build", "--quiet", "--root", dir.url.path])
        #expect(quiet.stdout.split(separator: "\n").count == 1)
    }

    @Test func theBuilderReportsProgressOfEachLongStep() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        for i in 0..<250 {
            try dir.write("Content/many/a\(i).md", "---\ntitle: Article \(i)\ndate: 2019-01-01\n---\n\nText \(i).\n")
        }
        let reports = Reports()
        var builder = SiteBuilder(project: Project(root: dir.url))
        builder.onProgress = { step, done, total in reports.add(step, done, total) }
        let site = try builder.render()
        let all = reports.all
        // Other tests' builds may report through the same process-wide hook: look for ours.
        #expect(all.contains { $0 == ("load content", 253, 253) })
        #expect(all.contains { $0 == ("markdown", 252, 252) })
        #expect(all.contains { $0.0 == "pages" && $0.1 == site.pages && $0.2 == site.pages })
        let pages = all.filter { $0.0 == "pages" && $0.2 == site.pages }.map(\.1)
        #expect(pages.count > 1)
    }
}

final class Reports: @unchecked Sendable {
    private var items: [(String, Int, Int)] = []
    private let lock = NSLock()
    func add(_ step: String, _ done: Int, _ total: Int) { lock.withLock { items.append((step, done, total)) } }
    var all: [(String, Int, Int)] { lock.withLock { items } }
}

extension SiteBuildTests {
    @Test func checkReportsABrokenLinkAtItsLineAndColumnAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        let first = try String(contentsOf: dir.path("Content/first.md"), encoding: .utf8)
        try dir.write("Content/first.md", first.replacingOccurrences(of: "(#section-1)", with: "(#no-such-section)"))
        let result = try run(["check", "--root", dir.url.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.split(separator: "\n").first
                == "Content/first.md:14:64: error: link to '#no-such-section' names #no-such-section, but first/index.html has no element with that id"
        )
        #expect(result.stderr.contains("1 problem found"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("Public").path))

        try dir.write("Content/first.md", first)
        let clean = try run(["check", "--root", dir.url.path])
        #expect(clean.status == 0)
        #expect(clean.stdout.hasPrefix("No problems in 18 pages and 3 datasets"))
    }
}

extension SiteBuildTests {
    @Test func parallelAndSerialBuildsAreByteIdentical() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let project = Project(root: dir.url)
        let parallel = try SiteBuilder(project: project).render()
        let serial = try Parallel.$serial.withValue(true) { try SiteBuilder(project: project).render() }
        #expect(parallel.files.map(\.path) == serial.files.map(\.path))
        #expect(parallel.files.map(\.bytes) == serial.files.map(\.bytes))
        #expect(parallel.files.count > 40)
    }

    /// `build()` streams each page to disk as it is rendered; what it writes is what the
    /// in-memory `render()` (used by `dossier serve`) makes, file for file, in parallel or not.
    @Test(arguments: [false, true])
    func streamedBuildWritesWhatTheInMemoryBuildMakes(serial: Bool) throws {
        for site in [Fixtures.sampleSite, Fixtures.validSite] {
            let dir = try TemporaryDirectory()
            try Fixtures.copySite(site, to: dir.url)
            let project = Project(root: dir.url)
            let rendered = try SiteBuilder(project: project).render()
            let report = try Parallel.$serial.withValue(serial) { try SiteBuilder(project: project).build() }
            let written = try Fixtures.readTree(dir.path("Public")).filter { $0.0 != ".dossier" }
            #expect(written.map(\.0) == rendered.files.map(\.path).sorted())
            let bytes = Dictionary(uniqueKeysWithValues: rendered.files.map { ($0.path, $0.bytes) })
            for (path, data) in written where !path.hasPrefix("data/") {
                #expect(bytes[path] == data, "\(path) differs")
            }
            #expect(report.paths == rendered.files.map(\.path).sorted())
            #expect(report.files == rendered.files.count + 1)
        }
    }

    /// A link to an anchor of a page rendered later, or to another page's chart file, can only
    /// be checked once every page is written: the streamed build checks it then, and a broken
    /// one fails the build with the in-memory build's message and leaves the output alone.
    @Test func linksToWhatIsWrittenLaterAreCheckedAtTheEnd() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let project = Project(root: dir.url)
        let before = try SiteBuilder(project: project).build()
        let tree = try Fixtures.readTree(dir.path("Public"))
        let chartFile = try #require(before.paths.first { $0.hasPrefix("tenders/") && $0.hasSuffix(".csv") })
        let prevention = try String(contentsOf: dir.path("Content/prevention.md"), encoding: .utf8)
        // Good: a chart file of another page and a heading of a page rendered after this one.
        let heading = try #require(
            String(decoding: tree.first { $0.0 == "tenders/index.html" }!.1, as: UTF8.self)
                .firstMatch(of: /<h2 id="([a-z0-9-]+)"/)?.1)
        try dir.write(
            "Content/prevention.md",
            prevention + "\n[The lots](tenders.md#\(heading)) and [their data](../\(chartFile)).\n")
        _ = try SiteBuilder(project: project).build()
        // Broken: an anchor the other page does not have.
        try dir.write("Content/prevention.md", prevention + "\n[Nowhere](tenders.md#no-such-heading).\n")
        let rendered = try? SiteBuilder(project: project).render()
        #expect(rendered == nil)
        var inMemory: [String] = []
        do { _ = try SiteBuilder(project: project).render() } catch { inMemory = error.diagnostics.map(\.headline) }
        let afterGood = try Fixtures.readTree(dir.path("Public"))
        do {
            _ = try SiteBuilder(project: project).build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.map(\.headline) == inMemory)
            #expect(
                inMemory.count == 1
                    && inMemory[0].contains(
                        "names #no-such-heading, but tenders/index.html has no element with that id")
            )
        }
        #expect(try Fixtures.readTree(dir.path("Public")).map(\.1) == afterGood.map(\.1))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
            $0.hasPrefix(".dossier") && $0 != ".dossier-cache"
        }
        #expect(leftovers.isEmpty)
    }
}

extension SiteBuildTests {
    @Test func listingPagesLinkAWindowOfPageNumbers() {
        func window(_ page: Int, _ count: Int) -> String {
            PageContext.pageWindow(page, of: count).map { ($0.gapBefore ? "… " : "") + String($0.number) }
                .joined(separator: " ")
        }
        #expect(window(1, 1) == "1")
        #expect(window(5, 9) == "1 2 3 4 5 6 7 8 9")
        #expect(window(1, 1000) == "1 2 3 … 1000")
        #expect(window(500, 1000) == "1 … 498 499 500 501 502 … 1000")
        #expect(window(4, 1000) == "1 2 3 4 5 6 … 1000")
        #expect(window(1000, 1000) == "1 … 998 999 1000")
    }
}

extension SiteBuildTests {
    /// An interrupted build leaves its staging folder (marked with `.dossier` from its start);
    /// the next build removes it, but not the folder of a build that is still running, of
    /// another output, or one Dossier did not mark.
    @Test func stagingFoldersOfInterruptedBuildsAreRemoved() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let stale = ".dossier-build-Public-\(dead)"
        let unmarked = ".dossier-old-Public-\(dead)"
        for folder in [stale, ".dossier-build-Public-1", ".dossier-build-Other-\(dead)", unmarked] {
            try dir.write(folder + "/index.html", "left over")
            if folder != unmarked { try dir.write(folder + "/.dossier", "marker") }
        }
        _ = try SiteBuilder(project: Project(root: dir.url)).build()
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".dossier") && $0 != ".dossier-cache" }
        #expect(left.sorted() == [".dossier-build-Other-\(dead)", ".dossier-build-Public-1", unmarked])
    }
}
