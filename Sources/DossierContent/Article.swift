/// One article read from `Content/**/*.md`: its front matter, typed, and its Markdown body.
///
/// A class, filled in once when the file is read and not changed after: a site of 10,000
/// articles passes them between stages many times, and a class is passed without copying.
public final class Article: @unchecked Sendable {
    /// The file, relative to the project root (`Content/budget.md`).
    public var sourcePath: String
    public var title: String
    public var date: DateValue
    public var updated: DateValue?
    public var summary: String?
    public var authors: [String]
    public var tags: [String]
    /// Where the article is written: `Public/SLUG/index.html`.
    public var slug: String
    public var draft: Bool
    public var lang: String?
    /// Names of datasets whose tables are shown under the article (front matter `tables`).
    public var tables: [String]
    /// Front-matter keys Dossier does not know, handed to templates as `page.params`.
    public var params: [(String, Value)]
    /// The Markdown after the front matter.
    public var body: String
    /// The line of the file on which `body` starts, for positions reported inside the body.
    public var bodyLine: Int
    /// Where `tables` was written, for errors about the datasets it names.
    package var tablesLocation: SourceLocation?
    /// Where `tags` and `authors` were written, for errors about their names.
    package var tagsLocation: SourceLocation?
    package var authorsLocation: SourceLocation?
    /// Where `slug` was written, for errors about the page's path.
    package var slugLocation: SourceLocation?

    init(
        sourcePath: String, title: String, date: DateValue, updated: DateValue?, summary: String?, authors: [String],
        tags: [String], slug: String, draft: Bool, lang: String?, tables: [String], params: [(String, Value)],
        body: String, bodyLine: Int
    ) {
        self.sourcePath = sourcePath
        self.title = title
        self.date = date
        self.updated = updated
        self.summary = summary
        self.authors = authors
        self.tags = tags
        self.slug = slug
        self.draft = draft
        self.lang = lang
        self.tables = tables
        self.params = params
        self.body = body
        self.bodyLine = bodyLine
    }

    /// Everything a listing shows of the article; listings re-render only when it changes.
    /// Computed once, when the article is read.
    package var summarySignature = 0
    /// Everything the article's own page shows of it.
    package var fullSignature = 0

    func computeSignatures() {
        summarySignature = computeSummarySignature()
        fullSignature = computeFullSignature()
    }

    private func computeSummarySignature() -> Int {
        var hasher = Hasher()
        hasher.combine(title)
        hasher.combine(slug)
        hasher.combine(date)
        hasher.combine(updated)
        hasher.combine(summary)
        hasher.combine(authors)
        hasher.combine(tags)
        hasher.combine(draft)
        return hasher.finalize()
    }

    private func computeFullSignature() -> Int {
        var hasher = Hasher()
        hasher.combine(summarySignature)
        hasher.combine(sourcePath)
        hasher.combine(lang)
        hasher.combine(tables)
        hasher.combine(body)
        hasher.combine(bodyLine)
        for (key, value) in params {
            hasher.combine(key)
            hasher.combine(value)
        }
        return hasher.finalize()
    }
}
