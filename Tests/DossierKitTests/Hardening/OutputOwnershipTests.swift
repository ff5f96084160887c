import Foundation
import Testing

@testable import DossierCore
@testable import DossierProject
@testable import DossierContent
@testable import DossierSite
@testable import DossierKit

#if canImport(Glibc)
    import Glibc
#endif

/// The output holds only files the build wrote, as it wrote them: a repeat build links nothing
/// that another name or another mode has touched, and never replaces a folder holding files it
/// did not write, whatever marker that folder carries.
@Suite struct OutputOwnershipTests {
    func stamp(_ path: String) -> stat {
        var info = stat()
        lstat(path, &info)
        return info
    }

    @Test func aPlantedHardLinkOrAChangedModeIsWrittenAnew() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        _ = try SiteBuilder(project: Project(root: root)).build()
        let public_ = root.appendingPathComponent("Public").path
        // index.html replaced by a hard link to a file outside the project, with the same bytes.
        let outside = dir.path("outside.html").path
        let page = public_ + "/index.html"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: page))
        try bytes.write(to: URL(fileURLWithPath: outside))
        unlink(page)
        #expect(link(outside, page) == 0)
        #expect(stamp(outside).st_nlink == 2)
        // The chart's CSV made private by hand.
        let csv = public_ + "/first-story/payments-by-department.csv"
        let csvInode = stamp(csv).st_ino
        #expect(chmod(csv, 0o600) == 0)
        // The data copy left alone: it is still linked.
        let data = public_ + "/data/spending.csv"
        let dataInode = stamp(data).st_ino

        _ = try SiteBuilder(project: Project(root: root), options: BuildOptions(force: true)).build()
        #expect(stamp(page).st_ino != stamp(outside).st_ino)
        #expect(stamp(page).st_nlink == 1)
        #expect(stamp(outside).st_nlink == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: outside)) == bytes)
        #expect(stamp(csv).st_mode & 0o7777 == 0o644)
        #expect(stamp(csv).st_ino != csvInode)
        #expect(stamp(data).st_ino == dataInode)
    }

    @Test func anEmptyMarkerDoesNotMakeAFolderTheBuildsToDelete() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let elsewhere = root.appendingPathComponent("Public")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try Data("my notes".utf8).write(to: elsewhere.appendingPathComponent("notes.txt"))
        try Data().write(to: elsewhere.appendingPathComponent(".dossier"))
        for command in [["build"], ["check"]] {
            let result = try Fixtures.run(command + ["--root", root.path], timeout: 120)
            #expect(result.status != 0)
            #expect(result.err.contains("Public/.dossier: error: the output folder's mark lists no files, so Dossier cannot tell its own files there from others'"), "\(result.err)")
        }
        #expect(try String(contentsOf: elsewhere.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes")
    }

    @Test func aFinishedBuildsMarkerListsEveryFileAndAnAddedOneIsRefused() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let report = try SiteBuilder(project: Project(root: root)).build()
        let public_ = root.appendingPathComponent("Public")
        let marker = try String(contentsOf: public_.appendingPathComponent(".dossier"), encoding: .utf8)
        let listed = try #require(OutputWriter.listed(inMarker: marker))
        var files: Set<String> = []
        let walker = try #require(FileManager.default.enumerator(atPath: public_.path))
        while let path = walker.nextObject() as? String {
            var info = stat()
            if lstat(public_.path + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, path != ".dossier" { files.insert(path) }
        }
        #expect(listed == files)
        #expect(listed.count + 1 == report.files)
        // A folder and a file of one's own, added by hand, are named, and stay.
        try FileManager.default.createDirectory(at: public_.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: public_.appendingPathComponent("mine/keep.txt"))
        try Data("x".utf8).write(to: public_.appendingPathComponent("CNAME"))
        let result = try Fixtures.run(["build", "--root", root.path], timeout: 120)
        #expect(result.status != 0)
        #expect(result.err.contains("did not write ("), "\(result.err)")
        #expect(result.err.contains("CNAME") && result.err.contains("mine/"), "\(result.err)")
        #expect(FileManager.default.fileExists(atPath: public_.appendingPathComponent("mine/keep.txt").path))
        // A marker of an older Dossier (no list) is trusted when the build record vouches for
        // the folder as it is.
        try FileManager.default.removeItem(at: public_.appendingPathComponent("mine"))
        try FileManager.default.removeItem(at: public_.appendingPathComponent("CNAME"))
        _ = try SiteBuilder(project: Project(root: root), options: BuildOptions(force: true)).build()
        try Data(OutputWriter.markerText.utf8).write(to: public_.appendingPathComponent(".dossier"))
        #expect(OutputWriter.foreignEntries(in: public_.path) != nil)
        let record = BuildRecord.url(Project(root: root))
        #expect(!BuildRecord.wrote(public_.path, project: Project(root: root)))
        // The record was written before the marker changed: it no longer vouches, so the build refuses.
        #expect(throws: BuildFailure.self) { _ = try SiteBuilder(project: Project(root: root), options: BuildOptions(force: true)).build() }
        try FileManager.default.removeItem(at: record)
        #expect(throws: BuildFailure.self) { _ = try SiteBuilder(project: Project(root: root), options: BuildOptions(force: true)).build() }
    }
}
