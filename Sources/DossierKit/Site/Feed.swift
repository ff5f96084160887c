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

    /// The feed's XML. `content` gives each article's HTML, whose relative links resolve
    /// against the article's address through `xml:base`.
    static func xml(config: SiteConfig, articles: [Article], entries: Int, content: (Article) -> String) -> String {
        let base = config.baseURL ?? ""
        let latest = Array(articles.prefix(entries))
        let updated = latest.map { timestamp($0.updated ?? $0.date) }.max() ?? "1970-01-01T00:00:00Z"
        let e = SVG.escape
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(e(config.language))\">\n"
        xml += "  <title>\(e(config.title))</title>\n"
        if !config.description.isEmpty { xml += "  <subtitle>\(e(config.description))</subtitle>\n" }
        xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(e(base))\"/>\n"
        xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(e(base))feed.xml\"/>\n"
        xml += "  <id>\(e(base))</id>\n"
        xml += "  <updated>\(updated)</updated>\n"
        xml += "  <author><name>\(e(config.author ?? config.title))</name></author>\n"
        xml += "  <generator>Dossier</generator>\n"
        for article in latest {
            let url = base + article.slug + "/"
            xml += "  <entry>\n"
            xml += "    <title>\(e(article.title))</title>\n"
            xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(e(url))\"/>\n"
            xml += "    <id>\(e(url))</id>\n"
            xml += "    <published>\(timestamp(article.date))</published>\n"
            xml += "    <updated>\(timestamp(article.updated ?? article.date))</updated>\n"
            for author in article.authors { xml += "    <author><name>\(e(author))</name></author>\n" }
            for tag in article.tags { xml += "    <category term=\"\(e(Slug.make(tag)))\" label=\"\(e(tag))\"/>\n" }
            if let summary = article.summary { xml += "    <summary>\(e(summary))</summary>\n" }
            xml += "    <content type=\"html\" xml:base=\"\(e(url))\">\(e(content(article)))</content>\n"
            xml += "  </entry>\n"
        }
        xml += "</feed>\n"
        return xml
    }
}

/// `sitemap.xml` and `robots.txt`.
enum Sitemap {
    /// The sitemap of the pages worth indexing, by their path and last change.
    static func xml(baseURL: String, pages: [(path: String, lastModified: DateValue?)]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages {
            let pretty = page.path.hasSuffix("index.html") ? String(page.path.dropLast("index.html".count)) : page.path
            xml += "  <url><loc>\(SVG.escape(baseURL + pretty))</loc>"
            if let date = page.lastModified { xml += "<lastmod>\(date.iso.prefix(10))</lastmod>" }
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
