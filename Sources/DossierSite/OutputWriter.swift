import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes the site into a fresh folder next to the output and swaps it in only when every file
/// was written, so a failed build leaves the previous output exactly as it was.
public enum OutputWriter {
    /// A file at the top of every output folder Dossier writes. Dossier refuses to replace a
    /// non-empty folder without it, so that pointing `--output` at the wrong folder loses nothing.
    static let marker = ".dossier"
    static let markerText = "This folder is written by `dossier build` and replaced on every build.\n"
    /// The line after which a finished build's marker lists every file it wrote.
    static let manifestLine = "Its files, all written by that build (a build refuses to replace this folder while it holds others):\n"

    /// The marker of a finished build: the files it wrote, sorted, one a line.
    static func manifest(_ paths: [String]) -> String {
        markerText + manifestLine + paths.filter { $0 != marker }.sorted().map { $0 + "\n" }.joined()
    }

    /// The paths a marker lists, or nil when it lists none (an empty marker, or one of a build
    /// that did not finish).
    static func listed(inMarker text: String) -> Set<String>? {
        guard text.hasPrefix(markerText + manifestLine) else { return nil }
        let rest = text.dropFirst(markerText.count + manifestLine.count)
        return Set(rest.split(separator: "\n").map(String.init))
    }

    /// What under `folder` (a previous output with a marker) its marker does not list: the
    /// files and folders Dossier did not write, at most `limit` of them; nil when all are listed,
    /// and none when the marker lists no files at all (an empty one, or an older Dossier's).
    static func foreignEntries(in folder: String, limit: Int = 3) -> [String]? {
        guard let text = try? String(contentsOfFile: folder + "/" + marker, encoding: .utf8),
            let listed = listed(inMarker: text)
        else { return [] }
        let folders = Set(firstNeedingFolders(Array(listed)).keys)
        var foreign: [String] = []
        func walk(_ fd: Int32, _ prefix: String, depth: Int) {
            guard depth < 512, foreign.count < limit else { return }
            let copy = dup(fd)
            guard copy >= 0, let dir = fdopendir(copy) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir), foreign.count < limit {
                let name = SourceFiles.name(of: entry)
                if name == "." || name == ".." || (prefix.isEmpty && name == marker) { continue }
                let path = prefix.isEmpty ? name : prefix + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                    type = info.st_mode & S_IFMT == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
                }
                if type == UInt8(DT_DIR) {
                    guard folders.contains(path) else {
                        foreign.append(path + "/")
                        continue
                    }
                    let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    guard child >= 0 else { continue }
                    walk(child, path, depth: depth + 1)
                    close(child)
                } else if !listed.contains(path) {
                    // A listed path that someone made a link is written anew, never followed.
                    foreign.append(path)
                }
            }
        }
        let top = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard top >= 0 else { return nil }
        walk(top, "", depth: 0)
        close(top)
        return foreign.isEmpty ? nil : foreign
    }

    /// The folder the site is written to: the output path itself, or, when it is a link (a
    /// `Public` that points into a web server's folder), the folder the link points to, which
    /// is then replaced inside its own parent while the link stays as it is.
    static func resolve(_ project: Project) throws(Diagnostic) -> URL {
        let output = project.output.path
        var info = stat()
        guard lstat(output, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return project.output }
        guard let target = SourceFiles.realPath(output) else {
            throw Diagnostic(
                SourceLocation(path: project.relative(project.output)),
                "the output is a link to a folder that does not exist",
                hint: "create the folder it points to, or remove the link", code: .outputDanglingLink)
        }
        return URL(fileURLWithPath: target)
    }

    /// Checks that writing to `output` (as given by ``resolve(_:)``) cannot touch the
    /// project's sources or a folder Dossier did not write.
    static func validate(_ project: Project, output outputURL: URL) throws(Diagnostic) {
        let output = SourceFiles.realPath(outputURL.path) ?? outputURL.path
        let root = SourceFiles.realPath(project.root.path) ?? project.root.path
        let shown = project.relative(project.output)
        func inside(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        for source in [project.content, project.data, project.templates] {
            let real = SourceFiles.realPath(source.path) ?? source.path
            if inside(output, real) || inside(real, output) {
                throw Diagnostic(
                    SourceLocation(path: shown),
                    "the output folder overlaps the sources at \(project.relative(source))",
                    hint: "write the site to Public/ or another folder of its own", code: .outputOverlap)
            }
        }
        if inside(root, output) {
            throw Diagnostic(
                SourceLocation(path: output), "the output folder contains the project itself",
                hint: "write the site to Public/ or another folder of its own", code: .outputOverlap)
        }
        var info = stat()
        if lstat(output, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw Diagnostic(SourceLocation(path: shown), "the output path is a file, not a folder", code: .outputForeign)
            }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
            if !contents.isEmpty && !contents.contains(marker) {
                throw Diagnostic(
                    SourceLocation(path: shown),
                    "the output folder has files that Dossier did not write; refusing to replace it",
                    hint: "empty it or choose another --output; Dossier marks its own output with a .dossier file", code: .outputForeign)
            }
            // A marker is not enough: it must list every file there (a marker copied or planted
            // into a folder of other files would otherwise let the build delete them).
            if contents.contains(marker), contents.count > 1, let foreign = foreignEntries(in: output),
                !BuildRecord.wrote(output, project: project)
            {
                guard !foreign.isEmpty else {
                    throw Diagnostic(
                        SourceLocation(path: shown + "/" + marker),
                        "the output folder's mark lists no files, so Dossier cannot tell its own files there from others'; refusing to replace it",
                        hint: "if every file there is Dossier's (a build of an older version), delete the folder: the build writes it anew",
                        code: .outputForeign)
                }
                throw Diagnostic(
                    SourceLocation(path: shown),
                    "the output folder holds what the last build did not write (\(foreign.joined(separator: ", "))); refusing to replace it",
                    hint: "move those files into Content/ or Data/ (or delete the folder: Dossier writes it anew)", code: .outputForeign)
            }
        }
    }

    /// The staging folders of builds still running in this process, removed on SIGINT/SIGTERM.
    nonisolated(unsafe) private static var active: Set<String> = []
    private static let activeLock = NSLock()

    /// Removes the staging folders of the builds running in this process: called when the
    /// process is interrupted, so that no half-written folder is left behind.
    /// Writing stops first (``Staging/write(_:)`` refuses), and the removal is repeated in case
    /// a file was being created while the folder was walked.
    public static func removeActiveStaging() {
        let paths = activeLock.withLock {
            stopping = true
            return active
        }
        for _ in 0..<3 {
            for path in paths { removeTree(path) }
            if paths.allSatisfy({ access($0, F_OK) != 0 }) { return }
            usleep(10_000)
        }
    }

    /// Set once the process is being stopped: no more files are written.
    nonisolated(unsafe) private static var stopping = false

    /// Whether ``removeActiveStaging()`` has been called: the process is about to exit.
    public static var isStopping: Bool { activeLock.withLock { stopping } }

    /// The output folder as ``resolve(_:)`` finds it, once ``validate(_:output:)`` passed: what
    /// `build` writes to and `check` checks.
    static func checkedOutput(_ project: Project) throws(Diagnostic) -> URL {
        let output = try resolve(project)
        try validate(project, output: output)
        return output
    }

    /// Each folder that the files at `paths` need, with the index of the first path needing it:
    /// a file at one of these paths would stand where a folder must be.
    static func firstNeedingFolders(_ paths: [String]) -> [String: Int] {
        var folders: [String: Int] = [:]
        for (index, path) in paths.enumerated() {
            var folder = parent(of: path)
            while !folder.isEmpty, folders[folder] == nil {
                folders[folder] = index
                folder = parent(of: folder)
            }
        }
        return folders
    }

    /// The folder a path under the output is in (`""` for the top).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// Checks that a page path stays inside the output folder.
    static func isSafe(_ path: String) -> Bool {
        // One pass over the bytes (every file of every build comes here): no backslash, and no
        // component that is empty, "." or "..".
        var path = path
        return path.withUTF8 { bytes in
            guard !bytes.isEmpty else { return false }
            var start = 0
            for i in 0...bytes.count {
                if i < bytes.count, bytes[i] == 0x5C { return false }
                guard i == bytes.count || bytes[i] == 0x2F else { continue }
                let length = i - start
                if length == 0 { return false }
                if bytes[start] == 0x2E, length == 1 || (length == 2 && bytes[start + 1] == 0x2E) { return false }
                start = i + 1
            }
            return true
        }
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
        private var reused = 0
        /// Every file written or linked, for the marker.
        private var writtenPaths: [String] = []
        private let lock = NSLock()
        /// The previous output's real path, when there is one: a file whose bytes did not
        /// change is linked from it instead of written again (creating files is most of the cost
        /// of writing a large site on ext4).
        private let previous: String?

        init(output: URL) throws(Diagnostic) {
            self.output = output
            let parent = output.deletingLastPathComponent()
            name = output.lastPathComponent
            let pid = ProcessInfo.processInfo.processIdentifier
            let modesKept = Staging.umaskKeepsModes()
            self.modesKept = modesKept
            try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            Staging.removeAbandoned(in: parent.path, name: name)
            // A fresh name: whatever already has one of these names (a link planted in a clone,
            // a folder of another build) is never touched.
            var staging: String?
            for attempt in 0..<1000 {
                let candidate =
                    parent.appendingPathComponent(".dossier-build-\(name)-\(pid)" + (attempt == 0 ? "" : "-\(attempt)"))
                    .path
                // Known before it exists, so that an interruption right now removes it too.
                OutputWriter.activeLock.withLock { _ = OutputWriter.active.insert(candidate) }
                if mkdir(candidate, 0o755) == 0 {
                    if !modesKept { chmod(candidate, 0o755) }
                    staging = candidate
                    break
                }
                OutputWriter.activeLock.withLock { _ = OutputWriter.active.remove(candidate) }
                guard errno == EEXIST else {
                    throw Diagnostic(
                        SourceLocation(path: name), "cannot create \(candidate): \(String(cString: strerror(errno)))", code: .outputWrite)
                }
            }
            guard let staging else {
                throw Diagnostic(SourceLocation(path: name), "cannot find a free name for the staging folder", code: .outputWrite)
            }
            path = staging
            var outputInfo = stat()
            if lstat(output.path, &outputInfo) == 0, outputInfo.st_mode & S_IFMT == S_IFDIR || outputInfo.st_mode & S_IFMT == S_IFLNK,
                let real = realpath(output.path, nil)
            {
                previous = String(cString: real)
                free(real)
            } else {
                previous = nil
            }
            var old = parent.appendingPathComponent(".dossier-old-\(name)-\(pid)").path
            var info = stat()
            var attempt = 0
            while lstat(old, &info) == 0 {
                attempt += 1
                old = parent.appendingPathComponent(".dossier-old-\(name)-\(pid)-\(attempt)").path
            }
            self.old = old
            // The marker goes in first: it is what tells a later build that an abandoned folder
            // of this name is Dossier's own and may be removed.
            do throws(Diagnostic) {
                try write(OutputFile(path: OutputWriter.marker, text: OutputWriter.markerText))
            } catch {
                abandon()
                throw error
            }
        }

        /// Whether the process's umask leaves `0o755` (folders) and `0o644` (files) as they are,
        /// so that nothing created needs a `chmod` (200,000 system calls on a large site). Read
        /// from `/proc/self/status` when the build starts, since `umask(2)` can only be read by
        /// changing it; where it cannot be read, every file and folder is set explicitly.
        static func umaskKeepsModes() -> Bool {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
                let mask = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8)
            else { return false }
            return mask & 0o755 == 0
        }
        private let modesKept: Bool

        /// Bytes written so far.
        var bytes: Int { lock.withLock { written } }
        /// Files linked from the previous output because their bytes were the same.
        var reusedFiles: Int { lock.withLock { reused } }

        /// Links the previous output's file at `relative` into the staging folder if it is a
        /// regular file inside that output (no link leads out of it) holding exactly `data`.
        private func linkUnchanged(_ relative: String, _ data: Data) -> Bool {
            linkUnchanged(relative, size: data.count) { old in
                data.withUnsafeBytes { buffer in
                    Staging.readsAs(old, count: buffer.count) { chunk, offset in
                        memcmp(buffer.baseAddress! + offset, chunk.baseAddress!, chunk.count) == 0
                    }
                }
            }
        }

        /// The same for a file copied from `source` (open, of `size` bytes): both are read.
        private func linkUnchanged(_ relative: String, copying source: Int32, size: Int) -> Bool {
            linkUnchanged(relative, size: size) { old in
                var sourceChunk = [UInt8](repeating: 0, count: 65_536)
                return Staging.readsAs(old, count: size) { chunk, offset in
                    let n = sourceChunk.withUnsafeMutableBytes { pread(source, $0.baseAddress!, chunk.count, off_t(offset)) }
                    return n == chunk.count && memcmp(sourceChunk, chunk.baseAddress!, n) == 0
                }
            }
        }

        /// Links the previous output's file at `relative` if it is a regular file of `size`
        /// bytes inside that output and `same` says its bytes (read from the open file) are.
        private func linkUnchanged(_ relative: String, size: Int, same: (Int32) -> Bool) -> Bool {
            guard let previous, relative != OutputWriter.marker else { return false }
            let old = previous + "/" + relative
            var info = stat()
            // Only a file as this build writes them: regular, 0644, ours, and with no other name
            // (a hard link planted to a file outside the project shares its inode; a file whose
            // mode someone changed is not as the build wrote it). Anything else is written anew.
            guard lstat(old, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == size,
                info.st_nlink == 1, info.st_mode & 0o7777 == 0o644, info.st_uid == geteuid(),
                let real = realpath(old, nil)
            else { return false }
            let resolved = String(cString: real)
            free(real)
            // No link anywhere on the way: the file is where its path says, inside the output.
            guard resolved == old else { return false }
            let fd = open(old, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            guard same(fd) else { return false }
            return link(old, path + "/" + relative) == 0
        }

        /// Reads `count` bytes of `fd` in chunks, each with its offset, while `matches` holds;
        /// whether it held for all of them.
        private static func readsAs(_ fd: Int32, count: Int, _ matches: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            var offset = 0
            while offset < count {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, min(65_536, count - offset)) }
                if n <= 0 { return false }
                let same = chunk.withUnsafeBufferPointer { matches(UnsafeBufferPointer(rebasing: $0[0..<n]), offset) }
                if !same { return false }
                offset += n
            }
            return true
        }

        /// Copies the open file `source` into the open file `fd` whole, in the kernel where it
        /// can (`sendfile`): a dataset of 150 MB is neither read into memory nor copied through
        /// it. Returns the bytes copied, or nil when reading or writing failed.
        private static func copy(_ source: Int32, to fd: Int32) -> Int? {
            var total = 0
            while true {
                let n = sendfile(fd, source, nil, 1 << 30)
                if n > 0 {
                    total += n
                    continue
                }
                if n == 0 { return total }
                // Where the kernel cannot (EINVAL, ENOSYS), read and write what is left.
                guard errno == EINVAL || errno == ENOSYS else { return nil }
                break
            }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(source, $0.baseAddress!, $0.count) }
                if n == 0 { return total }
                guard n > 0 else { return nil }
                let complete = buffer.withUnsafeBytes { bytes -> Bool in
                    var offset = 0
                    while offset < n {
                        let w = Glibc.write(fd, bytes.baseAddress! + offset, n - offset)
                        if w <= 0 { return false }
                        offset += w
                    }
                    return true
                }
                guard complete else { return nil }
                total += n
            }
        }

        private func fail(_ message: String) -> Diagnostic { Diagnostic(SourceLocation(path: name), message, code: .outputWrite) }

        /// Creates the folders a file at `file` (a path under the output) needs.
        private func makeFolders(for file: String) throws(Diagnostic) {
            var missing: [String] = []
            var folder = OutputWriter.parent(of: file)
            lock.lock()
            while !folders.contains(folder) {
                missing.append(folder)
                folder = OutputWriter.parent(of: folder)
            }
            lock.unlock()
            guard !missing.isEmpty else { return }
            // Made without holding the lock: on ext4 a `mkdir` can wait for the disk (it reads
            // inode bitmaps and tables as it allocates), and the other threads go on writing
            // meanwhile. Two threads that need the same folder both make it, outermost first;
            // the second finds it there (EEXIST), and either way it exists before any file in it.
            for folder in missing.reversed() {
                // Readable by everyone, as the files are, whatever the umask.
                if mkdir(path + "/" + folder, 0o755) == 0 {
                    if !modesKept { chmod(path + "/" + folder, 0o755) }
                } else if errno != EEXIST {
                    throw fail("cannot create \(folder): \(String(cString: strerror(errno)))")
                }
            }
            lock.withLock { folders.formUnion(missing) }
        }

        /// Writes one file (its folders are made if need be). Returns its size.
        @discardableResult
        func write(_ file: OutputFile) throws(Diagnostic) -> Int {
            guard OutputWriter.isSafe(file.path) else {
                throw fail("refusing to write '\(file.path)' outside the output folder")
            }
            guard !OutputWriter.activeLock.withLock({ OutputWriter.stopping }) else {
                throw fail("the build was interrupted")
            }
            try makeFolders(for: file.path)
            if let source = file.copyFrom { return try write(file, copying: source) }
            let data = file.bytes
            if linkUnchanged(file.path, data) {
                lock.withLock {
                    written += data.count
                    reused += 1
                    writtenPaths.append(file.path)
                }
                return data.count
            }
            // Readable by everyone: static hosts and link checkers often run as another user.
            let fd = open(path + "/" + file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw fail("cannot write \(file.path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            if !modesKept { fchmod(fd, 0o644) }
            let complete = data.withUnsafeBytes { writeAll(fd, $0) }
            guard complete else { throw fail("cannot write \(file.path): \(String(cString: strerror(errno)))") }
            lock.withLock {
                written += data.count
                writtenPaths.append(file.path)
            }
            return data.count
        }

        /// Writes a file copied from `source` (its folders are made): linked from the previous
        /// output when its bytes are the same, else copied. Returns its size.
        private func write(_ file: OutputFile, copying source: URL) throws(Diagnostic) -> Int {
            let cannotRead = Diagnostic(SourceLocation(path: file.origin), "cannot read \(source.path) to copy it", code: .outputWrite)
            let input = open(source.path, O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw cannotRead }
            defer { close(input) }
            var info = stat()
            guard fstat(input, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw cannotRead }
            if linkUnchanged(file.path, copying: input, size: Int(info.st_size)) {
                lock.withLock {
                    written += Int(info.st_size)
                    reused += 1
                    writtenPaths.append(file.path)
                }
                return Int(info.st_size)
            }
            let fd = open(path + "/" + file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw fail("cannot write \(file.path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            if !modesKept { fchmod(fd, 0o644) }
            guard let count = Staging.copy(input, to: fd) else {
                throw fail("cannot write \(file.path): \(String(cString: strerror(errno)))")
            }
            lock.withLock {
                written += count
                writtenPaths.append(file.path)
            }
            return count
        }

        /// Puts the folder in place of the output (it was marked as Dossier's when it was made),
        /// its marker now listing every file written.
        func swapIn() throws(Diagnostic) {
            defer { OutputWriter.activeLock.withLock { _ = OutputWriter.active.remove(path) } }
            unlink(path + "/" + OutputWriter.marker)
            try write(OutputFile(path: OutputWriter.marker, text: OutputWriter.manifest(lock.withLock { writtenPaths })))
            var info = stat()
            if lstat(output.path, &info) == 0 {
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
        func abandon() {
            OutputWriter.removeTree(path)
            OutputWriter.activeLock.withLock { _ = OutputWriter.active.remove(path) }
        }

        /// Removes the staging folders of builds that were stopped before they could clean up
        /// (an interrupted `dossier build` of a large site): real folders (never links) named
        /// after a process that is gone and marked with Dossier's `.dossier` file.
        static func removeAbandoned(in parent: String, name: String) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            for entry in entries {
                for prefix in [".dossier-build-\(name)-", ".dossier-old-\(name)-"] where entry.hasPrefix(prefix) {
                    let rest = entry.dropFirst(prefix.count)
                    guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0 else { continue }
                    guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
                    let folder = parent + "/" + entry
                    var info = stat()
                    guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR,
                        lstat(folder + "/" + OutputWriter.marker, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG
                    else { continue }
                    OutputWriter.removeTree(folder)
                }
            }
        }
    }

    /// Deletes a folder and everything in it. A link is removed, never followed: neither the
    /// folder itself nor anything inside it can lead the deletion elsewhere.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            unlink(path)
            return
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        removeContents(fd, depth: 0)
        close(fd)
        rmdir(path)
    }

    /// Removes everything inside the open folder `fd`, by names relative to it
    /// (`unlinkat`, `openat` with `O_NOFOLLOW`).
    private static func removeContents(_ fd: Int32, depth: Int) {
        guard depth < 512 else { return }
        let copy = dup(fd)
        guard copy >= 0, let dir = fdopendir(copy) else { return }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = SourceFiles.name(of: entry)
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names {
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 {
                    removeContents(child, depth: depth + 1)
                    close(child)
                }
                unlinkat(fd, name, AT_REMOVEDIR)
            } else {
                unlinkat(fd, name, 0)
            }
        }
    }
}
