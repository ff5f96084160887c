import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a site's sources are and where its output goes.
public struct Project: Sendable {
    /// The folder holding `Content/`, `Data/` and `Templates/`.
    public var root: URL
    /// The folder the site is written to; `ROOT/Public` unless told otherwise.
    public var output: URL

    public init(root: URL, output: URL? = nil) {
        self.root = root.standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("Public")).standardizedFileURL
    }

    public var content: URL { root.appendingPathComponent("Content") }
    public var data: URL { dataOverride ?? root.appendingPathComponent("Data") }
    /// Reads datasets from another folder than `ROOT/Data` (used by tests).
    package var dataOverride: URL?
    public var templates: URL { root.appendingPathComponent("Templates") }

    /// A path relative to the root, for a path string already under it.
    package func relative(path: String) -> String {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// A path relative to the root, as printed in diagnostics.
    public func relative(_ url: URL) -> String {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

/// Reads the project's folders. One of the two places (with ``OutputWriter``) that touch the disk.
package enum SourceFiles {
    /// Every file under `folder` whose name ends in one of `extensions`, sorted by path.
    /// Names starting with `.` (editor swap files, `.git`) are skipped, and so are links that
    /// lead outside the project or back into a folder above them (``linkProblems(_:)``
    /// reports those).
    package static func list(in folder: URL, extensions: Set<String>) -> [URL] {
        walk(folder.standardizedFileURL.path, extensions: extensions).map { URL(fileURLWithPath: $0) }
    }

    /// The same as ``list(in:extensions:)`` as plain paths, read with `readdir`: a site of
    /// 10,000 articles is listed in a few milliseconds.
    package static func walk(_ folder: String, extensions: Set<String>) -> [String] {
        scan(folder, extensions: extensions).files
    }

    /// A link under a source folder that Dossier will not follow.
    package struct RefusedLink: Sendable {
        package var path: String
        package var target: String
        package var cycle: Bool
    }

    /// Every link under `Content/`, `Data/` and `Templates/` that leads outside the project or
    /// makes a cycle, as errors naming the link: such files are never read or published.
    package static func linkProblems(_ project: Project) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let root = realPath(project.root.path) ?? project.root.path
        for folder in [project.content, project.data, project.templates] {
            // The folder itself a link out of the project (`Data -> /mnt/elsewhere`): what is
            // published would not be what the repository holds.
            var info = stat()
            if lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                let target = realPath(folder.path)
                if target.map({ !($0 == root || $0.hasPrefix(root.hasSuffix("/") ? root : root + "/")) }) ?? true {
                    problems.append(
                        Diagnostic(
                            SourceLocation(path: project.relative(folder)),
                            "\(project.relative(folder))/ is a link out of the project (to \(target ?? "a place that does not exist")); it is not read",
                            hint: "copy the files into the project, or make \(project.relative(folder))/ a folder of its own",
                            code: .sourceLinkOutside))
                    continue
                }
            }
            for link in scan(folder.standardizedFileURL.path, extensions: nil).refused {
                let path = project.relative(path: link.path)
                problems.append(
                    link.cycle
                        ? Diagnostic(
                            SourceLocation(path: path), "link to \(link.target) makes a cycle; it is not followed",
                            hint: "remove the link", code: .sourceLinkCycle)
                        : Diagnostic(
                            SourceLocation(path: path),
                            "link points outside the project (to \(link.target)); it is not followed",
                            hint: "copy the file into the project instead of linking to it", code: .sourceLinkOutside))
            }
        }
        return problems
    }

    /// The real path of `path` (links resolved), or nil when it does not exist.
    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The name of a directory entry, read only up to its terminating zero inside the record
    /// (copying `d_name` as a 256-byte tuple reads past the end of short records).
    package static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return String(cString: UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self))
    }

    /// Walks `folder` (files with one of `extensions`, or every file when nil), following links
    /// only to places inside the project (the folder above `Content/`, `Data/` or `Templates/`)
    /// and never into a folder already being walked.
    package static func scan(_ folder: String, extensions: Set<String>?) -> (files: [String], refused: [RefusedLink]) {
        var files: [String] = []
        var refused: [RefusedLink] = []
        guard let realFolder = realPath(folder) else { return ([], []) }
        // The project root: the folder above the source folder (or above Templates/ for assets).
        var root = (folder as NSString).deletingLastPathComponent
        if (root as NSString).lastPathComponent == "Templates" { root = (root as NSString).deletingLastPathComponent }
        let realRoot = realPath(root) ?? root
        func inside(_ path: String, _ base: String) -> Bool {
            path == base || path.hasPrefix(base.hasSuffix("/") ? base : base + "/")
        }
        var visited: Set<String> = [realFolder]
        // Each folder to read, with the real path of the folders above it (for cycles).
        var stack: [(path: String, real: String)] = [(folder, realFolder)]
        while let (dir, realDir) = stack.popLast() {
            guard let handle = opendir(dir) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = SourceFiles.name(of: entry)
                if name.hasPrefix(".") { continue }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var type = entry.pointee.d_type
                var real = realDir + "/" + name
                if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                    var info = stat()
                    guard lstat(path, &info) == 0 else { continue }
                    if (info.st_mode & S_IFMT) == S_IFLNK {
                        guard let target = realPath(path) else { continue }
                        guard inside(target, realRoot) else {
                            refused.append(RefusedLink(path: path, target: target, cycle: false))
                            continue
                        }
                        if inside(realDir, target) {
                            refused.append(RefusedLink(path: path, target: target, cycle: true))
                            continue
                        }
                        guard stat(path, &info) == 0 else { continue }
                        real = target
                    }
                    type =
                        (info.st_mode & S_IFMT) == S_IFDIR
                        ? UInt8(DT_DIR) : ((info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0)
                }
                if type == UInt8(DT_DIR) {
                    if visited.insert(real).inserted { stack.append((path, real)) }
                } else if type == UInt8(DT_REG) {
                    if let extensions {
                        guard let dot = name.lastIndex(of: "."),
                            extensions.contains(name[name.index(after: dot)...].lowercased())
                        else { continue }
                    }
                    files.append(path)
                }
            }
        }
        return (files.sorted(), refused)
    }

    /// Reads a file as UTF-8, reporting the line and column of the first byte that is not.
    package static func readText(_ url: URL, relativePath: String) throws(Diagnostic) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Diagnostic(SourceLocation(path: relativePath), "cannot read file: \(error.localizedDescription)", code: .sourceRead)
        }
        return try decodeUTF8(data, path: relativePath)
    }

    package static func decodeUTF8(_ data: Data, path: String) throws(Diagnostic) -> String {
        if let text = String(validating: data, as: UTF8.self) {
            // A byte-order mark is not part of the text.
            return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        }
        // Find the first invalid sequence to report where it is.
        let bytes = [UInt8](data)
        var line = 1
        var column = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            let valid =
                length > 0 && i + length <= bytes.count
                && (1..<length).allSatisfy { bytes[i + $0] & 0xC0 == 0x80 }
                && String(validating: bytes[i..<i + length], as: UTF8.self) != nil
            if !valid {
                throw Diagnostic(
                    SourceLocation(path: path, line: line, column: column),
                    "file is not valid UTF-8 (byte 0x\(String(b, radix: 16, uppercase: true)))",
                    hint: "save the file as UTF-8", code: .sourceEncoding)
            }
            // A line ends at LF, CRLF or a bare CR (old Mac files).
            if b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if b == 0x0D {
                // The CR of a CRLF: the LF after it ends the line.
            } else {
                column += 1
            }
            i += length
        }
        throw Diagnostic(SourceLocation(path: path), "file is not valid UTF-8", code: .sourceEncoding)
    }
}
