import Foundation

/// A page rendered from a template, before its links are checked. A class: a rebuild hands
/// 10,000 cached pages from stage to stage, and copying a struct of this many references cost a
/// third of a rebuild's time in retains and releases. Not changed once a later stage has it.
final class RenderedPage: @unchecked Sendable {
    let path: String
    /// The page as UTF-8, as the template wrote it and as it goes to the disk.
    let bytes: [UInt8]
    var html: String { String(decoding: bytes, as: UTF8.self) }
    /// The template the page was rendered with, where template problems are reported.
    let template: String
    /// The article the page shows, if any (index into the plan's articles).
    let article: Int?
    /// Files that belong to the page (chart CSVs), by path under the output folder.
    let files: [OutputFile]
    let problems: [Diagnostic]
    /// The article's content HTML, for the feed.
    let content: String?
    /// Identifies this version of the page (0 when no cache is in use).
    let signature: Int

    convenience init(
        path: String, html: String, template: String, article: Int?, files: [OutputFile] = [],
        problems: [Diagnostic] = [], content: String? = nil, signature: Int = 0
    ) {
        self.init(
            path: path, bytes: Array(html.utf8), template: template, article: article, files: files, problems: problems,
            content: content, signature: signature)
    }

    init(
        path: String, bytes: [UInt8], template: String, article: Int?, files: [OutputFile] = [],
        problems: [Diagnostic] = [], content: String? = nil, signature: Int = 0
    ) {
        self.path = path
        self.bytes = bytes
        self.template = template
        self.article = article
        self.files = files
        self.problems = problems
        self.content = content
        self.signature = signature
    }

    /// The same page with another article index or signature.
    func with(article: Int? = nil, signature: Int? = nil) -> RenderedPage {
        RenderedPage(
            path: path, bytes: bytes, template: template, article: article ?? self.article, files: files,
            problems: problems, content: content, signature: signature ?? self.signature)
    }
}

/// Renders every page of the site with its template: home, articles, tags, authors, the
/// data-and-sources page and the 404 page (each optional page only if its template exists).
struct PageRenderer: @unchecked Sendable {
    let config: SiteConfig
    let plan: SitePlan
    let datasets: [Dataset]
    let templates: TemplateSet
    let markdown: [RenderedMarkdown]
    let charts: [ChartStage.Result]
    var cache: BuildCache? = nil
    /// Computes named figures, for template charts that plot them (`figures:`).
    var figures: FigureEvaluator? = nil

    enum Kind: Sendable {
        /// A page made from a row (or rows) of a dataset.
        var isEntity: Bool {
            if case .entity = self { return true }
            return false
        }

        /// The home, the tag index and a tag's page of a language (index into the plan's
        /// languages; 0 is the default language, at the root).
        case home(Int), tags(Int), tag(Int, Int)
        case article(Int), authors, author(Int), data, notFound
        /// The search page (template `search`, with `search:` in site.yml).
        case search
        /// A page generated from data: (which `_pages.yml`, which entity).
        case entity(Int, Int)
        /// A listing page of generated pages: (which `_pages.yml`, page number from 1, language:
        /// each language lists the shared pages under its own folder).
        case entityList(Int, Int, Int)
        /// An A–Z page of generated pages (template `az`): (which `_pages.yml`, page number from
        /// 1, language), names in alphabetical order by initial.
        case azIndex(Int, Int, Int)
    }

    /// Optional pages and the template each needs.
    static let optionalTemplates = ["tags", "tag", "authors", "author", "sources", "404", "search", "az"]

    /// The optional pages this site has a template for.
    var optionalPages: Set<String> { Set(PageRenderer.optionalTemplates.filter(Set(templates.names).contains)) }

    /// What rendering any page needs: the context builder, the datasets by name and what each
    /// template reads.
    private func setup() -> (context: PageContext, byName: [String: Dataset], usages: [String: TemplateSet.Usage]) {
        (
            PageContext(config: config, datasets: datasets, plan: plan, optionalPages: optionalPages),
            Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) }),
            Dictionary(uniqueKeysWithValues: templates.names.map { ($0, templates.usage(of: $0)) })
        )
    }

    /// Every page of the site and its path, in the order of the output: worked out once per
    /// build (``SiteBuilder/Prepared``) and handed to every step that walks the pages.
    struct PageList: Sendable {
        var kinds: [Kind]
        var paths: [String]
    }

    /// The page list worked out for this build, if any.
    var list: PageList? = nil

    /// The pages of the site and their paths: the one worked out for this build, else anew.
    func pageList() -> PageList {
        if let list { return list }
        let kinds = kinds()
        return PageList(kinds: kinds, paths: kinds.map(path(of:)))
    }

    /// Every page of the site, in the order of the output.
    func kinds() -> [Kind] {
        let optional = optionalPages
        var kinds: [Kind] = [.home(0)] + plan.articles.indices.map { .article($0) }
        if optional.contains("tags"), !plan.tags.isEmpty { kinds.append(.tags(0)) }
        if optional.contains("tag") { kinds += plan.tags.indices.map { .tag(0, $0) } }

        if optional.contains("authors"), !plan.authors.isEmpty { kinds.append(.authors) }
        if optional.contains("author") { kinds += plan.authors.indices.map { .author($0) } }
        if optional.contains("sources") { kinds.append(.data) }
        if optional.contains("404") { kinds.append(.notFound) }
        if optional.contains("search"), config.search != nil { kinds.append(.search) }
        for (i, pages) in plan.dataPages.enumerated() {
            kinds += (1...pages.pageCount).map { .entityList(i, $0, 0) }
            if plan.alphabets.indices.contains(i) { kinds += (1...plan.alphabets[i].pageCount).map { .azIndex(i, $0, 0) } }
            kinds += pages.entities.indices.map { .entity(i, $0) }
        }
        // The other languages: home, tags and the listings of pages made from data.
        for l in plan.languages.indices.dropFirst() {
            kinds.append(.home(l))
            if optional.contains("tags"), !plan.tags(l).isEmpty { kinds.append(.tags(l)) }
            if optional.contains("tag") { kinds += plan.tags(l).indices.map { .tag(l, $0) } }
            for (i, pages) in plan.dataPages.enumerated() {
                kinds += (1...pages.pageCount).map { .entityList(i, $0, l) }
                if plan.alphabets.indices.contains(i) { kinds += (1...plan.alphabets[i].pageCount).map { .azIndex(i, $0, l) } }
            }
        }
        return kinds
    }

    /// Renders every page and hands each to `body` as soon as it is rendered, on all cores; the
    /// results come back in the order of ``kinds()``. With a cache, a page whose signature is
    /// unchanged is not rendered again: `body` gets the cached page and `fresh` false.
    func renderEach<T>(_ body: @Sendable ((page: RenderedPage, fresh: Bool)) -> T) -> [T] {
        let (context, byName, usages) = setup()
        let list = pageList()
        guard let cache else {
            return parallelMapCoveringWaits(list.kinds) {
                body((render($0, context: context, datasets: byName, usage: usages[template(of: $0)]), true))
            }
        }
        let shared = sharedSignatures(optional: context.optionalPages)
        cache.lastShared = shared
        let known = cache.pages.all()
        let results = parallelMap(Array(list.kinds.indices)) { i -> T in
            let kind = list.kinds[i]
            let path = list.paths[i]
            let usage = usages[template(of: kind)]
            let key = signature(kind, path: path, usage: usage, shared: shared)
            if let (cached, page) = known[path], cached == key {
                // The article's place in the list may have moved; its page has not changed.
                if case .article(let i) = kind, page.article != i { return body((page.with(article: i), false)) }
                return body((page, false))
            }
            let page = render(kind, context: context, datasets: byName, usage: usage).with(signature: key)
            if !page.problems.contains(where: { $0.severity == .error }) { cache.pages.set(path, (key, page)) }
            return body((page, true))
        }
        cache.pages.retain(Set(list.paths))
        return results
    }

    /// One article's page, as ``renderEach(_:)`` would render it when nothing it lists changed:
    /// `shared` comes from the build that rendered the rest.
    func renderArticle(_ i: Int, shared: Shared) -> RenderedPage {
        let context = PageContext(config: config, datasets: datasets, plan: plan, optionalPages: optionalPages)
        let usage = templates.usage(of: "article")
        let key = signature(.article(i), path: path(of: .article(i)), usage: usage, shared: shared)
        let byName = Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) })
        return render(.article(i), context: context, datasets: byName, usage: usage).with(signature: key)
    }

    /// The language a page belongs to (index into the plan's languages): an article's own,
    /// a language's home and tag pages theirs, and the default for pages shared by all.
    func language(of kind: Kind) -> Int {
        switch kind {
        case .home(let l), .tags(let l), .tag(let l, _), .entityList(_, _, let l), .azIndex(_, _, let l): return l
        case .article(let i): return plan.language(ofArticle: i)
        default: return 0
        }
    }

    /// The same page in each language that has it, the page itself included, by language:
    /// every language's home, its tag index, a tag of the same page name, an article's
    /// translations. Empty on a site of one language.
    func alternates(of kind: Kind) -> [(language: Int, path: String, title: String?)] {
        guard plan.languages.count > 1 else { return [] }
        switch kind {
        case .home: return plan.languages.indices.map { ($0, plan.languages[$0].prefix + "index.html", nil) }
        case .tags:
            guard optionalPages.contains("tags") else { return [] }
            return plan.languages.indices.filter { !plan.tags($0).isEmpty }.map {
                ($0, plan.languages[$0].prefix + PageContext.tagsPath, nil)
            }
        case .tag(let l, let i):
            let slug = plan.tags(l)[i].slug
            return plan.languages.indices.compactMap { other in
                plan.tags(other).first { $0.slug == slug }.map {
                    (other, plan.languages[other].prefix + PageContext.tagPath($0), $0.name)
                }
            }
        case .entityList(let i, let n, _):
            return plan.languages.indices.map { ($0, plan.languages[$0].prefix + plan.dataPages[i].listPath(page: n), nil) }
        case .azIndex(let i, let n, _):
            return plan.languages.indices.map { ($0, plan.languages[$0].prefix + plan.dataPages[i].azPath(page: n), nil) }
        case .article(let i):
            return plan.translations(ofArticle: i).map {
                ($0.language, PageContext.articlePath(plan.articles[$0.article]), plan.articles[$0.article].title)
            }
        default: return []
        }
    }

    /// `translations`: the page in each language, for `hreflang` links and a language switcher:
    /// language code, its name in that language, the URL from this page, the absolute URL when
    /// the site has a base URL, the page's title in that language, and whether it is this page.
    func translations(of kind: Kind, from root: String) -> [[String: Any]] {
        let own = path(of: kind)
        return alternates(of: kind).map { language, path, title in
            let code = plan.languages[language].code
            var entry: [String: Any] = [
                "language": code, "name": SiteConfig.nativeNames[code] ?? code,
                "url": root + path, "current": path == own, "default": language == 0,
            ]
            entry["href"] = config.baseURL.map { $0 + (path.hasSuffix("index.html") ? String(path.dropLast(10)) : path) } ?? root + path
            entry["title"] = title
            return entry
        }
    }

    func template(of kind: Kind) -> String {
        switch kind {
        case .home: return "home"
        case .article: return "article"
        case .tags: return "tags"
        case .tag: return "tag"
        case .authors: return "authors"
        case .author: return "author"
        case .data: return "sources"
        case .search: return "search"
        case .notFound: return "404"
        case .entity(let i, _): return plan.dataPages[i].spec.template
        case .entityList(let i, _, _): return plan.dataPages[i].spec.listTemplate
        case .azIndex: return "az"
        }
    }

    func path(of kind: Kind) -> String {
        switch kind {
        case .home(let l): return plan.languages[l].prefix + "index.html"
        case .article(let i): return PageContext.articlePath(plan.articles[i])
        case .tags(let l): return plan.languages[l].prefix + PageContext.tagsPath
        case .tag(let l, let i): return plan.languages[l].prefix + PageContext.tagPath(plan.tags(l)[i])
        case .authors: return PageContext.authorsPath
        case .author(let i): return PageContext.authorPath(plan.authors[i])
        case .data: return PageContext.dataPath
        case .search: return "search/index.html"
        case .notFound: return PageContext.notFoundPath
        case .entity(let i, let j): return plan.dataPages[i].entityPath(plan.dataPages[i].entities[j])
        case .entityList(let i, let n, let l): return plan.languages[l].prefix + plan.dataPages[i].listPath(page: n)
        case .azIndex(let i, let n, let l): return plan.languages[l].prefix + plan.dataPages[i].azPath(page: n)
        }
    }

    /// Signatures every page may depend on, computed once per build.
    struct Shared {
        var site: Int
        var summaries: Int
        var datasets: Int
        var byName: [String: Int]
    }

    func sharedSignatures(optional: Set<String>) -> Shared {
        var site = Hasher()
        site.combine(config.signature)
        site.combine(config.format.words)
        // Every language's words (`Templates/i18n/*.yml`): a Russian page reads the Russian file.
        site.combine(templates.interface)
        site.combine(optional.sorted())
        site.combine(plan.tags.isEmpty)
        site.combine(plan.authors.count)
        for pages in plan.dataPages {
            site.combine(pages.spec.folder)
            site.combine(pages.spec.listTitle)
        }
        var summaries = Hasher()
        for article in plan.articles { summaries.combine(article.summarySignature) }
        var data = Hasher()
        for dataset in datasets { data.combine(dataset.signature) }
        return Shared(
            site: site.finalize(), summaries: summaries.finalize(), datasets: data.finalize(),
            byName: Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0.signature) }))
    }

    /// Everything a page shows: if this is unchanged, so is the page.
    func signature(_ kind: Kind, path: String, usage: TemplateSet.Usage?, shared: Shared) -> Int {
        var hasher = Hasher()
        hasher.combine(path)
        hasher.combine(shared.site)
        hasher.combine(usage?.signature)
        if usage?.articles ?? true { hasher.combine(shared.summaries) }
        let byName = shared.byName
        if usage?.data ?? true || usage?.chartsFigures == true {
            // Named figures may read any dataset.
            hasher.combine(shared.datasets)
            if usage?.chartsFigures == true {
                for (name, definition) in (figures?.named ?? [:]).sorted(by: { $0.key < $1.key }) {
                    hasher.combine(name)
                    hasher.combine(definition.description)
                }
            }
        } else {
            for name in (usage?.chartData ?? []).sorted() { hasher.combine(byName[name]) }
        }
        // The same page in other languages: its `hreflang` links and language switcher.
        for (_, path, title) in alternates(of: kind) {
            hasher.combine(path)
            hasher.combine(title)
        }
        switch kind {
        case .home, .notFound: break
        case .article(let i):
            let article = plan.articles[i]
            hasher.combine(article.fullSignature)
            hasher.combine(markdown[i].signature)
            for chart in charts[i].charts { hasher.combine(chart.html) }
            let (newer, older) = plan.neighbours(ofArticle: i)
            for neighbour in [newer, older].compactMap({ $0 }) + plan.related[i] where plan.articles.indices.contains(neighbour) {
                hasher.combine(plan.articles[neighbour].summarySignature)
            }
            for table in article.tables { hasher.combine(byName[table]) }
        case .tags(let l):
            for entry in plan.tags(l) {
                hasher.combine(entry.name)
                hasher.combine(entry.articles.count + entry.dataPages.count)
            }
        case .authors: for entry in plan.authors { hasher.combine(entry.name); hasher.combine(entry.articles.count) }
        case .tag(let l, let i): taxonomy(plan.tags(l)[i], into: &hasher)
        case .author(let i): taxonomy(plan.authors[i], into: &hasher)
        case .data: hasher.combine(shared.datasets)
        case .search:
            hasher.combine(config.search)
            for pages in plan.dataPages {
                hasher.combine(pages.spec.folder)
                hasher.combine(pages.spec.listTitle)
                hasher.combine(pages.entities.count)
            }
            // Each section's initials, and the A–Z page where each begins.
            for alphabet in plan.alphabets {
                for letter in alphabet.letters { hasher.combine(letter.anchor); hasher.combine(letter.start / Alphabet.pageSize) }
            }
        case .entity(let i, let j):
            let pages = plan.dataPages[i]
            hasher.combine(pages.spec.signature)
            hasher.combine(pages.signature(of: pages.entities[j]))
            // A page whose charts read only its own rows changes only with them (and with the
            // dataset's columns and metadata); otherwise with any row.
            if usage?.chartsKeyedToPage == true {
                hasher.combine(pages.schemaSignature)
            } else {
                hasher.combine(byName[pages.dataset.name])
            }
        case .entityList(let i, let n, _), .azIndex(let i, let n, _):
            let pages = plan.dataPages[i]
            hasher.combine(pages.spec.signature)
            hasher.combine(n)
            if case .azIndex = kind { hasher.combine("a-z") }
            hasher.combine(pages.entities.count)
            for entity in pages.entities {
                hasher.combine(entity.slug)
                hasher.combine(entity.title)
                hasher.combine(entity.rows.count)
            }
        }
        return hasher.finalize()
    }

    private func taxonomy(_ entry: TaxonomyEntry, into hasher: inout Hasher) {
        hasher.combine(entry.name)
        hasher.combine(entry.slug)
        for i in entry.articles { hasher.combine(plan.articles[i].summarySignature) }
        for (i, j) in entry.dataPages {
            hasher.combine(plan.dataPages[i].spec.folder)
            hasher.combine(plan.dataPages[i].entities[j].slug)
            hasher.combine(plan.dataPages[i].entities[j].title)
        }
    }

    private func render(
        _ kind: Kind, context: PageContext, datasets byName: [String: Dataset], usage: TemplateSet.Usage?
    ) -> RenderedPage {
        let path: String
        let template: String
        var root: String?
        switch kind {
        case .home, .tags, .tag: (path, template) = (self.path(of: kind), self.template(of: kind))
        case .article(let i): (path, template) = (PageContext.articlePath(plan.articles[i]), "article")
        case .authors: (path, template) = (PageContext.authorsPath, "authors")
        case .author(let i): (path, template) = (PageContext.authorPath(plan.authors[i]), "author")
        case .data: (path, template) = (PageContext.dataPath, "sources")
        case .search: (path, template) = ("search/index.html", "search")
        case .notFound:
            (path, template) = (PageContext.notFoundPath, "404")
            // Served for any missing address at any depth: links must not depend on where.
            root = config.baseURL ?? "/"
        case .entity, .entityList, .azIndex: (path, template) = (self.path(of: kind), self.template(of: kind))
        }
        // A page in another language than the site's is written in its own.
        let languageIndex = self.language(of: kind)
        var language: String? = languageIndex > 0 ? plan.languages[languageIndex].code : nil
        if case .article(let i) = kind { language = plan.articles[i].lang }
        let context = context.inLanguage(language)
        let listed =
            context.languageArticles.indices.contains(languageIndex) ? context.languageArticles[languageIndex] : plan.articles
        var ctx = context.base(pagePath: path, articles: listed, root: root, usage: usage, language: languageIndex)
        let translations = translations(of: kind, from: PageContext.root(forPage: path))
        if translations.count > 1 {
            ctx["translations"] = translations
            ctx["has_translations"] = true
            ctx["x_default"] = translations[0]["href"]
        }
        let pageRoot = ctx["root"] as! String
        let pageID: String
        var usedNames: Set<String> = []
        var content: String?
        var articleIndex: Int?
        var variables: [String: String] = [:]
        switch kind {
        case .home(let l): pageID = l == 0 ? "home" : "home-" + plan.languages[l].code
        case .article(let i):
            articleIndex = i
            var rendered = markdown[i]
            for (n, chart) in charts[i].charts.enumerated() {
                rendered.html = rendered.html.replacingOccurrences(
                    of: RenderedMarkdown.placeholder(forChart: n), with: chart.html)
            }
            content = rendered.html
            var page = context.article(i, rendered: rendered, root: pageRoot, usage: usage)
            // `page.translations`: the article in each language it is written in.
            if translations.count > 1 { page["translations"] = translations }
            ctx["page"] = page
            ctx["og_type"] = "article"
            pageID = charts[i].page.pageID
            usedNames = charts[i].page.csvNames
        case .tags(let l):
            let prefix = plan.languages[l].prefix
            ctx["tags"] = context.tagList(plan.tags(l), root: pageRoot) { prefix + PageContext.tagPath($0) }
            pageID = "tags"
        case .tag(let l, let i):
            ctx["tag"] = context.taxonomyPage(plan.tags(l)[i], root: pageRoot, usage: usage)
            pageID = "tag-" + plan.tags(l)[i].slug
        case .authors:
            ctx["authors"] = context.tagList(plan.authors, root: pageRoot, path: PageContext.authorPath)
            pageID = "authors"
        case .author(let i):
            ctx["author"] = context.taxonomyPage(plan.authors[i], root: pageRoot, usage: usage)
            pageID = "author-" + plan.authors[i].slug
        case .search:
            // The index's folder, and, for readers without script, each section's listing.
            ctx["search"] = [
                "index_url": pageRoot + "search/index.json",
                "script_url": pageRoot + "search/search.js",
                "sections": plan.dataPages.indices.filter {
                    config.search?.sections?.contains(plan.dataPages[$0].spec.folder) ?? true
                }.map { i -> [String: Any] in
                    let pages = plan.dataPages[i]
                    var section: [String: Any] = [
                        "title": pages.spec.listTitle, "url": pageRoot + pages.listPath(page: 1), "count": pages.entities.count,
                    ]
                    // Each initial, linked to the A–Z page where its names begin.
                    if plan.alphabets.indices.contains(i) {
                        section["az_url"] = pageRoot + pages.azPath(page: 1)
                        section["letters"] = context.azLetters(pages, alphabet: plan.alphabets[i], root: pageRoot, prefix: "")
                    }
                    return section
                },
            ] as [String: Any]
            pageID = "search"
        case .data:
            ctx["datasets"] = context.dataPage(datasets, root: pageRoot)
            pageID = "data"
        case .notFound: pageID = "not-found"
        case .entity(let i, let j):
            let pages = plan.dataPages[i]
            let entity = pages.entities[j]
            ctx["entity"] = context.entity(entity, of: pages, root: pageRoot, usage: usage)
            ctx["og_type"] = "article"
            variables["key"] = entity.key.plainText
            variables["column"] = pages.spec.key ?? ""
            variables["data"] = pages.dataset.name
            pageID = ChartStage.pageID(pages.spec.folder + "/" + entity.slug)
        case .entityList(let i, let n, let l):
            var listing = context.listing(plan.dataPages[i], page: n, root: pageRoot, prefix: plan.languages[l].prefix)
            if plan.alphabets.indices.contains(i) {
                listing["az_url"] = pageRoot + plan.languages[l].prefix + plan.dataPages[i].azPath(page: 1)
            }
            ctx["listing"] = listing
            pageID = ChartStage.pageID(plan.dataPages[i].spec.folder) + "-page-\(n)"
        case .azIndex(let i, let n, let l):
            ctx["az"] = context.azPage(
                plan.dataPages[i], alphabet: plan.alphabets[i], page: n, root: pageRoot, prefix: plan.languages[l].prefix)
            pageID = ChartStage.pageID(plan.dataPages[i].spec.folder) + "-a-z-\(n)"
        }
        let pageCharts = PageCharts(
            pageID: pageID, datasets: byName, config: config.inLanguage(language), idPrefix: "t", usedNames: usedNames,
            figures: figures)
        if templates.names.contains("sources") { pageCharts.dataPageRoot = pageRoot }
        if case .entity(let i, let j) = kind, let column = plan.dataPages[i].spec.key {
            let pages = plan.dataPages[i]
            pageCharts.rowHint = ChartData.RowHint(
                dataset: pages.dataset.name, column: column, key: pages.entities[j].key.plainText,
                rows: pages.entities[j].rows)
        }
        let templateCharts = TemplateCharts(
            charts: pageCharts,
            templatePath: "Templates/\(template).mustache", variables: variables, specs: context.templateSpecs,
            locate: { [templates] spec in templates.locate(chartSpec: spec, from: template) })
        ctx["chart"] = templateCharts.section
        let html = templates.renderBytes(template, ctx)
        let folder = LinkResolver.folder(of: path)
        let origin = articleIndex.map { plan.articles[$0].sourcePath } ?? "Templates/\(template).mustache"
        let chartFiles = ((articleIndex.map { charts[$0].charts } ?? []) + templateCharts.charts.charts).map {
            OutputFile(path: folder + $0.csvName, text: $0.csv, origin: origin)
        }
        return RenderedPage(
            path: path, bytes: html, template: "Templates/\(template).mustache", article: articleIndex,
            files: chartFiles,
            problems: templateCharts.problems, content: content)
    }
}
