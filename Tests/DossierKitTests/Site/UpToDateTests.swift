import Foundation
import Testing

@testable import DossierCore
@testable import DossierProject
@testable import DossierContent
@testable import DossierSite

#if canImport(Glibc)
    import Glibc
#endif

/// A build of unchanged sources into an untouched output leaves it as it is; any change to a
/// source, an option or the output gives a full build with the same bytes as a first one.
@Suite struct UpToDateTests {
    func tree(_ folder: URL) throws -> [String: Data] {
        Dictionary(uniqueKeysWithValues: try Fixtures.readTree(folder).map { ($0.0, $0.1) })
    }

    /// Sets a file's times back to what they were: the stamp then differs only in change time
    /// and, for a file saved again within the same tick, not at all in what `stat` reports of
    /// its size and modification time.
    func setModified(_ url: URL, to seconds: Int, nanoseconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        _ = utimensat(AT_FDCWD, url.path, &times, 0)
    }

    /// The output's stamps are written as bytes: each line must be the one the inputs' digest
    /// writes as text.
    @Test func aStampWrittenAsBytesIsItsLine() {
        var info = stat()
        for (mode, size, seconds, nanoseconds, inode) in [
            (UInt32(0o100644), 0, 0, 0, UInt64(1)), (UInt32(0o40755), 17_773, 1_764_529_000, 999_999_999, UInt64.max),
            (UInt32(0o120777), Int.max, -1, 5, UInt64(12_345)),
        ] {
            info.st_mode = mode
            info.st_size = size
            info.st_mtim = timespec(tv_sec: seconds, tv_nsec: nanoseconds)
            info.st_ctim = timespec(tv_sec: seconds + 1, tv_nsec: 0)
            info.st_ino = UInt(inode)
            info.st_dev = 2_049
            let stamp = Stamp(info)
            var bytes: [UInt8] = []
            stamp.appendLine(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == stamp.line)
        }
    }

    /// The output's stamps are taken on all cores for a large folder; the lines must be those
    /// of walking it in order.
    @Test func theOutputsLinesAreThoseOfTheWalk() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for i in 0..<700 {
            let folder = root.appendingPathComponent("suppliers/s-\(i)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("page \(i)".utf8).write(to: folder.appendingPathComponent("index.html"))
            if i % 100 == 0 { try Data().write(to: folder.appendingPathComponent("chart.csv")) }
        }
        try Data("home".utf8).write(to: root.appendingPathComponent("index.html"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("link"), withDestinationURL: root.appendingPathComponent("suppliers"))
        var walked: [UInt8] = []
        Stamp.walk(root.path, follow: false) { path, stamp in
            walked.append(contentsOf: (path + "\t" + stamp.line + "\n").utf8)
        }
        let top = try #require(Stamp.of(root.path, follow: false))
        var lines: [UInt8] = []
        Stamp.lines(under: root.path, ancestors: [[top.device, top.inode]], into: &lines)
        #expect(lines == walked)
        #expect(String(decoding: lines, as: UTF8.self).split(separator: "\n").count == 1 + 700 * 2 + 7 + 2)
    }

    @Test func anUnchangedSiteIsLeftAsItIsAndItsWarningsAreSaidAgain() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        // A warning to say again: a figure typed in prose (the starter's site.yml reports them).
        let article = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Content").path)
            .first { $0.hasSuffix(".md") }!
        let articleURL = root.appendingPathComponent("Content/" + article)
        try Data((try String(contentsOf: articleURL, encoding: .utf8) + "\nThe city paid 4,512,000 dollars.\n").utf8)
            .write(to: articleURL)
        let first = try SiteBuilder(project: Project(root: root)).build()
        #expect(!first.upToDate)
        #expect(!first.warnings.isEmpty)
        let output = try tree(root.appendingPathComponent("Public"))
        let again = try SiteBuilder(project: Project(root: root)).build()
        #expect(again.upToDate)
        #expect(again.warnings == first.warnings)
        #expect((again.pages, again.datasets, again.files, again.bytes) == (first.pages, first.datasets, first.files, first.bytes))
        #expect(try tree(root.appendingPathComponent("Public")) == output)
        // Forced, drafts included, or another output: full builds.
        #expect(try !SiteBuilder(project: Project(root: root), options: BuildOptions(force: true)).build().upToDate)
        #expect(try !SiteBuilder(project: Project(root: root), options: BuildOptions(includeDrafts: true)).build().upToDate)
        #expect(try !SiteBuilder(project: Project(root: root)).build().upToDate)
        #expect(try SiteBuilder(project: Project(root: root)).build().upToDate)
        let other = dir.path("elsewhere")
        #expect(try !SiteBuilder(project: Project(root: root, output: other)).build().upToDate)
        #expect(try !SiteBuilder(project: Project(root: root)).build().upToDate)
    }

    @Test func aChangedSourceOrAnEditedOutputGivesAFullBuild() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let public_ = root.appendingPathComponent("Public")
        _ = try SiteBuilder(project: Project(root: root)).build()
        let output = try tree(public_)

        // A page edited or removed by hand, or a file added: rebuilt to what the sources say.
        try Data("edited".utf8).write(to: public_.appendingPathComponent("index.html"))
        #expect(try !SiteBuilder(project: Project(root: root)).build().upToDate)
        #expect(try tree(public_) == output)
        try FileManager.default.removeItem(at: public_.appendingPathComponent("index.html"))
        #expect(try !SiteBuilder(project: Project(root: root)).build().upToDate)
        // A file added by hand is not the build's to delete: the build refuses, naming it.
        try Data("extra".utf8).write(to: public_.appendingPathComponent("extra.html"))
        #expect {
            _ = try SiteBuilder(project: Project(root: root)).build()
        } throws: { error in
            (error as? BuildFailure)?.diagnostics.first?.message.contains("(extra.html)") == true
        }
        try FileManager.default.removeItem(at: public_.appendingPathComponent("extra.html"))
        _ = try SiteBuilder(project: Project(root: root)).build()
        #expect(try tree(public_) == output)
        try FileManager.default.removeItem(at: public_)
        #expect(try !SiteBuilder(project: Project(root: root)).build().upToDate)
        #expect(try tree(public_) == output)

        // The same size, the modification time set back: the change time still differs.
        let settings = root.appendingPathComponent("Content/site.yml")
        let text = try String(contentsOf: settings, encoding: .utf8)
        var info = stat()
        _ = try SiteBuilder(project: Project(root: root)).build()
        #expect(stat(settings.path, &info) == 0)
        let renamed = text.replacingOccurrences(of: "title: A new investigation", with: "title: A new Investigation")
        #expect(renamed != text && renamed.utf8.count == text.utf8.count)
        try Data(renamed.utf8).write(to: settings)
        setModified(settings, to: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
        let rebuilt = try SiteBuilder(project: Project(root: root)).build()
        #expect(!rebuilt.upToDate)
        #expect(try String(contentsOf: public_.appendingPathComponent("index.html"), encoding: .utf8).contains("A new Investigation"))

        // Saved again within the clock tick of the build's start, a file can keep its whole
        // stamp; files saved near the start are compared by their bytes too. Simulated by
        // giving the record the stamps of the changed file.
        _ = try SiteBuilder(project: Project(root: root)).build()
        let recordURL = root.appendingPathComponent(".dossier-cache/last-build.json")
        var record = try #require(BuildRecord.decode(try Data(contentsOf: recordURL)))
        #expect(record.racy.keys.contains(settings.standardizedFileURL.path))
        let folder = try OutputWriter.checkedOutput(Project(root: root))
        #expect(BuildRecord.current(Project(root: root), inputs: BuildRecord.inputs(Project(root: root), options: BuildOptions()), output: folder.path) != nil)
        try Data(text.utf8).write(to: settings)
        record.inputs = BuildRecord.inputs(Project(root: root), options: BuildOptions()).digest
        try record.encoded().write(to: recordURL)
        let now = BuildRecord.inputs(Project(root: root), options: BuildOptions())
        #expect(BuildRecord.current(Project(root: root), inputs: now, output: folder.path) == nil)
        try Data(renamed.utf8).write(to: settings)
        record.inputs = BuildRecord.inputs(Project(root: root), options: BuildOptions()).digest
        try record.encoded().write(to: recordURL)
        #expect(BuildRecord.current(Project(root: root), inputs: BuildRecord.inputs(Project(root: root), options: BuildOptions()), output: folder.path) != nil)

        // A file added to Data/ or Templates/ counts, even one the build does not read.
        #expect(try SiteBuilder(project: Project(root: root)).build().upToDate)
        try Data("x: 1\n".utf8).write(to: root.appendingPathComponent("Templates/notes.txt"))
        #expect(try !SiteBuilder(project: Project(root: root)).build().upToDate)

        // A record that cannot be read (damaged, another format) only costs the shortcut.
        try Data("{".utf8).write(to: recordURL)
        #expect(try !SiteBuilder(project: Project(root: root)).build().upToDate)
        #expect(try SiteBuilder(project: Project(root: root)).build().upToDate)
    }

    /// A dataset saved just before the build is racy: the record keeps the checksum of the bytes
    /// the build read (the loader's), not of a second read after the build.
    @Test func aRacyDatasetIsRecordedWithTheChecksumOfWhatTheBuildRead() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let spending = root.appendingPathComponent("Data/spending.csv")
        let bytes = try Data(contentsOf: spending)
        try bytes.write(to: spending)
        let report = try SiteBuilder(project: Project(root: root)).build()
        let recordURL = root.appendingPathComponent(".dossier-cache/last-build.json")
        let record = try #require(BuildRecord.decode(try Data(contentsOf: recordURL)))
        #expect(record.racy[spending.standardizedFileURL.path] == SHA256.hex(bytes))

        // What `save` records for a racy file the build read is the checksum it is given.
        let inputs = BuildRecord.inputs(Project(root: root), options: BuildOptions())
        #expect(inputs.racy.contains(spending.standardizedFileURL.path))
        let output = try OutputWriter.checkedOutput(Project(root: root)).path
        BuildRecord.save(Project(root: root), inputs: inputs, output: output, report: report, read: [spending.standardizedFileURL.path: "read"])
        let saved = try #require(BuildRecord.decode(try Data(contentsOf: recordURL)))
        #expect(saved.racy[spending.standardizedFileURL.path] == "read")
        #expect(saved.racy.count == inputs.racy.count)
    }

    @Test func theCommandSaysTheOutputIsUpToDate() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let tests = SiteBuildTests()
        let first = try tests.run(["build", "--root", root.path, "-q"])
        #expect(first.status == 0 && first.stdout.hasPrefix("Built "))
        let second = try tests.run(["build", "--root", root.path, "-q"])
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("Nothing changed since the last build: Public/ ("), "\(second.stdout)")
        let forced = try tests.run(["build", "--root", root.path, "-q", "--force"])
        #expect(forced.status == 0 && forced.stdout.hasPrefix("Built "))
    }
}
