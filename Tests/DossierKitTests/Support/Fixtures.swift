import Foundation

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

/// The fixture sites under `Tests/DossierKitTests/Fixtures/`.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let validSite = folder.appendingPathComponent("valid-site")
    static let expectedOutput = folder.appendingPathComponent("valid-site-expected")
    static let invalidCases = folder.appendingPathComponent("invalid")

    /// The repository's own sample site.
    static let sampleSite = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The names of the invalid cases, sorted.
    static func invalidCaseNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: invalidCases.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Copies the sources of a site (Content, Data, Templates) into `destination`.
    static func copySite(_ site: URL, to destination: URL) throws {
        let fm = FileManager.default
        for folder in ["Content", "Data", "Templates"] {
            let source = site.appendingPathComponent(folder)
            guard fm.fileExists(atPath: source.path) else { continue }
            let target = destination.appendingPathComponent(folder)
            try? fm.removeItem(at: target)
            try fm.copyItem(at: source, to: target)
        }
    }

    /// Copies every file of `overlay` over `destination`, keeping the folder structure. A file
    /// named `DELETE` lists paths to remove first.
    static func apply(overlay: URL, to destination: URL) throws {
        let fm = FileManager.default
        let deletions = overlay.appendingPathComponent("DELETE")
        if let text = try? String(contentsOf: deletions, encoding: .utf8) {
            for line in text.split(separator: "\n") where !line.isEmpty {
                try fm.removeItem(at: destination.appendingPathComponent(String(line)))
            }
        }
        for (relative, data) in try readTree(overlay) where relative != "DELETE" && relative != "expected.txt" {
            let target = destination.appendingPathComponent(relative)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
        }
    }

    /// Every file under `folder` (including hidden ones), by relative path.
    static func readTree(_ folder: URL) throws -> [(String, Data)] {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        let base = folder.standardizedFileURL.path + "/"
        var files: [(String, Data)] = []
        for case let url as URL in enumerator {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            files.append((String(path.dropFirst(base.count)), try Data(contentsOf: url)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The path of the built `dossier` executable, next to the test bundle.
    static var executable: URL {
        let bundleFolder = Bundle.main.bundleURL
        let candidates = [
            bundleFolder.appendingPathComponent("dossier"),
            bundleFolder.deletingLastPathComponent().appendingPathComponent("dossier"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "dossier"),
            sampleSite.appendingPathComponent(".build/debug/dossier"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// Runs the `dossier` executable with `arguments` (standard input empty) and returns its exit
    /// status and what it printed. A run past `timeout` seconds is killed and reported as 124.
    static func run(_ arguments: [String], timeout: Double = 120) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = LockedData()
        let errData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2000) }
        var timedOut = false
        if process.isRunning {
            timedOut = true
            process.terminate()
        }
        process.waitUntilExit()
        group.wait()
        return (
            timedOut ? 124 : process.terminationStatus, String(decoding: outData.get(), as: UTF8.self),
            String(decoding: errData.get(), as: UTF8.self)
        )
    }
}

/// Bytes one thread writes and another reads.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ new: Data) { lock.withLock { data = new } }
    func get() -> Data { lock.withLock { data } }
}
