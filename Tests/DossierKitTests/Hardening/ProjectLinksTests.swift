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

/// Nothing is read or written through a link out of the project: `Data/` itself, and the
/// folders and files `init` and `new dataset` write.
@Suite struct ProjectLinksTests {
    @Test func aDataFolderThatIsALinkOutOfTheProjectIsRefused() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let outside = dir.path("elsewhere")
        try FileManager.default.moveItem(at: root.appendingPathComponent("Data"), to: outside)
        #expect(symlink(outside.path, root.appendingPathComponent("Data").path) == 0)
        for command in [["build"], ["check"]] {
            let result = try Fixtures.run(command + ["--root", root.path], timeout: 120)
            #expect(result.status != 0)
            #expect(result.err.contains("Data: error: Data/ is a link out of the project (to \(outside.path)); it is not read"), "\(result.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Public").path))
    }

    @Test func initWritesNothingThroughALink() throws {
        let dir = try TemporaryDirectory()
        let outside = dir.path("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        // Templates/ a link out of the project.
        let root = dir.path("p")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        #expect(symlink(outside.path, root.appendingPathComponent("Templates").path) == 0)
        let result = try Fixtures.run(["init", root.path], timeout: 60)
        #expect(result.status != 0)
        #expect(result.err.contains("Templates is a link (to \(outside.path)); nothing is written through it"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        #expect(!result.err.contains("NSCocoaErrorDomain"))
        // A dangling link where site.yml goes: never replaced, never followed.
        let second = dir.path("q")
        try FileManager.default.createDirectory(at: second.appendingPathComponent("Content"), withIntermediateDirectories: true)
        let target = outside.appendingPathComponent("site.yml")
        #expect(symlink(target.path, second.appendingPathComponent("Content/site.yml").path) == 0)
        let dangling = try Fixtures.run(["init", second.path], timeout: 60)
        #expect(dangling.status != 0)
        #expect(dangling.err.contains("Content/site.yml already exists; nothing was written"), "\(dangling.err)")
        #expect(!FileManager.default.fileExists(atPath: target.path))
        var info = stat()
        #expect(lstat(second.appendingPathComponent("Content/site.yml").path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
    }

    @Test func newDatasetSaysWhatIsWrongInWords() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let folder = dir.path("payments")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (from, words) in [
            (folder.path, "is a folder: give one CSV file"), (dir.path("missing.csv").path, "No such file or directory"),
        ] {
            let result = try Fixtures.run(["new", "dataset", "payments", "--from", from, "--root", root.path], timeout: 60)
            #expect(result.status != 0)
            #expect(result.err.contains(words), "\(result.err)")
            #expect(!result.err.contains("NSCocoaErrorDomain") && !result.err.contains("Error Domain"), "\(result.err)")
        }
    }
}
