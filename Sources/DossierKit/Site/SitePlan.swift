/// A tag or an author, with the page that lists its articles.
struct TaxonomyEntry: Sendable {
    var name: String
    var slug: String
    /// Indices into ``SitePlan/articles``, newest first.
    var articles: [Int]
}

/// What the site is made of beyond single articles: tags, authors, neighbours and related
/// articles. Computed once from the articles; checked for names that would share a page.
struct SitePlan: Sendable {
    /// Published articles, newest first.
    var articles: [Article]
    var tags: [TaxonomyEntry]
    /// Author pages exist only when the site has more than one author.
    var authors: [TaxonomyEntry]
    /// For each article, up to three others that share tags with it, most shared first.
    var related: [[Int]]
    /// Source files of drafts left out of this build.
    var draftSources: Set<String> = []
    /// Pages generated from datasets.
    var dataPages: [DataPages] = []

    static let relatedCount = 3

    /// The plan, reusing the cached one when no article's listing fields or order changed
    /// (the plan reads nothing else of them).
    static func make(_ articles: [Article], defaultAuthor: String?, cache: BuildCache?) -> (SitePlan, [Diagnostic]) {
        guard let cache else { return make(articles, defaultAuthor: defaultAuthor) }
        var hasher = Hasher()
        hasher.combine(defaultAuthor)
        for article in articles {
            hasher.combine(article.summarySignature)
            hasher.combine(article.sourcePath)
        }
        let key = hasher.finalize()
        if let (cachedKey, plan, problems) = cache.plan.get(0), cachedKey == key {
            var current = plan
            current.articles = articles
            return (current, problems)
        }
        let (plan, problems) = make(articles, defaultAuthor: defaultAuthor)
        cache.plan.set(0, (key, plan, problems))
        return (plan, problems)
    }

    static func make(_ articles: [Article], defaultAuthor: String?) -> (SitePlan, [Diagnostic]) {
        var problems: [Diagnostic] = []
        let tags = taxonomy(
            articles, kind: "tag", folder: "tags", names: { $0.tags }, location: { $0.tagsLocation },
            problems: &problems)
        let authorNames: (Article) -> [String] = {
            $0.authors.isEmpty ? (defaultAuthor.map { [$0] } ?? []) : $0.authors
        }
        var authors = taxonomy(
            articles, kind: "author", folder: "authors", names: authorNames, location: { $0.authorsLocation },
            problems: &problems)
        if authors.count < 2 { authors = [] }

        // Related articles share tags: look only at the articles of the same tags.
        var byTag: [String: [Int]] = [:]
        for (i, article) in articles.enumerated() {
            for tag in Set(article.tags) { byTag[tag, default: []].append(i) }
        }
        var related: [[Int]] = []
        for (i, article) in articles.enumerated() {
            var shared: [Int: Int] = [:]
            for tag in Set(article.tags) {
                for j in byTag[tag] ?? [] where j != i { shared[j, default: 0] += 1 }
            }
            // Most shared tags first; then the order of the article list (newest first).
            related.append(
                shared.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(relatedCount).map(
                    \.key))
        }
        return (SitePlan(articles: articles, tags: tags, authors: authors, related: related), problems)
    }

    /// Groups articles by name, each name slugged for its URL. Two names that make the same
    /// slug would share a page: that is an error at the article that brings the second.
    private static func taxonomy(
        _ articles: [Article], kind: String, folder: String, names: (Article) -> [String],
        location: (Article) -> SourceLocation?, problems: inout [Diagnostic]
    ) -> [TaxonomyEntry] {
        var bySlug: [String: TaxonomyEntry] = [:]
        var firstSource: [String: String] = [:]
        for (i, article) in articles.enumerated() {
            for name in names(article) {
                let slug = Slug.make(name)
                let place = location(article) ?? SourceLocation(path: article.sourcePath, line: 1, column: 1)
                if slug.isEmpty {
                    problems.append(
                        Diagnostic(place, "\(kind) '\(name)' has no letters or digits to make a page name from"))
                    continue
                }
                if var entry = bySlug[slug] {
                    if entry.name != name {
                        problems.append(
                            Diagnostic(
                                place,
                                "\(kind) '\(name)' and \(kind) '\(entry.name)' (\(firstSource[slug]!)) would share the page \(folder)/\(slug)/",
                                hint: "spell the \(kind) the same way everywhere"))
                        continue
                    }
                    if entry.articles.last != i { entry.articles.append(i) }
                    bySlug[slug] = entry
                } else {
                    bySlug[slug] = TaxonomyEntry(name: name, slug: slug, articles: [i])
                    firstSource[slug] = article.sourcePath
                }
            }
        }
        return bySlug.values.sorted {
            $0.name.lowercased() != $1.name.lowercased()
                ? $0.name.lowercased() < $1.name.lowercased() : $0.name < $1.name
        }
    }
}
