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
    var dataOverride: URL?
    public var templates: URL { root.appendingPathComponent("Templates") }

    /// A path relative to the root, for a path string already under it.
    func relative(path: String) -> String {
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
enum SourceFiles {
    /// Every file under `folder` whose name ends in one of `extensions`, sorted by path.
    /// Names starting with `.` (editor swap files, `.git`) are skipped.
    static func list(in folder: URL, extensions: Set<String>) -> [URL] {
        walk(folder.standardizedFileURL.path, extensions: extensions).map { URL(fileURLWithPath: $0) }
    }

    /// The same as ``list(in:extensions:)`` as plain paths, read with `readdir`: a site of
    /// 10,000 articles is listed in a few milliseconds.
    static func walk(_ folder: String, extensions: Set<String>) -> [String] {
        var files: [String] = []
        var stack = [folder]
        while let dir = stack.popLast() {
            guard let handle = opendir(dir) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name.hasPrefix(".") { continue }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                    var info = stat()
                    guard stat(path, &info) == 0 else { continue }
                    type =
                        (info.st_mode & S_IFMT) == S_IFDIR
                        ? UInt8(DT_DIR) : ((info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0)
                }
                if type == UInt8(DT_DIR) {
                    stack.append(path)
                } else if type == UInt8(DT_REG), let dot = name.lastIndex(of: "."),
                    extensions.contains(name[name.index(after: dot)...].lowercased())
                {
                    files.append(path)
                }
            }
        }
        return files.sorted()
    }

    /// Reads a file as UTF-8, reporting the line and column of the first byte that is not.
    static func readText(_ url: URL, relativePath: String) throws(Diagnostic) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Diagnostic(SourceLocation(path: relativePath), "cannot read file: \(error.localizedDescription)")
        }
        return try decodeUTF8(data, path: relativePath)
    }

    static func decodeUTF8(_ data: Data, path: String) throws(Diagnostic) -> String {
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
                    hint: "save the file as UTF-8")
            }
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += length
        }
        throw Diagnostic(SourceLocation(path: path), "file is not valid UTF-8")
    }
}
