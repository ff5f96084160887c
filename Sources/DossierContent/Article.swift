/// One article read from `Content/**/*.md`: its front matter, typed, and its Markdown body.
///
/// A class, filled in once when the file is read and not changed after: a site of 10,000
/// articles passes them between stages many times, and a class is passed without copying.
public final class Article: @unchecked Sendable {
    /// What a listing (home, tags, authors, neighbours, related articles, the feed's entry)
    /// shows of the article. Listings are built from this value alone, and its hash is
    /// ``summarySignature``: a field added here is part of the signature with no list to keep.
    public var listing: ArticleListing
    /// The rest of what the article's own page is made from; with ``listing``, its hash is
    /// ``fullSignature``.
    public var source: ArticleSource

    /// Where `tables` was written, for errors about the datasets it names.
    package var tablesLocation: SourceLocation?
    /// Where `tags` and `authors` were written, for errors about their names.
    package var tagsLocation: SourceLocation?
    package var authorsLocation: SourceLocation?
    /// Where `translation_of` was written.
    package var translationLocation: SourceLocation?
    /// Where `slug` was written, for errors about the page's path.
    package var slugLocation: SourceLocation?

    init(
        sourcePath: String, title: String, date: DateValue, updated: DateValue?, summary: String?, authors: [String],
        tags: [String], slug: String, draft: Bool, lang: String?, tables: [String], params: [(String, Value)],
        body: String, bodyLine: Int
    ) {
        listing = ArticleListing(
            title: title, slug: slug, date: date, updated: updated, summary: summary, authors: authors, tags: tags,
            draft: draft)
        source = ArticleSource(
            sourcePath: sourcePath, lang: lang, tables: tables, params: params.map { ArticleSource.Param(key: $0, value: $1) },
            body: body, bodyLine: bodyLine)
    }

    /// The file, relative to the project root (`Content/budget.md`).
    public var sourcePath: String { source.sourcePath }
    public var title: String {
        get { listing.title }
        set { listing.title = newValue }
    }
    public var date: DateValue { listing.date }
    public var updated: DateValue? {
        get { listing.updated }
        set { listing.updated = newValue }
    }
    public var summary: String? {
        get { listing.summary }
        set { listing.summary = newValue }
    }
    public var authors: [String] {
        get { listing.authors }
        set { listing.authors = newValue }
    }
    public var tags: [String] {
        get { listing.tags }
        set { listing.tags = newValue }
    }
    /// Where the article is written: `Public/SLUG/index.html`.
    public var slug: String {
        get { listing.slug }
        set { listing.slug = newValue }
    }
    public var draft: Bool {
        get { listing.draft }
        set { listing.draft = newValue }
    }
    public var lang: String? {
        get { source.lang }
        set { source.lang = newValue }
    }
    /// The slug of the article (in the site's default language) this one translates: from
    /// `translation_of:`, or from the file name (`budget.ru.md` translates `budget.md`).
    public var translationOf: String? {
        get { source.translationOf }
        set { source.translationOf = newValue }
    }
    /// Names of datasets whose tables are shown under the article (front matter `tables`).
    public var tables: [String] {
        get { source.tables }
        set { source.tables = newValue }
    }
    /// Front-matter keys Dossier does not know, handed to templates as `page.params`.
    public var params: [(String, Value)] { source.params.map { ($0.key, $0.value) } }
    /// The Markdown after the front matter.
    public var body: String { source.body }
    /// The line of the file on which `body` starts, for positions reported inside the body.
    public var bodyLine: Int { source.bodyLine }

    /// Everything a listing shows of the article; listings re-render only when it changes.
    /// Computed once, when the article is read.
    package var summarySignature = 0
    /// Everything the article's own page shows of it.
    package var fullSignature = 0

    func computeSignatures() {
        summarySignature = listing.hashValue
        var hasher = Hasher()
        hasher.combine(listing)
        hasher.combine(source)
        fullSignature = hasher.finalize()
    }
}

/// What listings show of an article (see ``Article/listing``).
public struct ArticleListing: Hashable, Sendable {
    public var title: String
    public var slug: String
    public var date: DateValue
    public var updated: DateValue?
    public var summary: String?
    public var authors: [String]
    public var tags: [String]
    public var draft: Bool
}

/// What an article's own page is made from besides its listing (see ``Article/source``).
public struct ArticleSource: Hashable, Sendable {
    public var sourcePath: String
    public var lang: String?
    public var translationOf: String?
    public var tables: [String]
    public var params: [Param]
    public var body: String
    public var bodyLine: Int

    /// A front-matter key Dossier does not know, with its value.
    public struct Param: Hashable, Sendable {
        public var key: String
        public var value: Value
    }
}
