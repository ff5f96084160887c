import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
                throw Diagnostic(
                    SourceLocation(path: project.relative(project.output)), "the output path is a file, not a folder")
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
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains {
            $0 == ".." || $0 == "." || $0.isEmpty
        }
    }

    /// Writes `files` and swaps them in for the output folder. Returns the bytes written.
    static func write(_ files: [OutputFile], to output: URL) throws(Diagnostic) -> Int {
        if let unsafe = files.first(where: { !isSafe($0.path) }) {
            throw Diagnostic(
                SourceLocation(path: output.lastPathComponent),
                "refusing to write '\(unsafe.path)' outside the output folder")
        }
        let staging = try Staging(output: output)
        // On all cores; each file makes the folders it needs.
        for case .failure(let problem) in parallelMap(files, staging.attempt) {
            staging.abandon()
            throw problem
        }
        try staging.swapIn()
        return staging.bytes
    }

    /// A fresh folder next to the output that files are written into, from any thread, and
    /// that replaces the output only when the build succeeded (``swapIn()``); otherwise it is
    /// removed (``abandon()``) and the output stays as it was.
    final class Staging: @unchecked Sendable {
        let output: URL
        let path: String
        private let name: String
        private let old: String
        private var folders: Set<String> = [""]
        private var written = 0
        private let lock = NSLock()

        init(output: URL) throws(Diagnostic) {
            self.output = output
            let parent = output.deletingLastPathComponent()
            name = output.lastPathComponent
            let pid = ProcessInfo.processInfo.processIdentifier
            path = parent.appendingPathComponent(".dossier-build-\(name)-\(pid)").path
            old = parent.appendingPathComponent(".dossier-old-\(name)-\(pid)").path
            OutputWriter.removeTree(path)
            Staging.removeAbandoned(in: parent.path, name: name)
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
                throw Diagnostic(
                    SourceLocation(path: name), "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }

        /// Bytes written so far.
        var bytes: Int { lock.withLock { written } }

        private func fail(_ message: String) -> Diagnostic { Diagnostic(SourceLocation(path: name), message) }

        /// Creates the folders a file at `file` (a path under the output) needs.
        private func makeFolders(for file: String) throws(Diagnostic) {
            var missing: [String] = []
            var folder = (file as NSString).deletingLastPathComponent
            lock.lock()
            defer { lock.unlock() }
            while !folders.contains(folder) {
                missing.append(folder)
                folder = (folder as NSString).deletingLastPathComponent
            }
            for folder in missing.reversed() {
                guard mkdir(path + "/" + folder, 0o755) == 0 || errno == EEXIST else {
                    throw fail("cannot create \(folder): \(String(cString: strerror(errno)))")
                }
                folders.insert(folder)
            }
        }

        /// Writes one file (its folders are made if need be). Returns its size.
        @discardableResult
        func write(_ file: OutputFile) throws(Diagnostic) -> Int {
            guard OutputWriter.isSafe(file.path) else {
                throw fail("refusing to write '\(file.path)' outside the output folder")
            }
            try makeFolders(for: file.path)
            var data = file.bytes
            if let source = file.copyFrom {
                guard let copy = try? Data(contentsOf: source) else {
                    throw Diagnostic(SourceLocation(path: file.origin), "cannot read \(source.path) to copy it")
                }
                data = copy
            }
            // Readable by everyone: static hosts and link checkers often run as another user.
            let fd = open(path + "/" + file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw fail("cannot write \(file.path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            fchmod(fd, 0o644)
            let complete = data.withUnsafeBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n <= 0 { return false }
                    offset += n
                }
                return true
            }
            guard complete else { throw fail("cannot write \(file.path): \(String(cString: strerror(errno)))") }
            lock.withLock { written += data.count }
            return data.count
        }

        /// ``write(_:)`` with its outcome as a value, for `parallelMap`.
        @Sendable func attempt(_ file: OutputFile) -> Result<Int, Diagnostic> {
            do throws(Diagnostic) { return .success(try write(file)) } catch { return .failure(error) }
        }

        /// Marks the folder as Dossier's and puts it in place of the output.
        func swapIn() throws(Diagnostic) {
            do throws(Diagnostic) {
                try write(OutputFile(path: OutputWriter.marker, text: OutputWriter.markerText))
            } catch {
                abandon()
                throw error
            }
            if FileManager.default.fileExists(atPath: output.path) {
                guard rename(output.path, old) == 0 else {
                    let reason = String(cString: strerror(errno))
                    abandon()
                    throw fail("cannot replace \(name): \(reason)")
                }
                guard rename(path, output.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    _ = rename(old, output.path)
                    abandon()
                    throw fail("cannot replace \(name): \(reason)")
                }
                OutputWriter.removeTree(old)
            } else {
                guard rename(path, output.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    abandon()
                    throw fail("cannot create \(name): \(reason)")
                }
            }
        }

        /// Removes everything written: the output stays as it was.
        func abandon() { OutputWriter.removeTree(path) }

        /// Removes the staging folders of builds that were stopped before they could clean up
        /// (an interrupted `dossier build` of a large site): those whose process is gone.
        static func removeAbandoned(in parent: String, name: String) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            for entry in entries {
                for prefix in [".dossier-build-\(name)-", ".dossier-old-\(name)-"] where entry.hasPrefix(prefix) {
                    guard let pid = Int32(entry.dropFirst(prefix.count)), pid > 0 else { continue }
                    if kill(pid, 0) != 0 && errno == ESRCH { OutputWriter.removeTree(parent + "/" + entry) }
                }
            }
        }
    }

    /// Deletes a folder and everything in it, without following links out of it.
    static func removeTree(_ path: String) {
        guard let dir = opendir(path) else {
            unlink(path)
            return
        }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            if entry.pointee.d_type == UInt8(DT_DIR) { removeTree(child) } else { unlink(child) }
        }
        closedir(dir)
        rmdir(path)
    }

}
