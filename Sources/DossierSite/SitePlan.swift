/// A tag or an author, with the page that lists its articles.
struct TaxonomyEntry: Sendable {
    var name: String
    var slug: String
    /// Indices into ``SitePlan/articles``, newest first.
    var articles: [Int]
    /// Pages made from data with this tag: (which `_pages.yml`, which page), in title order.
    var dataPages: [(set: Int, entity: Int)] = []

    /// The order of tag and author lists: by name regardless of case, then by exact name.
    static func inListOrder(_ a: TaxonomyEntry, _ b: TaxonomyEntry) -> Bool {
        a.name.lowercased() != b.name.lowercased() ? a.name.lowercased() < b.name.lowercased() : a.name < b.name
    }
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
    /// Each set of pages made from data in alphabetical order, for its A–Z pages (empty when
    /// the site has no `az` template).
    var alphabets: [Alphabet] = []
    /// How tag and author names become page names.
    var slugs: SlugScheme = .transliterate
    /// The languages of the site, the default first: each has its home, tag pages and feed.
    var languages: [LanguagePlan] = [LanguagePlan(code: "", prefix: "", articles: [], tags: [])]
    /// Each article's language, as an index into ``languages``.
    var articleLanguage: [Int] = []
    /// Each article's place in its language's list.
    var articlePosition: [Int] = []

    /// The articles, tags and folder of one language.
    struct LanguagePlan: Sendable {
        var code: String
        /// "" for the default language, `ru/` for the others.
        var prefix: String
        /// Indices into the plan's articles, newest first.
        var articles: [Int]
        /// The language's tags (the default language's are the plan's ``tags``).
        var tags: [TaxonomyEntry]
    }

    /// The newer and the older article next to article `i` in its language's list.
    func neighbours(ofArticle i: Int) -> (newer: Int?, older: Int?) {
        guard languages.count > 1 else {
            return (i > 0 ? i - 1 : nil, i + 1 < articles.count ? i + 1 : nil)
        }
        let list = languages[language(ofArticle: i)].articles
        guard articlePosition.indices.contains(i) else { return (nil, nil) }
        let at = articlePosition[i]
        return (at > 0 ? list[at - 1] : nil, at + 1 < list.count ? list[at + 1] : nil)
    }

    /// Whether article `i` is among the `count` newest of its language: in its feed.
    func inFeed(_ i: Int, count: Int) -> Bool {
        guard languages.count > 1 else { return i < count }
        return articlePosition.indices.contains(i) && articlePosition[i] < count
    }

    /// The feeds: each language's path and newest articles.
    func feeds(count: Int) -> [(language: Int, path: String, articles: [Article])] {
        guard languages.count > 1 else { return [(0, "feed.xml", Array(articles.prefix(count)))] }
        return languages.indices.map { l in
            (l, languages[l].prefix + "feed.xml", languages[l].articles.prefix(count).map { articles[$0] })
        }
    }

    /// The tags of a language.
    func tags(_ language: Int) -> [TaxonomyEntry] { language == 0 ? tags : languages[language].tags }

    /// The language of an article, as an index into ``languages``.
    func language(ofArticle i: Int) -> Int { articleLanguage.indices.contains(i) ? articleLanguage[i] : 0 }

    /// The articles of one translation group: the default language's article and every article
    /// that translates it, by language index; one entry for an article nothing translates.
    func translations(ofArticle i: Int) -> [(language: Int, article: Int)] {
        guard languages.count > 1 else { return [] }
        let article = articles[i]
        let key = language(ofArticle: i) == 0 ? article.slug : article.translationOf
        guard let key else { return [(language(ofArticle: i), i)] }
        return translationGroups[key] ?? [(language(ofArticle: i), i)]
    }
    /// Translation groups by the default-language slug they share.
    var translationGroups: [String: [(language: Int, article: Int)]] = [:]

    static let relatedCount = 3

    /// The plan, reusing the cached one when no article's listing fields or order changed
    /// (the plan reads nothing else of them).
    static func make(
        _ articles: [Article], defaultAuthor: String?, slugs: SlugScheme = .transliterate, languages: [String] = [],
        cache: BuildCache?
    )
        -> (SitePlan, [Diagnostic])
    {
        guard let cache else { return make(articles, defaultAuthor: defaultAuthor, slugs: slugs, languages: languages) }
        var hasher = Hasher()
        hasher.combine(defaultAuthor)
        hasher.combine(slugs)
        hasher.combine(languages)
        for article in articles {
            hasher.combine(article.lang)
            hasher.combine(article.translationOf)
        }
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
        let (plan, problems) = make(articles, defaultAuthor: defaultAuthor, slugs: slugs, languages: languages)
        cache.plan.set(0, (key, plan, problems))
        return (plan, problems)
    }

    static func make(
        _ articles: [Article], defaultAuthor: String?, slugs: SlugScheme = .transliterate, languages codes: [String] = []
    ) -> (SitePlan, [Diagnostic]) {
        var problems: [Diagnostic] = []
        // Each language's articles, tags and related articles, among its own articles only.
        let codes = codes.isEmpty ? [""] : codes
        let articleLanguage = articles.map { article in
            article.lang.flatMap { codes.firstIndex(of: $0) } ?? 0
        }
        var languages: [LanguagePlan] = []
        var related = [[Int]](repeating: [], count: articles.count)
        var tags: [TaxonomyEntry] = []
        for (l, code) in codes.enumerated() {
            let members = articles.indices.filter { articleLanguage[$0] == l }
            let subset = members.count == articles.count ? articles : members.map { articles[$0] }
            var entries = taxonomy(
                subset, kind: "tag", folder: (l == 0 ? "" : code + "/") + "tags", names: { $0.tags },
                location: { $0.tagsLocation }, slugs: slugs, problems: &problems)
            for e in entries.indices { entries[e].articles = entries[e].articles.map { members[$0] } }
            for (k, list) in relatedArticles(subset).enumerated() { related[members[k]] = list.map { members[$0] } }
            if l == 0 { tags = entries }
            languages.append(
                LanguagePlan(code: code, prefix: l == 0 ? "" : code + "/", articles: members, tags: l == 0 ? [] : entries))
        }
        // Translation groups: each default-language article and the articles naming it.
        var groups: [String: [(language: Int, article: Int)]] = [:]
        if codes.count > 1 {
            let originals = Dictionary(
                articles.indices.filter { articleLanguage[$0] == 0 }.map { (articles[$0].slug, $0) }, uniquingKeysWith: { a, _ in a })
            for (i, article) in articles.enumerated() where articleLanguage[i] > 0 {
                guard let key = article.translationOf else { continue }
                guard let original = originals[key] else {
                    // Named in front matter: an error; from a file name, an article with no original.
                    if let place = article.translationLocation {
                        problems.append(
                            Diagnostic(
                                place, "translation_of names '\(key)', but no article in \(codes[0]) has that slug",
                                hint: "name the slug of the article this one translates", code: .translationUnknown))
                    }
                    continue
                }
                if groups[key] == nil { groups[key] = [(0, original)] }
                if let other = groups[key]!.first(where: { $0.language == articleLanguage[i] }) {
                    problems.append(
                        Diagnostic(
                            article.translationLocation ?? SourceLocation(path: article.sourcePath, line: 1, column: 1),
                            "\(article.sourcePath) and \(articles[other.article].sourcePath) both translate '\(key)' into \(codes[articleLanguage[i]])",
                            hint: "keep one translation per language", code: .translationTwice))
                    continue
                }
                groups[key]!.append((articleLanguage[i], i))
            }
            for key in groups.keys { groups[key]!.sort { $0.language < $1.language } }
        }
        let authorNames: (Article) -> [String] = {
            $0.authors.isEmpty ? (defaultAuthor.map { [$0] } ?? []) : $0.authors
        }
        var authors = taxonomy(
            articles, kind: "author", folder: "authors", names: authorNames, location: { $0.authorsLocation },
            slugs: slugs, problems: &problems)
        if authors.count < 2 { authors = [] }

        var plan = SitePlan(articles: articles, tags: tags, authors: authors, related: related, slugs: slugs)
        plan.languages = languages
        plan.articleLanguage = articleLanguage
        var position = [Int](repeating: 0, count: articles.count)
        for language in languages { for (at, i) in language.articles.enumerated() { position[i] = at } }
        plan.articlePosition = position
        plan.translationGroups = groups
        return (plan, problems)
    }

    /// Adds the tags of pages made from data to the tag pages, creating tags no article has.
    /// A tag that makes the same page name as another spelling is an error at the `_pages.yml`.
    mutating func addDataPageTags() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var index = Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1.slug, $0) })
        var added = false
        var reported: Set<String> = []
        for (i, pages) in dataPages.enumerated() where !pages.spec.tags.isEmpty {
            for (j, entity) in pages.entities.enumerated() {
                for name in entity.tags {
                    let slug = Slug.make(name, scheme: slugs)
                    if slug.isEmpty {
                        guard reported.insert("\(i)/\(name)").inserted else { continue }
                        problems.append(
                            Diagnostic(
                                pages.spec.location("tags"),
                                "tag '\(name)' of '\(entity.title)' has no letters or digits to make a page name from", code: .taxonomyEmptySlug))
                        continue
                    }
                    if let t = index[slug] {
                        guard tags[t].name == name else {
                            if reported.insert("\(i)/\(name)").inserted {
                                problems.append(
                                    Diagnostic(
                                        pages.spec.location("tags"),
                                        "tag '\(name)' of '\(entity.title)' and tag '\(tags[t].name)' would share the page tags/\(slug)/",
                                        hint: "spell the tag the same way everywhere", code: .taxonomyCollision))
                            }
                            continue
                        }
                        tags[t].dataPages.append((i, j))
                    } else {
                        index[slug] = tags.count
                        tags.append(TaxonomyEntry(name: name, slug: slug, articles: [], dataPages: [(i, j)]))
                        added = true
                    }
                }
            }
        }
        if added { tags.sort(by: TaxonomyEntry.inListOrder) }
        return problems
    }

    /// For each article, up to ``relatedCount`` others that share tags with it: most shared tags
    /// first, then the order of the article list (newest first). Looks only at the articles of
    /// the same tags, counts in a flat array and keeps the best few without sorting, on all
    /// cores: at 30,000 articles sorting every candidate list took 8 s.
    static func relatedArticles(_ articles: [Article]) -> [[Int]] {
        var byTag: [String: [Int32]] = [:]
        for (i, article) in articles.enumerated() {
            for tag in Set(article.tags) { byTag[tag, default: []].append(Int32(i)) }
        }
        let tagLists = articles.map { article in Set(article.tags).sorted().compactMap { byTag[$0] } }
        let chunk = 256
        let starts = Array(stride(from: 0, to: articles.count, by: chunk))
        let parts = parallelMap(starts) { start -> [[Int]] in
            var counts = [Int32](repeating: 0, count: articles.count)
            var touched: [Int32] = []
            var out: [[Int]] = []
            for i in start..<min(start + chunk, articles.count) {
                for list in tagLists[i] {
                    for j in list where Int(j) != i {
                        if counts[Int(j)] == 0 { touched.append(j) }
                        counts[Int(j)] += 1
                    }
                }
                // The best few: more shared tags, then the lower index.
                var best: [(count: Int32, index: Int32)] = []
                for j in touched {
                    let candidate = (count: counts[Int(j)], index: j)
                    if best.count == relatedCount, let last = best.last,
                        candidate.count < last.count || (candidate.count == last.count && candidate.index > last.index)
                    {
                        continue
                    }
                    let at =
                        best.firstIndex {
                            candidate.count > $0.count || (candidate.count == $0.count && candidate.index < $0.index)
                        } ?? best.count
                    best.insert(candidate, at: at)
                    if best.count > relatedCount { best.removeLast() }
                }
                out.append(best.map { Int($0.index) })
                for j in touched { counts[Int(j)] = 0 }
                touched.removeAll(keepingCapacity: true)
            }
            return out
        }
        return parts.flatMap { $0 }
    }

    /// Groups articles by name, each name slugged for its URL. Two names that make the same
    /// slug would share a page: that is an error at the article that brings the second.
    private static func taxonomy(
        _ articles: [Article], kind: String, folder: String, names: (Article) -> [String],
        location: (Article) -> SourceLocation?, slugs: SlugScheme, problems: inout [Diagnostic]
    ) -> [TaxonomyEntry] {
        var bySlug: [String: TaxonomyEntry] = [:]
        var firstSource: [String: String] = [:]
        for (i, article) in articles.enumerated() {
            for name in names(article) {
                let slug = Slug.make(name, scheme: slugs)
                let place = location(article) ?? SourceLocation(path: article.sourcePath, line: 1, column: 1)
                if slug.isEmpty {
                    problems.append(
                        Diagnostic(place, "\(kind) '\(name)' has no letters or digits to make a page name from", code: .taxonomyEmptySlug))
                    continue
                }
                if let existing = bySlug[slug]?.name {
                    if existing != name {
                        problems.append(
                            Diagnostic(
                                place,
                                "\(kind) '\(name)' and \(kind) '\(existing)' (\(firstSource[slug]!)) would share the page \(folder)/\(slug)/",
                                hint: "spell the \(kind) the same way everywhere", code: .taxonomyCollision))
                        continue
                    }
                    // Appended in place: copying the entry out and back copied its list each time.
                    if bySlug[slug]!.articles.last != i { bySlug[slug]!.articles.append(i) }
                } else {
                    bySlug[slug] = TaxonomyEntry(name: name, slug: slug, articles: [i])
                    firstSource[slug] = article.sourcePath
                }
            }
        }
        return bySlug.values.sorted(by: TaxonomyEntry.inListOrder)
    }
}
