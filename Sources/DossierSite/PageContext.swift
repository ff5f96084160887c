import Foundation

/// Builds the dictionaries templates are rendered with. Templates get dictionaries, not structs:
/// swift-mustache reads them about three times faster than reflected structs.
struct PageContext {
    let config: SiteConfig
    private var contexts: DatasetContexts
    /// `data.NAME` for pages in each other language (their dates and numbers), built lazily.
    private let otherContexts: [String: DatasetContexts]
    /// Chart specs of templates, parsed once per build.
    let templateSpecs: TemplateSpecs
    private(set) var format: NumberFormat
    let plan: SitePlan
    /// Which optional pages this build writes, by template name (`tags`, `sources`, `404`…).
    let optionalPages: Set<String>
    /// The page name of each tag and author, made once: slugging them for every listing entry
    /// of every page was a tenth of the pages step.
    private let slugs: [String: String]
    /// `t`: the interface words of the site's language, for `{{t.KEY}}` (counted keys as
    /// `{{t.KEY.one}}`…), made once.
    private(set) var words: [String: Any]
    /// Each language's articles, newest first, for its listings: made once, not per page.
    let languageArticles: [[Article]]
    /// `t` of each other language pages are written in.
    private let otherWords: [String: [String: Any]]

    init(config: SiteConfig, datasets: [Dataset], plan: SitePlan, optionalPages: Set<String>) {
        self.config = config
        self.format = config.format
        self.plan = plan
        self.optionalPages = optionalPages
        self.contexts = DatasetContexts(datasets: datasets, format: config.format)
        self.otherContexts = config.languageFormats.mapValues { DatasetContexts(datasets: datasets, format: $0) }
        self.templateSpecs = TemplateSpecs()
        var slugs: [String: String] = [:]
        for entry in plan.tags + plan.authors { slugs[entry.name] = entry.slug }
        self.slugs = slugs
        self.words = PageContext.templateWords(config.format.words)
        self.languageArticles =
            plan.languages.count > 1 ? plan.languages.map { $0.articles.map { plan.articles[$0] } } : [plan.articles]
        self.otherWords = config.languageFormats.mapValues { PageContext.templateWords($0.words) }
    }

    /// Words as templates read them: counted keys (`lots.one`) as a mapping (`t.lots.one`).
    static func templateWords(_ source: Words) -> [String: Any] {
        var words: [String: Any] = [:]
        for (key, text) in source.table.sorted(by: { $0.key < $1.key }) {
            if let dot = key.firstIndex(of: ".") {
                var forms = words[String(key[..<dot])] as? [String: Any] ?? [:]
                forms[String(key[key.index(after: dot)...])] = text
                words[String(key[..<dot])] = forms
            } else {
                words[key] = text
            }
        }
        return words
    }

    /// The same context for a page in `language` (an article's `lang:`): its numbers, dates
    /// and words.
    func inLanguage(_ language: String?) -> PageContext {
        guard let language, language != config.language, let words = otherWords[language] else { return self }
        var copy = self
        copy.format = config.format(for: language)
        copy.words = words
        if let contexts = otherContexts[language] { copy.contexts = contexts }
        return copy
    }

    func slug(_ name: String) -> String { slugs[name] ?? Slug.make(name, scheme: config.slugs) }

    /// `tag_links`: each tag's name, and its page's address when the site has tag pages.
    func tagLinks(_ names: [String], root: String) -> [[String: Any]] {
        let tagPages = optionalPages.contains("tag")
        return names.map { name in
            var link: [String: Any] = ["name": name]
            if tagPages { link["url"] = root + "tags/\(slug(name))/index.html" }
            return link
        }
    }

    /// `data.NAME` of every dataset, built on first use: most pages never read it.
    var datasets: [String: [String: Any]] { contexts.all() }

    func dataset(named name: String) -> [String: Any]? { contexts.get(name) }

    static func tagPath(_ entry: TaxonomyEntry) -> String { "tags/\(entry.slug)/index.html" }
    static func authorPath(_ entry: TaxonomyEntry) -> String { "authors/\(entry.slug)/index.html" }
    static let tagsPath = "tags/index.html"
    static let authorsPath = "authors/index.html"
    static let dataPath = "data/index.html"
    static let notFoundPath = "404.html"

    /// The address of a page when the site has a base URL: `https://host/x/tenders/`.
    func canonical(_ path: String) -> String? {
        guard let base = config.baseURL else { return nil }
        return base + (path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path)
    }

    static func root(forPage path: String) -> String { PagePath.root(forPage: path) }

    static func articlePath(_ article: Article) -> String { PagePath.of(article) }

    /// The variables every page has: `site`, `data`, `root`, `articles`, `generator`, links to
    /// the site's shared pages, and what the page's `<head>` needs.
    func base(
        pagePath: String, articles: [Article], root fixedRoot: String? = nil, usage: TemplateSet.Usage? = nil,
        language: Int = 0
    )
        -> [String: Any]
    {
        let root = fixedRoot ?? PageContext.root(forPage: pagePath)
        // A language's own pages: its home, tag index and feed under its folder.
        let prefix = plan.languages.indices.contains(language) ? plan.languages[language].prefix : ""
        // The site's title and description in the page's language: `site_title` and
        // `site_description` of Templates/i18n/LANG.yml, else site.yml's.
        let table = format.words.table
        var site: [String: Any] = [
            "title": table["site_title"] ?? config.title, "description": table["site_description"] ?? config.description,
            "language": format.language, "default_language": config.language,
        ]
        if config.languages.count > 1 {
            site["languages"] = plan.languages.enumerated().map { l, entry -> [String: Any] in
                [
                    "language": entry.code, "name": SiteConfig.nativeNames[entry.code] ?? entry.code,
                    "url": root + entry.prefix + "index.html", "current": l == language,
                ]
            }
        }
        site["author"] = config.author
        site["base_url"] = config.baseURL
        if !config.params.isEmpty { site["params"] = Value.object(config.params).templateValue(format: format) }
        var context: [String: Any] = [
            "site": site,
            "root": root,
            "generator": "Dossier",
            "home_url": root + prefix + "index.html",
            "page_path": pagePath,
            "og_type": "website",
            "t": self.words,
        ]
        // Only what the page's templates read, so a page's cache key names all it depends on.
        if usage?.data ?? true { context["data"] = datasets }
        if usage?.articles ?? true { context["articles"] = articles.map { summary($0.listing, root: root, usage: usage) } }
        context["canonical"] = canonical(pagePath)
        // The listings of pages made from data (shared by every language), for navigation.
        context["sections"] = plan.dataPages.map {
            ["title": listTitle($0), "url": root + prefix + $0.listPath(page: 1)] as [String: Any]
        }
        if config.feedEntries != nil { context["feed_url"] = root + prefix + "feed.xml" }
        if optionalPages.contains("tags") && !plan.tags(language).isEmpty {
            context["tags_url"] = root + prefix + PageContext.tagsPath
        }
        if optionalPages.contains("authors") && !plan.authors.isEmpty {
            context["authors_url"] = root + PageContext.authorsPath
        }
        if optionalPages.contains("sources") { context["data_url"] = root + PageContext.dataPath }
        if optionalPages.contains("search"), config.search != nil { context["search_url"] = root + "search/index.html" }
        return context
    }

    /// `tags`: every tag with its page and count, for the tags page and for templates.
    func tagList(_ entries: [TaxonomyEntry], root: String, path: (TaxonomyEntry) -> String) -> [[String: Any]] {
        entries.map {
            [
                "name": $0.name, "slug": $0.slug, "url": root + path($0),
                "count": $0.articles.count + $0.dataPages.count,
            ] as [String: Any]
        }
    }

    /// The page of one tag or author: its name and its articles, newest first.
    func taxonomyPage(_ entry: TaxonomyEntry, root: String, usage: TemplateSet.Usage? = nil) -> [String: Any] {
        let pages = entry.dataPages.map { (i, j) -> [String: Any] in
            let set = plan.dataPages[i]
            let entity = set.entities[j]
            return [
                "title": entity.title, "url": root + set.entityPath(entity), "section": set.spec.listTitle,
                "count": entity.rows.count, "one": entity.rows.count == 1,
            ].merging(PageContext.plural(entity.rows.count, language: format.language)) { $1 }
        }
        return [
            "name": entry.name, "slug": entry.slug, "count": entry.articles.count,
            "heading": format.words.text("tagged_title", ["name": entry.name]),
            "description": format.words.text("tagged_description", ["name": entry.name]),
            "articles": entry.articles.map { summary(plan.articles[$0].listing, root: root, usage: usage) },
            "has_articles": !entry.articles.isEmpty,
            "pages": pages, "has_pages": !pages.isEmpty, "pages_count": pages.count,
        ]
    }

    /// `entity` on a page generated from data: its key and title, its rows (as `data.NAME` has
    /// them), the totals of its numeric columns, and the dataset it comes from.
    func entity(_ entity: DataEntity, of pages: DataPages, root: String, usage: TemplateSet.Usage? = nil)
        -> [String: Any]
    {
        var context = PageContext.dataset(pages.dataset, format: format, only: entity.rows, usage: usage)
        context["key"] = entity.key.templateValue(format: format)
        context["title"] = entity.title
        context["slug"] = entity.slug
        context.merge(PageContext.plural(entity.rows.count, language: format.language)) { $1 }
        context["dataset_title"] = pages.dataset.meta.title ?? pages.dataset.name
        context["list_url"] = root + pages.spec.folder + "/index.html"
        context["tag_links"] = tagLinks(entity.tags, root: root)
        context["has_tags"] = !entity.tags.isEmpty
        (context["totals"], context["totals_list"]) = totals(of: entity.rows, in: pages)
        return context
    }

    /// Each numeric column's total over `rows`, by column name, and listed.
    func totals(of rows: [Int], in pages: DataPages) -> (byName: [String: Any], list: [[String: Any]]) {
        var totals: [String: Any] = [:]
        var list: [[String: Any]] = []
        for (c, column) in pages.dataset.columns.enumerated()
        where column.isNumeric && format.defaultTransform(unit: column.unit, columnName: column.name) != "raw" {
            guard let sum = pages.dataset.data[c].sum(at: rows) else { continue }
            let total = TemplateNumber(sum, unit: column.unit, column: column.name, decimals: column.decimals, format: format)
            totals[column.name] = total
            list.append(["label": column.label, "name": column.name, "value": total])
        }
        return (totals, list)
    }

    /// `listing` on a listing page of generated pages: one page of entries, with links to the
    /// other pages.
    /// A listing's title in the page's language: `list_title_FOLDER` of its words, else the
    /// `_pages.yml`'s `list_title`.
    func listTitle(_ pages: DataPages) -> String {
        // `/` and `-` made `_` as bytes: Foundation's replacing, on every page, showed in profiles.
        let folder = String(decoding: pages.spec.folder.utf8.map { $0 == 0x2F || $0 == 0x2D ? 0x5F : $0 }, as: UTF8.self)
        return format.words.table["list_title_" + folder] ?? pages.spec.listTitle
    }

    func listing(_ pages: DataPages, page: Int, root: String, prefix: String = "") -> [String: Any] {
        let size = pages.spec.pageSize
        let slice = pages.entities[
            min(pages.entities.count, (page - 1) * size)..<min(pages.entities.count, page * size)]
        var context: [String: Any] = [
            "title": listTitle(pages),
            "entities": slice.map { entity in
                var entry: [String: Any] = [
                    "title": entity.title, "url": root + pages.entityPath(entity), "count": entity.rows.count,
                ]
                entry.merge(PageContext.plural(entity.rows.count, language: format.language)) { $1 }
                (entry["totals"], entry["totals_list"]) = totals(of: entity.rows, in: pages)
                return entry
            },
        ]
        let place = pagination(page: page, of: pages.pageCount, total: pages.entities.count) {
            root + prefix + pages.listPath(page: $0)
        }
        context.merge(place) { $1 }
        return context
    }

    /// What listings and A–Z pages say of their place: `page`, `pages`, `total`, `paginated`,
    /// `page_links` (``pageWindow(_:of:)``), `previous_url`, `next_url`, `total_text` and `page_of`.
    func pagination(page: Int, of count: Int, total: Int, url: (Int) -> String) -> [String: Any] {
        var context: [String: Any] = [
            "page": page, "pages": count, "total": total, "paginated": count > 1,
            "page_links": PageContext.pageWindow(page, of: count).map { number, gap in
                ["number": number, "url": url(number), "current": number == page, "gap_before": gap] as [String: Any]
            },
            "total_text": format.words.text("listing_total", ["n": format.grouped(Decimal(total))]),
            "page_of": format.words.text("page_of", ["page": String(page), "pages": String(count)]),
        ]
        if page > 1 { context["previous_url"] = url(page - 1) }
        if page < count { context["next_url"] = url(page + 1) }
        return context
    }

    /// Which plural form a count takes in the page's language (CLDR's cardinal rules for
    /// English, Russian and Kazakh), for templates: `count_one`, `count_few`, `count_many`,
    /// `count_other`, and `one` (exactly one) as before.
    package static func plural(_ n: Int, language: String) -> [String: Any] {
        var category = "other"
        switch language {
        case "ru":
            let (mod10, mod100) = (n % 10, n % 100)
            if mod10 == 1 && mod100 != 11 {
                category = "one"
            } else if (2...4).contains(mod10) && !(12...14).contains(mod100) {
                category = "few"
            } else {
                category = "many"
            }
        default: category = n == 1 ? "one" : "other"
        }
        return [
            "one": n == 1, "count_one": category == "one", "count_few": category == "few",
            "count_many": category == "many", "count_other": category == "other",
        ]
    }

    /// `az.letters` and the search page's `letters`: each initial of a set of generated pages,
    /// linked to the A–Z page and anchor where its names begin.
    func azLetters(_ pages: DataPages, alphabet: Alphabet, root: String, prefix: String, page: Int? = nil) -> [[String: Any]] {
        alphabet.letters.map { letter in
            let on = Alphabet.page(ofPosition: letter.start)
            let url = (on == page ? "" : root + prefix + pages.azPath(page: on)) + "#az-" + letter.anchor
            return ["label": letter.label, "url": url, "anchor": "az-" + letter.anchor]
        }
    }

    /// `az`: page `page` of the A–Z pages of a set of generated pages: its title, the initials
    /// (``azLetters(_:alphabet:root:prefix:page:)``), the page's names grouped by initial (a group
    /// begun on an earlier page says so with `continued`), and pagination as on listings.
    func azPage(_ pages: DataPages, alphabet: Alphabet, page: Int, root: String, prefix: String) -> [String: Any] {
        let range = min(alphabet.order.count, (page - 1) * Alphabet.pageSize)..<min(alphabet.order.count, page * Alphabet.pageSize)
        var groups: [[String: Any]] = []
        for (n, letter) in alphabet.letters.enumerated() {
            let end = n + 1 < alphabet.letters.count ? alphabet.letters[n + 1].start : alphabet.order.count
            let (first, last) = (max(letter.start, range.lowerBound), min(end, range.upperBound))
            guard first < last else { continue }
            groups.append([
                "label": letter.label, "anchor": "az-" + letter.anchor, "continued": letter.start < range.lowerBound,
                "entities": (first..<last).map { position -> [String: Any] in
                    let entity = pages.entities[alphabet.order[position]]
                    return ["title": entity.title, "url": root + pages.entityPath(entity), "count": entity.rows.count]
                },
            ])
        }
        var context: [String: Any] = [
            "title": listTitle(pages), "listing_url": root + prefix + pages.listPath(page: 1),
            "letters": azLetters(pages, alphabet: alphabet, root: root, prefix: prefix, page: page), "groups": groups,
        ]
        let place = pagination(page: page, of: alphabet.pageCount, total: pages.entities.count) {
            root + prefix + pages.azPath(page: $0)
        }
        context.merge(place) { $1 }
        return context
    }

    /// The page numbers a listing page links to: every page when there are at most nine;
    /// otherwise the first, the last and two either side of `page`, each marked when pages
    /// were skipped before it (for an ellipsis). Linking every page from every page made the
    /// 1,000 listing pages of 100,000 entities a million links.
    static func pageWindow(_ page: Int, of count: Int) -> [(number: Int, gapBefore: Bool)] {
        let numbers =
            count <= 9
            ? Array(1...max(1, count))
            : Array(Set([1, count] + ((page - 2)...(page + 2)).filter { (1...count).contains($0) })).sorted()
        var previous = 0
        return numbers.map { number in
            defer { previous = number }
            return (number, number > previous + 1)
        }
    }

    /// Where the copy of one file of a many-file dataset is published: `data/NAME/FILE`.
    package static func dataFilePath(_ dataset: Dataset, _ file: DatasetFile) -> String {
        let label = file.label.hasPrefix(dataset.name + "/") ? String(file.label.dropFirst(dataset.name.count + 1)) : file.label
        return "data/\(dataset.name)/" + label
    }

    /// `datasets` on the data-and-sources page: each dataset's metadata, schema and file.
    func dataPage(_ datasets: [Dataset], root: String) -> [[String: Any]] {
        datasets.map { dataset in
            // Metadata and columns only: building every row's context to drop it took seconds
            // and gigabytes for a million-row dataset.
            var entry = PageContext.dataset(dataset, format: format, only: [])
            entry["count"] = TemplateNumber(Decimal(dataset.rowCount), unit: nil, format: format)
            entry["one_row"] = dataset.rowCount == 1
            entry["rows"] = nil
            entry["table"] = nil
            entry["row_sources"] = nil
            entry["has_row_sources"] = nil
            let file = "data/" + SafeURL.pathSegment(dataset.sourceURL?.lastPathComponent ?? dataset.name)
            entry["file_url"] = root + file
            entry["file_name"] = dataset.sourceURL?.lastPathComponent ?? dataset.name
            entry["sha256"] = dataset.sha256
            entry["size"] = TemplateNumber(Decimal(dataset.byteCount), unit: nil, format: format)
            entry["has_schema"] = dataset.hasSchema
            entry["skipped"] = TemplateNumber(Decimal(dataset.skippedRows), unit: nil, format: format)
            entry["has_skipped"] = dataset.skippedRows > 0
            entry["one_skipped"] = dataset.skippedRows == 1
            let notData = dataset.files.reduce(0) { $0 + $1.notData }
            entry["not_data"] = TemplateNumber(Decimal(notData), unit: nil, format: format)
            entry["has_not_data"] = notData > 0
            entry["one_not_data"] = notData == 1
            entry["many_files"] = dataset.sourceURL == nil && !dataset.files.isEmpty
            entry["files"] = dataset.files.map { file -> [String: Any] in
                let path = dataset.sourceURL == nil ? PageContext.dataFilePath(dataset, file) : file
                    .url.map { "data/" + $0.lastPathComponent } ?? "data/" + dataset.name
                return [
                    "name": file.label, "url": root + path.split(separator: "/").map { SafeURL.pathSegment(String($0)) }.joined(separator: "/"),
                    "size": TemplateNumber(Decimal(file.byteCount), unit: nil, format: format),
                    "sha256": file.sha256 as Any, "rows": TemplateNumber(Decimal(file.rows), unit: nil, format: format),
                    "one_row": file.rows == 1, "skipped": TemplateNumber(Decimal(file.skipped), unit: nil, format: format),
                    "has_skipped": file.skipped > 0, "one_skipped": file.skipped == 1,
                    "not_data": TemplateNumber(Decimal(file.notData), unit: nil, format: format),
                    "has_not_data": file.notData > 0, "one_not_data": file.notData == 1,
                ]
            }
            return entry
        }
    }

    /// What a listing needs of an article: made from its ``ArticleListing`` alone, whose hash
    /// is the signature that listing pages are re-rendered on (with the site's settings).
    /// Links to author and tag pages are left out when no template reads them (`usage`).
    func summary(_ article: ArticleListing, root: String, usage: TemplateSet.Usage? = nil) -> [String: Any] {
        let authors = article.authors.isEmpty ? (config.author.map { [$0] } ?? []) : article.authors
        let authorPages = optionalPages.contains("author") && !plan.authors.isEmpty
        var page: [String: Any] = [
            "title": article.title,
            "slug": article.slug,
            "url": root + PagePath.of(article),
            "date": TemplateDate(date: article.date, format: format),
            "authors": authors,
            "tags": article.tags,
            "has_tags": !article.tags.isEmpty,
            "draft": article.draft,
        ]
        if usage?.uses("author_links") ?? true {
            page["author_links"] = authors.map { name -> [String: Any] in
                var link: [String: Any] = ["name": name]
                if authorPages { link["url"] = root + "authors/\(slug(name))/index.html" }
                return link
            }
        }
        if usage?.uses("tag_links") ?? true {
            // An article's tags are those of its language: `ru/tags/…` for a Russian article.
            let first = article.slug.prefix { $0 != "/" }
            let prefix = first.count < article.slug.count && config.languages.dropFirst().contains(String(first)) ? first + "/" : ""
            page["tag_links"] = tagLinks(article.tags, root: root + prefix)
        }
        page["summary"] = article.summary
        page["updated"] = article.updated.map { TemplateDate(date: $0, format: format) }
        return page
    }

    /// The full `page` variable of an article page: the summary, the content, the table of
    /// contents, the neighbours in time and the related articles.
    /// What no template reads (`usage`) is left out: the neighbours, related articles and
    /// reading time cost more than the rest of a page of a large site.
    func article(_ index: Int, rendered: RenderedMarkdown, root: String, usage: TemplateSet.Usage? = nil)
        -> [String: Any]
    {
        func uses(_ key: String) -> Bool { usage?.uses(key) ?? true }
        let article = plan.articles[index]
        var page = summary(article.listing, root: root, usage: usage)
        // Articles are newest first: the next one is newer, the previous one older; on a site
        // of several languages, the neighbours in the article's own language.
        let (newer, older) = plan.neighbours(ofArticle: index)
        if let newer, uses("next") { page["next"] = summary(plan.articles[newer].listing, root: root, usage: usage) }
        if let older, uses("previous") {
            page["previous"] = summary(plan.articles[older].listing, root: root, usage: usage)
        }
        if uses("related") || uses("has_related") {
            let related = plan.related[index].map { summary(plan.articles[$0].listing, root: root, usage: usage) }
            page["related"] = related
            page["has_related"] = !related.isEmpty
        }
        page["content"] = rendered.html
        page["lang"] = article.lang ?? config.language
        let toc = rendered.headings.filter { $0.level >= 2 && $0.level <= 3 }
        page["toc"] = toc.map {
            ["level": $0.level, "id": $0.id, "text": $0.text, "sub": $0.level == 3] as [String: Any]
        }
        page["has_toc"] = toc.count >= 3
        if uses("reading_time") { page["reading_time"] = max(1, PageContext.wordCount(rendered.html) / 220) }
        page["tables"] = article.tables.compactMap { dataset(named: $0) }
        if !article.params.isEmpty { page["params"] = Value.object(article.params).templateValue(format: format) }
        return page
    }

    /// Words in HTML text, skipping tags.
    /// The words of the prose: text outside tags, leaving out charts (`<figure>`: their
    /// labels, notes and data tables are not read as prose).
    static func wordCount(_ html: String) -> Int {
        var html = html
        return html.withUTF8 { bytes in
            var count = 0
            var inTag = false
            var inWord = false
            let open = Array("<figure".utf8)
            let close = Array("</figure>".utf8)
            func starts(_ pattern: [UInt8], at i: Int) -> Bool {
                i + pattern.count <= bytes.count && (0..<pattern.count).allSatisfy { bytes[i + $0] == pattern[$0] }
            }
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 0x3C, starts(open, at: i) {
                    // Skip to the end of the figure.
                    var j = i + open.count
                    while j < bytes.count, !starts(close, at: j) { j += 1 }
                    i = j + close.count
                    inWord = false
                    continue
                }
                i += 1
                if byte == 0x3C { inTag = true; inWord = false; continue }
                if byte == 0x3E { inTag = false; continue }
                if inTag { continue }
                let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x09
                if !isSpace && !inWord { count += 1 }
                inWord = !isSpace
            }
            return count
        }
    }

    /// `data.NAME`: rows, columns, metadata and a ready-formatted table.
    ///
    /// `table.body` is the rows as HTML (`<tr><td>…</td></tr>`), what looping over `table.rows`
    /// and their `cells` writes, made without the template engine: for a long table the loop
    /// cost more than the rest of the page. The per-row dictionaries (`rows`, `table.rows`) are
    /// only built when some template reads them (`usage`).
    static func dataset(
        _ dataset: Dataset, format: NumberFormat, only rowIndices: [Int]? = nil, usage: TemplateSet.Usage? = nil
    ) -> [String: Any] {
        let columns = dataset.columns
        let wantsRows = usage?.uses("rows") ?? true
        let wantsCells = usage?.uses("cells") ?? true
        var rows: [[String: Any]] = []
        var tableRows: [[String: Any]] = []
        // The table's rows as HTML, written as bytes.
        var body: [UInt8] = []
        func put(_ text: StaticString) { text.withUTF8Buffer { body.append(contentsOf: $0) } }
        let selected = rowIndices ?? Array(0..<dataset.rowCount)
        rows.reserveCapacity(wantsRows ? selected.count : 0)
        // Each numeric column's transform, chosen once: a number's text is what
        // `TemplateNumber.renderText` gives, made without one when no template reads the rows.
        let transforms = columns.map { format.defaultTransform(unit: $0.unit, columnName: $0.name) }
        // What each cell needs of its column, taken out once (not a copy of the column per cell).
        let names = columns.map(\.name)
        let units = columns.map(\.unit)
        let decimals = columns.map(\.decimals)
        let numeric = columns.map(\.isNumeric)
        let sources = columns.map { $0.role == "source" }
        let data = dataset.data
        for r in selected {
            var dict: [String: Any] = [:]
            var cells: [[String: Any]] = []
            put("<tr>")
            for k in columns.indices {
                let value = data[k][r]
                let text: String
                switch value {
                case .integer, .number:
                    let decimal = value.decimal!
                    if wantsRows {
                        let number = TemplateNumber(
                            decimal, unit: units[k], column: names[k], decimals: decimals[k], format: format)
                        dict[names[k]] = number
                        text = number.renderText
                    } else {
                        text = format.apply(transforms[k], to: decimal, unit: units[k], decimals: decimals[k])
                            ?? DecimalText.plain(decimal)
                    }
                case .date(let date):
                    if wantsRows { dict[names[k]] = TemplateDate(date: date, format: format) }
                    text = format.shortDate(date)
                default:
                    if wantsRows {
                        dict[names[k]] = value.templateValue(
                            format: format, unit: units[k], column: names[k], decimals: decimals[k])
                    }
                    text = value.plainText
                }
                let url = sources[k] && SourceLink.isURL(text) ? text : nil
                if numeric[k] { put("<td class=\"num\">") } else { put("<td>") }
                if let url {
                    put("<a href=\"")
                    HTMLText.appendEscaped(url, to: &body)
                    put("\">")
                    HTMLText.appendEscaped(text, to: &body)
                    put("</a>")
                } else {
                    HTMLText.appendEscaped(text, to: &body)
                }
                put("</td>")
                if wantsCells {
                    // A cell without a link says so (NSNull reads as missing): otherwise each
                    // `url` lookup climbs every enclosing context.
                    cells.append(["text": text, "numeric": numeric[k], "url": url ?? NSNull()])
                }
            }
            put("</tr>\n")
            if wantsRows { rows.append(dict) }
            if wantsCells || wantsRows { tableRows.append(["cells": cells]) }
        }
        var source: [String: Any] = [:]
        source["name"] = dataset.meta.sourceName
        source["url"] = dataset.meta.sourceURL
        source["retrieved"] = dataset.meta.retrieved.map { TemplateDate(date: $0, format: format) }
        var meta: [String: Any] = ["title": dataset.meta.title ?? dataset.name]
        if !source.isEmpty { meta["source"] = source }
        meta["licence"] = dataset.meta.licence
        meta["notes"] = dataset.meta.notes
        let columnList: [[String: Any]] = columns.map {
            var c: [String: Any] = [
                "name": $0.name, "label": $0.label, "type": $0.type.rawValue, "numeric": $0.isNumeric,
            ]
            c["unit"] = $0.unit
            c["description"] = $0.description
            return c
        }
        let rowSources = dataset.rowSources(rowIndices ?? Array(0..<dataset.rowCount))
        var context: [String: Any] = [
            "name": dataset.name,
            "path": dataset.path,
            "title": dataset.meta.title ?? dataset.name,
            "meta": meta,
            "count": selected.count,
            "one_row": selected.count == 1,
            "columns": columnList,
            "rows": rows,
            "table": ["head": columnList, "rows": tableRows, "body": String(decoding: body, as: UTF8.self)],
            "has_row_sources": !rowSources.isEmpty,
            "row_sources": rowSources.map { text -> [String: Any] in
                var source: [String: Any] = ["text": SourceLink.label(text)]
                if SourceLink.isURL(text) { source["url"] = text }
                return source
            },
        ]
        // `(12 rows)`, `(12 строк)`: the count with its counted word in the page's language,
        // where a template reads it.
        if usage?.uses("count_words") ?? true {
            context["count_words"] = format.words.count("rows", selected.count, number: format.grouped(Decimal(selected.count)))
        }
        return context
    }
}

/// The template contexts of datasets, each built once when a page first asks for it.
final class DatasetContexts: @unchecked Sendable {
    private let byName: [String: Dataset]
    private let format: NumberFormat
    private var built: [String: [String: Any]] = [:]
    private let lock = NSLock()

    init(datasets: [Dataset], format: NumberFormat) {
        // Column labels in the format's language, where its words give them.
        byName = Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0.relabeled(format.words)) })
        self.format = format
    }

    func get(_ name: String) -> [String: Any]? {
        if let context = lock.withLock({ built[name] }) { return context }
        guard let dataset = byName[name] else { return nil }
        let context = PageContext.dataset(dataset, format: format)
        lock.withLock { built[name] = context }
        return context
    }

    func all() -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for name in byName.keys { result[name] = get(name) }
        return result
    }
}
