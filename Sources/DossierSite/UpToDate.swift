import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the last successful `dossier build` read and wrote, kept in `ROOT/.dossier-cache/`, so
/// that a build whose sources, options and program are unchanged, into an output nobody has
/// touched since, leaves that output as it is instead of making the same bytes again (as make
/// and ninja do). Files are compared by their stamps: path, size, modification and change times
/// and inode, never by reading them, except the few saved within two seconds of the build's
/// start (a later save in the same clock tick, or on a disk that keeps times to two seconds,
/// would not change the stamp): those are compared by a checksum of their bytes.
///
/// The output is compared the same way, every file and folder under it, so that a page edited
/// or deleted by hand, or a `Public/` replaced, gives a full build.
struct BuildRecord {
    static let format = 1
    static let folder = ".dossier-cache"
    static let file = "last-build.json"
    /// How close to the build's start a file's time may be before its bytes are checked too.
    static let racyNanoseconds: Int64 = 2_000_000_000

    /// A digest of every input's stamp, the options and the program.
    var inputs: String
    /// Inputs saved near the build's start, by path, with a checksum of their bytes.
    var racy: [String: String]
    /// A digest of every file's and folder's stamp under the output.
    var output: String
    var pages: Int
    var datasets: Int
    var files: Int
    var bytes: Int
    var warnings: [Diagnostic]

    static func url(_ project: Project) -> URL {
        project.root.appendingPathComponent(folder).appendingPathComponent(file)
    }

    /// The stamps of the build's inputs, taken before anything is read.
    struct Inputs {
        var digest: String
        /// Paths (absolute) of inputs whose times are within two seconds of now.
        var racy: [String]
    }

    static func inputs(_ project: Project, options: BuildOptions) -> Inputs {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let limit = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - racyNanoseconds
        var text = "dossier-build \(format)\ndrafts \(options.includeDrafts)\noutput \(project.output.path)\n"
        // The program itself: another version of Dossier may write other bytes.
        if let program = Stamp.of("/proc/self/exe", follow: true) { text += "program \(program.line)\n" }
        var racy: [String] = []
        for folder in [project.content, project.data, project.templates] {
            text += "folder \(folder.path)\n"
            Stamp.walk(folder.standardizedFileURL.path, follow: true) { path, stamp in
                text += path + "\t" + stamp.line + "\n"
                if stamp.isFile && max(stamp.modified, stamp.changed) >= limit { racy.append(path) }
            }
        }
        return Inputs(digest: SHA256.hex(Data(text.utf8)), racy: racy)
    }

    /// A digest of the output's stamps, or nil when it is not a folder.
    static func output(_ path: String) -> String? {
        guard let top = Stamp.of(path, follow: false), top.isFolder else { return nil }
        // The same lines as the inputs' digest, written as bytes: a site of 100,000 pages has
        // 300,000 of them, and making each a string was most of recording the build.
        var text: [UInt8] = []
        text.reserveCapacity(1 << 20)
        text.append(contentsOf: "output ".utf8)
        top.appendLine(to: &text)
        text.append(0x0A)
        Stamp.lines(under: path, ancestors: [[top.device, top.inode]], into: &text)
        // A large site's lines (30 MB at 100,000 pages) are hashed in parts on all cores, and
        // the parts' digests hashed in order: a quarter of a second on one core otherwise.
        let part = 1 << 20
        guard text.count > 4 * part else { return SHA256.hex(Data(text)) }
        let parts = stride(from: 0, to: text.count, by: part).map { $0..<min($0 + part, text.count) }
        let whole = text
        let digests = parallelMap(parts) { range in
            whole.withUnsafeBytes { SHA256.digest(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        return SHA256.hex(Data("parts ".utf8) + Data(digests.joined()))
    }

    static func checksum(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return SHA256.hex(data)
    }

    /// The record of the last build when it holds for these inputs and this output.
    static func current(_ project: Project, inputs: Inputs, output: String) -> BuildRecord? {
        guard let data = try? Data(contentsOf: url(project)), let record = decode(data), record.inputs == inputs.digest,
            record.output == Self.output(output)
        else { return nil }
        for (path, sum) in record.racy where checksum(path) != sum { return nil }
        return record
    }

    /// Whether the project's last build record was written by the build that made `output`
    /// as it is now (a marker of an older version of Dossier lists no files: the record vouches
    /// for the folder instead).
    static func wrote(_ output: String, project: Project) -> Bool {
        guard let data = try? Data(contentsOf: url(project)), let record = decode(data) else { return false }
        return record.output == Self.output(output)
    }

    /// Remembers a finished build; a record that cannot be written only costs the next build
    /// its shortcut.
    /// `read` holds the checksums of inputs as the build read them (the datasets' files, by
    /// absolute path): a racy file among them is not read a second time, and its checksum is
    /// of the bytes the site was built from.
    static func save(_ project: Project, inputs: Inputs, output: String, report: BuildReport, read: [String: String] = [:]) {
        // An input changed while the build ran: its stamp was taken before, so the next
        // build sees the change; the other racy files are read now, after the build.
        guard let outputDigest = Self.output(output) else { return }
        var racy: [String: String] = [:]
        for path in inputs.racy {
            guard let sum = read[path] ?? checksum(path) else { return }
            racy[path] = sum
        }
        let record = BuildRecord(
            inputs: inputs.digest, racy: racy, output: outputDigest, pages: report.pages, datasets: report.datasets,
            files: report.files, bytes: report.bytes, warnings: report.warnings)
        let target = url(project)
        let folder = target.deletingLastPathComponent()
        // Only a real folder of our own: never through a link planted in a clone.
        var info = stat()
        if lstat(folder.path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { return }
        } else if mkdir(folder.path, 0o755) != 0 {
            return
        }
        let temporary = folder.appendingPathComponent(".\(file).\(ProcessInfo.processInfo.processIdentifier)")
        unlink(temporary.path)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let bytes = record.encoded()
        let complete = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) == $0.count }
        close(fd)
        if !complete || rename(temporary.path, target.path) != 0 { unlink(temporary.path) }
    }

    var report: BuildReport {
        BuildReport(
            pages: pages, datasets: datasets, files: files, bytes: bytes, steps: [], seconds: 0, warnings: warnings,
            upToDate: true)
    }

    func encoded() -> Data {
        let object: [String: Any] = [
            "format": Self.format, "inputs": inputs, "racy": racy, "output": output, "pages": pages,
            "datasets": datasets, "files": files, "bytes": bytes,
            "warnings": warnings.map { warning -> [String: Any] in
                var entry: [String: Any] = [
                    "path": warning.location.path, "message": warning.message, "severity": warning.severity.rawValue,
                    "code": warning.code.rawValue,
                ]
                if let line = warning.location.line { entry["line"] = line }
                if let column = warning.location.column { entry["column"] = column }
                if let hint = warning.hint { entry["hint"] = hint }
                return entry
            },
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    static func decode(_ data: Data) -> BuildRecord? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["format"] as? Int == format, let inputs = object["inputs"] as? String,
            let racy = object["racy"] as? [String: String], let output = object["output"] as? String,
            let pages = object["pages"] as? Int, let datasets = object["datasets"] as? Int,
            let files = object["files"] as? Int, let bytes = object["bytes"] as? Int,
            let entries = object["warnings"] as? [[String: Any]]
        else { return nil }
        var warnings: [Diagnostic] = []
        for entry in entries {
            guard let path = entry["path"] as? String, let message = entry["message"] as? String,
                let severity = (entry["severity"] as? String).flatMap(Diagnostic.Severity.init(rawValue:)),
                let code = entry["code"] as? String
            else { return nil }
            var warning = Diagnostic(
                SourceLocation(path: path, line: entry["line"] as? Int, column: entry["column"] as? Int), message,
                hint: entry["hint"] as? String, code: DiagnosticCode(code))
            warning.severity = severity
            warnings.append(warning)
        }
        return BuildRecord(
            inputs: inputs, racy: racy, output: output, pages: pages, datasets: datasets, files: files, bytes: bytes,
            warnings: warnings)
    }
}

/// What `stat` says of a file, as one line of a digest.
struct Stamp {
    var mode: UInt32
    var size: Int64
    var modified: Int64
    var changed: Int64
    var inode: UInt64
    var device: UInt64

    var isFolder: Bool { mode & S_IFMT == S_IFDIR }
    var isFile: Bool { mode & S_IFMT == S_IFREG }
    var line: String { "\(mode) \(size) \(modified) \(changed) \(inode) \(device)" }

    /// The lines of ``walk(_:follow:_:)`` without following links, `path TAB line` each,
    /// appended to `out` as bytes: a large folder's entries (a site's 100,000 supplier pages) are stamped on all
    /// cores, in parts whose lines are then joined in order. A folder that is one of its own
    /// ancestors (a bind mount) is listed but not entered.
    static func lines(under folder: String, ancestors: [[UInt64]], into out: inout [UInt8]) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        lines(in: fd, path: folder, ancestors: ancestors, into: &out)
    }

    /// ``lines(under:ancestors:into:)`` of the open folder `fd` at `path`, appended to `out`. Entries
    /// are stamped and folders opened by their names in their folder (`fstatat`, `openat`), not
    /// by whole paths, which the kernel would walk from the root for each of 300,000 entries.
    /// Each line is written once where it goes: a large folder's parts are written on all
    /// cores into buffers of their own, then appended in order.
    private static func lines(in fd: Int32, path folder: String, ancestors: [[UInt64]], into out: inout [UInt8]) {
        let names = sortedNames(in: fd)
        @Sendable func entry(_ name: String, into out: inout [UInt8]) {
            var info = stat()
            let stamp = fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? Stamp(info) : nil
            out.append(contentsOf: folder.utf8)
            out.append(0x2F)
            out.append(contentsOf: name.utf8)
            out.append(0x09)
            (stamp ?? Stamp(stat())).appendLine(to: &out)
            out.append(0x0A)
            if let stamp, stamp.isFolder, !ancestors.contains([stamp.device, stamp.inode]) {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 {
                    lines(in: child, path: folder + "/" + name, ancestors: ancestors + [[stamp.device, stamp.inode]], into: &out)
                    close(child)
                }
            }
        }
        guard names.count >= 512 else {
            for name in names { entry(name, into: &out) }
            return
        }
        let size = (names.count + 15) / 16
        let parts = stride(from: 0, to: names.count, by: size).map { names[$0..<min($0 + size, names.count)] }
        let written = parallelMap(parts) { part -> [UInt8] in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(part.count * 128)
            for name in part { entry(name, into: &bytes) }
            return bytes
        }
        out.reserveCapacity(out.count + written.reduce(0) { $0 + $1.count })
        for bytes in written { out.append(contentsOf: bytes) }
    }

    /// The names in the open folder `fd` but `.` and `..`, sorted; none when it cannot be read.
    static func sortedNames(in fd: Int32) -> [String] {
        let copy = dup(fd)
        guard copy >= 0 else { return [] }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return []
        }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        return names.sorted()
    }

    /// ``line`` appended as bytes.
    func appendLine(to out: inout [UInt8]) {
        Bytes.appendDecimal(UInt64(mode), to: &out)
        for value in [size, modified, changed] {
            out.append(0x20)
            Bytes.appendDecimal(Int(value), to: &out)
        }
        for value in [inode, device] {
            out.append(0x20)
            Bytes.appendDecimal(value, to: &out)
        }
    }

    init(_ info: stat) {
        mode = info.st_mode
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        inode = UInt64(info.st_ino)
        device = UInt64(info.st_dev)
    }

    static func of(_ path: String, follow: Bool) -> Stamp? {
        var info = stat()
        guard (follow ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return Stamp(info)
    }

    /// The names in a folder but `.` and `..`, sorted; none when it cannot be read.
    static func sortedNames(in folder: String) -> [String] {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        return sortedNames(in: fd)
    }

    /// Every entry under `folder`, sorted by name within each folder, depth first. With
    /// `follow`, links are followed (each folder once, so a cycle ends); without, a link is
    /// stamped as a link.
    static func walk(_ folder: String, follow: Bool, _ visit: (String, Stamp) -> Void) {
        var seen: Set<[UInt64]> = []
        func descend(_ folder: String) {
            for name in sortedNames(in: folder) {
                let path = folder + "/" + name
                guard let stamp = of(path, follow: follow) else {
                    visit(path, Stamp(stat()))
                    continue
                }
                visit(path, stamp)
                if stamp.isFolder, seen.insert([stamp.device, stamp.inode]).inserted { descend(path) }
            }
        }
        if let top = of(folder, follow: follow) { seen.insert([top.device, top.inode]) }
        descend(folder)
    }
}
