import Foundation

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
        if FileManager.default.fileExists(atPath: project.root.appendingPathComponent(schemaPath).path) {
            throw Exists(path: schemaPath)
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: file)
        } catch {
            throw Invalid(message: "cannot read \(file.path): \(error.localizedDescription)")
        }
        let text: String
        switch SchemaDraft.draft(bytes, name: name, date: date) {
        case .success(let draft): text = draft
        case .failure(let problem): throw Invalid(message: "\(file.path): \(problem.description)")
        }
        var written: [String] = []
        let target = project.data.appendingPathComponent("\(name).csv")
        if file.standardizedFileURL.path != target.standardizedFileURL.path {
            let csvPath = "Data/\(name).csv"
            guard !FileManager.default.fileExists(atPath: target.path) else { throw Exists(path: csvPath) }
            try FileManager.default.createDirectory(at: project.data, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: file, to: target)
            written.append(csvPath)
        }
        written.append(try write(schemaPath, text, in: project))
        return written
    }

    /// `dossier init`: writes the starter project into the folder (made if missing), which
    /// must not hold any of its files yet.
    public static func initProject(at root: URL) throws -> [String] {
        let project = Project(root: root)
        for (path, _) in starterFiles where FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) {
            throw Exists(path: path)
        }
        return try starterFiles.map { try write($0.path, $0.text, in: project) }
    }

    private static func write(_ path: String, _ text: String, in project: Project) throws -> String {
        let url = project.root.appendingPathComponent(path)
        guard !FileManager.default.fileExists(atPath: url.path) else { throw Exists(path: path) }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Create the file only if it does not exist, even if another process races us.
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: url.path)
        else { throw Exists(path: path) }
        handle.write(Data(text.utf8))
        try handle.close()
        return path
    }
}
