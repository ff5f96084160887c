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
            // Each article's text on all cores.
            documents += parallelMap(Array(plan.articles.indices)) { searchDocument(ofArticle: $0) }.compactMap { $0 }
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
                    if let text = config.format.apply("money", to: sum, unit: dataset.columns[c].unit, decimals: dataset.columns[c].decimals) { totals.append(text) }
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

    /// The search document of article `i`, or nil when it asks to be left out.
    func searchDocument(ofArticle i: Int) -> SearchDocument? {
        let article = plan.articles[i]
        if case .bool(false)? = article.params.first(where: { $0.0 == "search" })?.1 { return nil }
        let code = plan.languages.count > 1 ? plan.languages[plan.language(ofArticle: i)].code : (article.lang ?? config.language)
        let html = markdown[i].html
        var document = SearchDocument(
            url: PagePath.of(article), title: article.title, section: config.format(for: code).words.text("articles"),
            language: code, excerpt: article.summary ?? String(SearchIndex.plainText(html, limit: 1024).prefix(160)),
            fields: [
                (article.title, 10), (markdown[i].headings.map(\.text).joined(separator: " "), 5),
                (article.tags.joined(separator: " "), 5), (article.summary ?? "", 3),
            ])
        document.html = html
        return document
    }

    /// The index's files, written with the sitemap. With serve's cache, the index the last build
    /// left is brought up to date, reading only the pages that changed.
    func searchFiles() -> [OutputFile] {
        guard config.search != nil else { return [] }
        let documents = searchDocuments()
        let state: SearchState
        if let kept = cache?.search.get(0), kept.urls == documents.map(\.url), kept.update(documents) != nil {
            state = kept
        } else {
            state = SearchState(documents)
            cache?.search.set(0, state)
        }
        return state.files.map { OutputFile(path: $0.path, text: $0.text, origin: "Content/site.yml") }
    }

    /// The files of the index that change when articles `changed` (indices) change and nothing
    /// else does, from the index the last build left; nil when that takes a full build.
    func searchFiles(changedArticles changed: [Int]) -> [OutputFile]? {
        guard let state = cache?.search.get(0) else { return nil }
        var documents: [SearchDocument] = []
        for i in changed {
            guard let document = searchDocument(ofArticle: i) else { return nil }
            documents.append(document)
        }
        guard let files = state.update(documents) else {
            cache?.search.retain([])
            return nil
        }
        return files.map { OutputFile(path: $0.path, text: $0.text, origin: "Content/site.yml") }
    }
}
