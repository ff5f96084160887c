import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `dossier new`: starting points for an article or a dataset, never written over a file.
public enum Scaffold {
    public struct Exists: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) already exists; nothing was written" }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Writes `Content/SLUG.md` with front matter; returns its path relative to the root.
    public static func article(
        in project: Project, title: String, slug: String? = nil, tags: [String] = [], date: String
    ) throws -> String {
        let slug = slug ?? Slug.make(title)
        guard !slug.isEmpty,
            Slug.make(slug.replacingOccurrences(of: "/", with: "-")) == slug.replacingOccurrences(of: "/", with: "-")
        else {
            throw Invalid(message: "slug '\(slug)' must be lower-case letters, digits and '-'")
        }
        let quotedTitle =
            "\"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
        var text = "---\ntitle: \(quotedTitle)\ndate: \(date)\nsummary: \"\"\n"
        if !tags.isEmpty { text += "tags: [" + tags.map { "\"\($0)\"" }.joined(separator: ", ") + "]\n" }
        text += "draft: true\n---\n\nWrite the article here. Charts go in ```chart blocks; see the README.\n"
        return try write("Content/\(slug).md", text, in: project)
    }

    /// Writes `Data/NAME.csv` with a header and one example row, and `Data/NAME.schema.yml`.
    public static func dataset(in project: Project, name: String, date: String) throws -> [String] {
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({ Slug.isAlphanumeric($0) || $0 == "_" || $0 == "-" })
        else {
            throw Invalid(message: "dataset name '\(name)' must be letters, digits, '_' and '-'")
        }
        let csv = "id,year,title,amount_kzt,status\nexample-1,\(date.prefix(4)),Example row,1000000,completed\n"
        let schema = """
            title: \(name)
            source:
              name: Where the data comes from
              url: https://example.org/
              retrieved: \(date)
            licence: CC BY 4.0
            notes: What the rows are, and what to watch for.
            columns:
              id: {type: text, required: true, label: ID}
              year: {type: integer, required: true, label: Year, unit: year}
              title: {type: text, label: Title}
              amount_kzt: {type: integer, unit: KZT, label: Amount (tenge)}
              status: {type: text, values: [completed, cancelled, no_bidders], label: Outcome}

            """
        for path in ["Data/\(name).csv", "Data/\(name).schema.yml"]
        where FileManager.default.fileExists(atPath: project.root.appendingPathComponent(path).path) {
            throw Exists(path: path)
        }
        return [
            try write("Data/\(name).csv", csv, in: project), try write("Data/\(name).schema.yml", schema, in: project),
        ]
    }

    /// Drafts `Data/NAME.schema.yml` from a CSV file, copying the file to `Data/NAME.csv` first
    /// when it is elsewhere. Never overwrites either.
    public static func draftDataset(in project: Project, name: String, from file: URL, date: String) throws -> [String] {
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({ Slug.isAlphanumeric($0) || $0 == "_" || $0 == "-" })
        else {
            throw Invalid(message: "dataset name '\(name)' must be letters, digits, '_' and '-'")
        }
        let schemaPath = "Data/\(name).schema.yml"
        if exists(project.root.appendingPathComponent(schemaPath).path) {
            throw Exists(path: schemaPath)
        }
        var info = stat()
        guard stat(file.path, &info) == 0 else {
            throw Invalid(message: "cannot read \(file.path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw Invalid(
                message: "\(file.path) is \(info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "not a file"): give one CSV file to draft the schema from")
        }
        let text: String
        // Read a chunk at a time: a register of a gigabyte is drafted where it lies.
        switch SchemaDraft.draft(fileAt: file, name: name, date: date) {
        case .success(let draft): text = draft
        case .failure(let problem): throw Invalid(message: "\(file.path): \(problem.description)")
        }
        var written: [String] = []
        let target = project.data.appendingPathComponent("\(name).csv")
        if file.standardizedFileURL.path != target.standardizedFileURL.path {
            let csvPath = "Data/\(name).csv"
            guard !exists(target.path) else { throw Exists(path: csvPath) }
            written.append(try copy(file, to: csvPath, in: project))
        }
        written.append(try write(schemaPath, text, in: project))
        return written
    }

    /// Whether anything is at `path`, a link to nothing included.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// `dossier init`: writes the starter project into the folder (made if missing), which
    /// must not hold any of its files yet.
    public static func initProject(at root: URL) throws -> [String] {
        let project = Project(root: root)
        for (path, _) in starterFiles where exists(root.appendingPathComponent(path).path) {
            throw Exists(path: path)
        }
        return try starterFiles.map { try write($0.path, $0.text, in: project) }
    }

    private static func write(_ path: String, _ text: String, in project: Project) throws -> String {
        try write(path, Data(text.utf8), in: project)
    }

    /// Copies the file at `source` to `path`, a chunk at a time.
    private static func copy(_ source: URL, to path: String, in project: Project) throws -> String {
        let fd = try create(path, in: project)
        defer { close(fd) }
        do {
            try ChunkedFile.forEachChunk(path: source.path, boundary: { $0.count }) { bytes, _, _ throws(Invalid) in
                guard writeAll(fd, UnsafeRawBufferPointer(bytes)) else {
                    throw Invalid(message: "cannot write \(path): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            switch error {
            case .read(let problem): throw Invalid(message: "cannot read \(source.path): \(problem.message)")
            case .body(let problem): throw problem
            }
        }
        return path
    }

    private static func write(_ path: String, _ bytes: Data, in project: Project) throws -> String {
        let fd = try create(path, in: project)
        defer { close(fd) }
        let complete = bytes.withUnsafeBytes { writeAll(fd, $0) }
        guard complete else { throw Invalid(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        return path
    }

    /// Creates the file at `path` (under the project) and its folders, and returns it open for
    /// writing. Nothing is written through a link: a folder on the way that is a link (a
    /// `Templates` pointing out of the project) or a file already there, even a link to nothing,
    /// is refused, and every error is said in words.
    private static func create(_ path: String, in project: Project) throws -> Int32 {
        var folder = project.root.path
        // The project's own folder, made with its parents if missing (it may be a link: the
        // user named it).
        var rootInfo = stat()
        if stat(folder, &rootInfo) != 0 {
            do {
                try FileManager.default.createDirectory(at: project.root, withIntermediateDirectories: true)
            } catch {
                throw Invalid(message: "cannot create \(folder): \(String(cString: strerror(errno == 0 ? EACCES : errno)))")
            }
        } else if rootInfo.st_mode & S_IFMT != S_IFDIR {
            throw Invalid(message: "\(folder) is a file, not a folder")
        }
        let parts = path.split(separator: "/").map(String.init)
        for (k, part) in parts.dropLast().enumerated() {
            folder += "/" + part
            let shown = parts[...k].joined(separator: "/")
            var info = stat()
            if lstat(folder, &info) == 0 {
                if info.st_mode & S_IFMT == S_IFLNK {
                    throw Invalid(
                        message: "\(shown) is a link (to \(SourceFiles.realPath(folder) ?? "nothing")); nothing is written through it. Make it a folder of its own, or start in another folder")
                }
                guard info.st_mode & S_IFMT == S_IFDIR else { throw Invalid(message: "\(shown) is a file, where a folder must be") }
            } else if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw Invalid(message: "cannot create \(shown): \(String(cString: strerror(errno)))")
            }
        }
        // O_EXCL: a file already there, or a link (even a dangling one), is never replaced.
        let fd = open(project.root.path + "/" + path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST || errno == ELOOP { throw Exists(path: path) }
            throw Invalid(message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }
}
