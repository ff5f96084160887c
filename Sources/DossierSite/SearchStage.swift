import Foundation

/// The search index of a site with `search:` in its `site.yml` (``SearchIndex``): every
/// article not marked `search: false` (title, headings, tags, prose) and every page made from
/// data (its title and the columns `search: columns:` names), each in its language and section.
extension SiteAssembler {
    func searchDocuments() -> [SearchDocument] {
        guard let settings = config.search else { return [] }
        func included(_ section: String) -> Bool { settings.sections?.contains(section) ?? true }
        var documents: [SearchDocument] = []
        if included("articles") {
            // Each article's text on all cores (reading HTML as text is most of the work).
            let articles = parallelMap(Array(plan.articles.indices)) { i -> SearchDocument? in
                let article = plan.articles[i]
                if case .bool(false)? = article.params.first(where: { $0.0 == "search" })?.1 { return nil }
                let code = plan.languages.count > 1 ? plan.languages[plan.language(ofArticle: i)].code : (article.lang ?? config.language)
                let words = config.format(for: code).words
                let url = PagePath.of(article)
                let html = markdown[i].html
                // What serve's cache knows the terms of: the article and its HTML.
                var signature = 0
                if let cache {
                    var hasher = Hasher()
                    hasher.combine(article.fullSignature)
                    var bytes = html
                    bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                    signature = hasher.finalize()
                    if cache.searchTerms.get(url)?.0 == signature {
                        // Text already indexed is not read again.
                        var document = SearchDocument(
                            url: url, title: article.title, section: words.text("articles"), language: code,
                            excerpt: article.summary ?? String(SearchIndex.plainText(html, limit: 1024).prefix(160)), fields: [])
                        document.signature = signature
                        return document
                    }
                }
                var document = SearchDocument(
                    url: url, title: article.title, section: words.text("articles"), language: code,
                    excerpt: article.summary ?? String(SearchIndex.plainText(html, limit: 1024).prefix(160)),
                    fields: [
                        (article.title, 10), (markdown[i].headings.map(\.text).joined(separator: " "), 5),
                        (article.tags.joined(separator: " "), 5), (article.summary ?? "", 3),
                    ])
                document.html = html
                document.signature = signature
                return document
            }
            documents.append(contentsOf: articles.compactMap { $0 })
        }
        for pages in plan.dataPages where included(pages.spec.folder) {
            let dataset = pages.dataset
            let columns = (settings.columns[dataset.name] ?? []).compactMap { dataset.columnIndex($0) }
            let money = dataset.columns.indices.filter {
                dataset.columns[$0].isNumeric && dataset.columns[$0].unit.map(config.format.isCurrency) == true
            }
            // Each page's values and totals on all cores.
            documents += parallelMap(pages.entities) { entity -> SearchDocument in
                var values: [String] = []
                var seen: Set<String> = []
                for c in columns {
                    for r in entity.rows.prefix(200) {
                        let text = dataset[r, c].plainText
                        if !text.isEmpty, seen.insert(text).inserted { values.append(text) }
                    }
                }
                var totals = [
                    config.format.words.count("rows", entity.rows.count, number: config.format.grouped(Decimal(entity.rows.count)))
                ]
                for c in money.prefix(1) {
                    let sum = entity.rows.compactMap { dataset.data[c].decimal(at: $0) }.reduce(0, +)
                    if let text = config.format.apply("money", to: sum, unit: dataset.columns[c].unit) { totals.append(text) }
                }
                return SearchDocument(
                    url: pages.entityPath(entity), title: entity.title, section: pages.spec.listTitle,
                    language: config.language, excerpt: String(values.joined(separator: " · ").prefix(160)),
                    totals: totals.joined(separator: " · "),
                    fields: [(entity.title, 10), (values.joined(separator: " "), 3)])
            }
        }
        return documents
    }

    /// The index's files, written with the sitemap.
    func searchFiles() -> [OutputFile] {
        guard config.search != nil else { return [] }
        // Each document's terms, remembered by serve's cache with the text they came from.
        let known = cache?.searchTerms.all() ?? [:]
        let cache = cache
        @Sendable func key(_ document: SearchDocument) -> Int {
            if document.signature != 0 { return document.signature }
            var hasher = Hasher()
            for (text, weight) in document.fields {
                hasher.combine(text)
                hasher.combine(weight)
            }
            hasher.combine(document.html)
            return hasher.finalize()
        }
        let files = SearchIndex.files(
            searchDocuments(),
            known: { _, document in known[document.url].flatMap { $0.0 == key(document) ? $0.1 : nil } },
            remember: cache.map { cache -> @Sendable (Int, SearchDocument, [String: Int32]) -> Void in
                { _, document, terms in cache.searchTerms.set(document.url, (key(document), terms)) }
            })
        return files.map {
            OutputFile(path: $0.path, text: $0.text, origin: "Content/site.yml")
        }
    }
}
