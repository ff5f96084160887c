/// The Atom feed (RFC 4287) of the latest articles, with their full content.
enum AtomFeed {
    /// A date as RFC 3339: `2019-06-03` → `2019-06-03T00:00:00Z`.
    static func timestamp(_ date: DateValue) -> String {
        var text = date.iso
        if text.count == 10 { return text + "T00:00:00Z" }
        text = text.replacingOccurrences(of: " ", with: "T")
        // THH:MM without seconds.
        let timeStart = text.index(text.startIndex, offsetBy: 11)
        let time = text[timeStart...]
        if time.count >= 5, time.count == 5 || !time.dropFirst(5).hasPrefix(":") {
            text.insert(contentsOf: ":00", at: text.index(timeStart, offsetBy: 5))
        }
        if !(text.hasSuffix("Z") || text.dropFirst(19).contains("+") || text.dropFirst(19).contains("-")) {
            text += "Z"
        }
        return text
    }

    /// One entry of the feed: an article, or a page made from data.
    struct Entry {
        var title: String
        /// The page's path under the site, with a trailing slash: `tenders/`.
        var path: String
        var published: DateValue
        var updated: DateValue
        var authors: [String] = []
        var tags: [String] = []
        var summary: String?
        var content: String
    }

    /// The feed's entries: the newest articles and, when `_pages.yml` files ask with
    /// `feed_date:`, pages made from data, newest first (ties by path), at most `entries`.
    /// `content` gives each article's HTML.
    static func entries(
        plan: SitePlan, articles: [Article], dataPages: Bool, entries: Int, content: (Article) -> String
    ) -> [Entry] {
        var all: [Entry] = articles.prefix(entries).map { article in
            Entry(
                title: article.title, path: article.slug + "/", published: article.date,
                updated: article.updated ?? article.date, authors: article.authors, tags: article.tags,
                summary: article.summary, content: content(article))
        }
        for pages in plan.dataPages where dataPages && pages.spec.feedDate != nil {
            let title = pages.dataset.meta.title ?? pages.dataset.name
            for entity in pages.entities {
                guard let date = entity.date else { continue }
                let rows = entity.rows.count == 1 ? "1 row" : "\(entity.rows.count) rows"
                let summary = "\(rows) of \(title), the latest dated \(date.iso)."
                all.append(
                    Entry(
                        title: entity.title, path: "\(pages.spec.folder)/\(entity.slug)/", published: date,
                        updated: date,
                        summary: summary, content: "<p>\(SVG.escape(summary))</p>"))
            }
        }
        guard all.count > articles.prefix(entries).count else { return all }
        all.sort { a, b in a.published != b.published ? b.published < a.published : a.path < b.path }
        return Array(all.prefix(entries))
    }

    /// The feed's XML. Relative links in each entry's HTML resolve against the entry's address
    /// through `xml:base`.
    static func xml(
        config: SiteConfig, plan: SitePlan, articles: [Article], dataPages: Bool = true, path: String = "feed.xml",
        entries count: Int, content: (Article) -> String
    ) -> String {
        let base = config.baseURL ?? ""
        let latest = entries(plan: plan, articles: articles, dataPages: dataPages, entries: count, content: content)
        let home = base + path.dropLast("feed.xml".count)
        let updated = latest.map { timestamp($0.updated) }.max() ?? "1970-01-01T00:00:00Z"
        let e = SVG.escape
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(e(config.format.language))\">\n"
        // The title and description in the feed's language (`site_title` of Templates/i18n).
        let title = config.format.words.table["site_title"] ?? config.title
        let description = config.format.words.table["site_description"] ?? config.description
        xml += "  <title>\(e(title))</title>\n"
        if !description.isEmpty { xml += "  <subtitle>\(e(description))</subtitle>\n" }
        xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(e(home))\"/>\n"
        xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(e(base + path))\"/>\n"
        xml += "  <id>\(e(home))</id>\n"
        xml += "  <updated>\(updated)</updated>\n"
        xml += "  <author><name>\(e(config.author ?? config.title))</name></author>\n"
        xml += "  <generator>Dossier</generator>\n"
        for entry in latest {
            let url = base + entry.path
            xml += "  <entry>\n"
            xml += "    <title>\(e(entry.title))</title>\n"
            xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(e(url))\"/>\n"
            xml += "    <id>\(e(url))</id>\n"
            xml += "    <published>\(timestamp(entry.published))</published>\n"
            xml += "    <updated>\(timestamp(entry.updated))</updated>\n"
            for author in entry.authors { xml += "    <author><name>\(e(author))</name></author>\n" }
            for tag in entry.tags { xml += "    <category term=\"\(e(Slug.make(tag, scheme: config.slugs)))\" label=\"\(e(tag))\"/>\n" }
            if let summary = entry.summary { xml += "    <summary>\(e(summary))</summary>\n" }
            xml += "    <content type=\"html\" xml:base=\"\(e(url))\">\(e(entry.content))</content>\n"
            xml += "  </entry>\n"
        }
        xml += "</feed>\n"
        return xml
    }
}

/// `sitemap.xml` and `robots.txt`.
enum Sitemap {
    /// The sitemap of the pages worth indexing, by their path and last change.
    struct Page {
        var path: String
        var lastModified: DateValue?
        /// The page in each language (code, path), itself included: `xhtml:link` alternates.
        var alternates: [(language: String, path: String)] = []
    }

    /// The sitemap of the pages worth indexing, by their path and last change; on a site of
    /// several languages, each page's translations as `xhtml:link` alternates (Google's form),
    /// with `x-default` for the default language's page.
    static func xml(baseURL: String, pages: [Page]) -> String {
        func pretty(_ path: String) -> String {
            SafeURL.path(path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path)
        }
        let alternates = pages.contains { !$0.alternates.isEmpty }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            alternates
            ? "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
            : "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages {
            xml += "  <url><loc>\(SVG.escape(baseURL + pretty(page.path)))</loc>"
            if let date = page.lastModified { xml += "<lastmod>\(date.iso.prefix(10))</lastmod>" }
            if page.alternates.count > 1 {
                for (language, path) in page.alternates {
                    xml += "\n    <xhtml:link rel=\"alternate\" hreflang=\"\(language)\" href=\"\(SVG.escape(baseURL + pretty(path)))\"/>"
                }
                xml += "\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"\(SVG.escape(baseURL + pretty(page.alternates[0].path)))\"/>\n  "
            }
            xml += "</url>\n"
        }
        xml += "</urlset>\n"
        return xml
    }

    static func robots(baseURL: String?) -> String {
        var text = "User-agent: *\nAllow: /\n"
        if let baseURL { text += "\nSitemap: \(baseURL)sitemap.xml\n" }
        return text
    }
}
