import Foundation

/// A file the build writes, by its path under the output folder.
public struct OutputFile: Sendable {
    public var path: String
    public var bytes: Data
    /// A file copied as it is instead of `bytes`, so a large dataset is not held in memory.
    public var copyFrom: URL?
    /// What made the file (`Content/budget.md`, `Templates/assets/style.css`), for the error
    /// when two things would write one path.
    public var origin: String

    public init(path: String, bytes: Data, origin: String = "") {
        self.path = path
        self.bytes = bytes
        self.origin = origin
    }

    public init(path: String, text: String, origin: String = "") {
        self.init(path: path, bytes: Data(text.utf8), origin: origin)
    }

    public init(path: String, copying source: URL, origin: String) {
        self.init(path: path, bytes: Data(), origin: origin)
        self.copyFrom = source
    }

    var isHTML: Bool { path.hasSuffix(".html") }
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Writes the site into a fresh folder next to the output and swaps it in only when every file
/// was written, so a failed build leaves the previous output exactly as it was.
enum OutputWriter {
    /// A file at the top of every output folder Dossier writes. Dossier refuses to replace a
    /// non-empty folder without it, so that pointing `--output` at the wrong folder loses nothing.
    static let marker = ".dossier"
    static let markerText = "This folder is written by `dossier build` and replaced on every build.\n"

    /// Checks that writing to `output` cannot touch the project's sources.
    static func validate(_ project: Project) throws(Diagnostic) {
        let output = project.output.path
        let root = project.root.path
        func inside(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        for source in [project.content.path, project.data.path, project.templates.path] {
            if inside(output, source) || inside(source, output) {
                throw Diagnostic(
                    SourceLocation(path: project.relative(project.output)),
                    "the output folder overlaps the sources at \(project.relative(URL(fileURLWithPath: source)))",
                    hint: "write the site to Public/ or another folder of its own")
            }
        }
        if inside(root, output) {
            throw Diagnostic(
                SourceLocation(path: output), "the output folder contains the project itself",
                hint: "write the site to Public/ or another folder of its own")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw Diagnostic(SourceLocation(path: project.relative(project.output)), "the output path is a file, not a folder")
            }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
            if !contents.isEmpty && !contents.contains(marker) {
                throw Diagnostic(
                    SourceLocation(path: project.relative(project.output)),
                    "the output folder has files that Dossier did not write; refusing to replace it",
                    hint: "empty it or choose another --output; Dossier marks its own output with a .dossier file")
            }
        }
    }

    /// Checks that a page path stays inside the output folder.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Writes `files` and swaps them in for the output folder. Returns the bytes written.
    static func write(_ files: [OutputFile], to output: URL) throws(Diagnostic) -> Int {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".dossier-build-\(name)-\(pid)")
        let old = parent.appendingPathComponent(".dossier-old-\(name)-\(pid)")
        func fail(_ message: String) -> Diagnostic {
            try? fm.removeItem(at: staging)
            return Diagnostic(SourceLocation(path: name), message)
        }
        try? fm.removeItem(at: staging)
        var bytes = 0
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            var made: Set<String> = [""]
            for file in files + [OutputFile(path: marker, text: markerText)] {
                guard isSafe(file.path) else { throw fail("refusing to write '\(file.path)' outside the output folder") }
                let folder = (file.path as NSString).deletingLastPathComponent
                if !made.contains(folder) {
                    try fm.createDirectory(
                        at: staging.appendingPathComponent(folder), withIntermediateDirectories: true,
                        attributes: [.posixPermissions: 0o755])
                    made.insert(folder)
                }
                let target = staging.appendingPathComponent(file.path)
                if let source = file.copyFrom {
                    try fm.copyItem(at: source, to: target)
                    bytes += (try fm.attributesOfItem(atPath: target.path)[.size] as? Int) ?? 0
                } else {
                    try file.bytes.write(to: target)
                    bytes += file.bytes.count
                }
                // Readable by everyone: static hosts and link checkers often run as another user.
                try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target.path)
            }
        } catch let error as Diagnostic {
            throw error
        } catch {
            throw fail("cannot write the site: \(error.localizedDescription)")
        }
        do {
            if fm.fileExists(atPath: output.path) {
                try fm.moveItem(at: output, to: old)
                do {
                    try fm.moveItem(at: staging, to: output)
                } catch {
                    try? fm.moveItem(at: old, to: output)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: output)
            }
        } catch {
            throw fail("cannot replace \(name): \(error.localizedDescription)")
        }
        return bytes
    }
}
