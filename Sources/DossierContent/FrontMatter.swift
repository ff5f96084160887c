import Yams

/// Splits an article into YAML front matter and body, and reads the front matter's keys.
package enum FrontMatter {
    struct Split {
        var yaml: String
        var body: String
        /// The line of the file where the body starts.
        var bodyLine: Int
    }

    /// Finds the `---` fences. The YAML starts on line 2 of the file.
    static func split(_ text: String) throws(LocalError) -> Split {
        // A byte scan over the front matter's lines only: splitting the whole file into lines
        // of characters took a seventh of a 10,000-article build.
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        var lineNumber = 0
        var yamlStart = bytes.startIndex
        while true {
            let end = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var contentEnd = end
            if contentEnd > lineStart, bytes[bytes.index(before: contentEnd)] == UInt8(ascii: "\r") {
                contentEnd = bytes.index(before: contentEnd)
            }
            let line = bytes[lineStart..<contentEnd]
            lineNumber += 1
            let next = end == bytes.endIndex ? end : bytes.index(after: end)
            if lineNumber == 1 {
                guard line.elementsEqual("---".utf8) else {
                    throw LocalError(
                        line: 1, column: 1, "article has no front matter",
                        hint: "start the file with a line '---', then 'title:' and 'date:', then '---'")
                }
                yamlStart = next
            } else if line.elementsEqual("---".utf8) || line.elementsEqual("...".utf8) {
                // The YAML is every line in between, without the last line's newline.
                var yamlEnd = lineStart
                if yamlEnd > yamlStart { yamlEnd = bytes.index(before: yamlEnd) }
                return Split(
                    yaml: String(text[yamlStart..<yamlEnd]), body: String(text[next...]), bodyLine: lineNumber + 1)
            }
            if end == bytes.endIndex { break }
            lineStart = next
        }
        throw LocalError(
            line: 1, column: 1, "front matter is not closed",
            hint: "end the front matter with a line '---'")
    }

    /// The keys Dossier reads itself; anything else is kept for templates.
    static let knownKeys: Set = [
        "title", "date", "updated", "summary", "authors", "author", "tags", "slug", "draft", "lang", "tables", "translation_of",
    ]

    /// Reads an article. Errors carry lines of the whole file (the YAML starts on line 2).
    package static func parse(_ text: String, path: String, defaultSlug: String) throws(LocalError) -> Article {
        let split = try split(text)
        let root: Node
        do throws(LocalError) {
            guard let node = try YAML.compose(split.yaml) else {
                throw LocalError(line: 0, column: 1, "front matter is empty", hint: "add 'title:' and 'date:'")
            }
            root = node
        } catch {
            throw error.shifted(lines: 1)
        }
        do throws(LocalError) {
            return try read(root, split: split, path: path, defaultSlug: defaultSlug)
        } catch {
            throw error.shifted(lines: 1)
        }
    }

    private static func read(_ root: Node, split: Split, path: String, defaultSlug: String) throws(LocalError)
        -> Article
    {
        guard root.isMapping else { throw root.error("front matter must be a mapping of keys to values") }
        guard let titleNode = root[key: "title"] else {
            throw LocalError(line: 0, column: 1, "missing required front-matter key 'title'")
        }
        guard let dateNode = root[key: "date"] else {
            throw LocalError(
                line: 0, column: 1, "missing required front-matter key 'date'", hint: "for example date: 2019-05-14")
        }
        let title = try titleNode.text("title")
        if title.trimmingCharacters(in: .whitespaces).isEmpty { throw titleNode.error("title is empty") }
        let date = try parseDate(dateNode, key: "date")
        let article = Article(
            sourcePath: path, title: title, date: date, updated: nil, summary: nil, authors: [], tags: [],
            slug: defaultSlug, draft: false, lang: nil, tables: [], params: [], body: split.body,
            bodyLine: split.bodyLine)
        for (key, node) in root.pairs {
            switch key {
            case "title", "date": break
            case "updated": article.updated = try parseDate(node, key: "updated")
            case "summary": article.summary = try node.text("summary")
            case "authors", "author":
                article.authors = try node.strings(key)
                article.authorsLocation = SourceLocation(
                    path: path, line: node.line.map { $0 + 1 }, column: node.column)
            case "tags":
                article.tags = try node.strings("tags")
                article.tagsLocation = SourceLocation(path: path, line: node.line.map { $0 + 1 }, column: node.column)
            case "slug":
                article.slug = try Slug.validate(try node.text("slug"), node: node)
                article.slugLocation = SourceLocation(path: path, line: node.line.map { $0 + 1 }, column: node.column)
            case "draft": article.draft = try node.bool("draft")
            case "lang": article.lang = try node.text("lang")
            case "translation_of":
                article.translationOf = try Slug.validate(try node.text("translation_of"), node: node)
                article.translationLocation = SourceLocation(
                    path: path, line: node.line.map { $0 + 1 }, column: node.column)
            case "tables":
                article.tables = try node.strings("tables")
                article.tablesLocation = SourceLocation(path: path, line: node.line.map { $0 + 1 }, column: node.column)
            default: article.source.params.append(ArticleSource.Param(key: key, value: YAML.value(node)))
            }
        }
        article.computeSignatures()
        return article
    }

    private static func parseDate(_ node: Node, key: String) throws(LocalError) -> DateValue {
        let text = try node.text(key)
        guard let date = DateValue(iso: text) else {
            throw node.error(
                "\(key) '\(text)' is not an ISO 8601 date", hint: "write it as YYYY-MM-DD, e.g. 2019-05-14")
        }
        return date
    }
}

extension LocalError {
    /// Moves the error down `lines` lines; a line of 0 means "the line before the YAML", the fence.
    func shifted(lines: Int) -> LocalError {
        var copy = self
        if let line { copy.line = line + lines } else { copy.line = 1; copy.column = 1 }
        return copy
    }
}

extension Substring {
    var trimmingTrailingCR: Substring { hasSuffix("\r") ? dropLast() : self }
}
