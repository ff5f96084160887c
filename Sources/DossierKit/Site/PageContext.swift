import Foundation

/// Builds the dictionaries templates are rendered with. Templates get dictionaries, not structs:
/// swift-mustache reads them about three times faster than reflected structs.
struct PageContext {
    let config: SiteConfig
    let datasets: [String: [String: Any]]
    let format: NumberFormat

    init(config: SiteConfig, datasets: [Dataset]) {
        self.config = config
        self.format = config.format
        var contexts: [String: [String: Any]] = [:]
        for dataset in datasets { contexts[dataset.name] = PageContext.dataset(dataset, format: config.format) }
        self.datasets = contexts
    }

    /// `../` repeated once per folder level of a page at `path`, or `./` at the top.
    static func root(forPage path: String) -> String {
        let depth = path.split(separator: "/").count - 1
        return depth == 0 ? "./" : String(repeating: "../", count: depth)
    }

    static func articlePath(_ article: Article) -> String { article.slug + "/index.html" }

    /// The variables every page has: `site`, `data`, `root`, `articles`, `generator`.
    func base(pagePath: String, articles: [Article]) -> [String: Any] {
        let root = PageContext.root(forPage: pagePath)
        var site: [String: Any] = [
            "title": config.title, "description": config.description, "language": config.language,
        ]
        site["author"] = config.author
        site["base_url"] = config.baseURL
        if !config.params.isEmpty { site["params"] = Value.object(config.params).templateValue(format: format) }
        return [
            "site": site,
            "data": datasets,
            "root": root,
            "articles": articles.map { summary($0, root: root) },
            "generator": "Dossier",
        ]
    }

    /// What a listing needs of an article.
    func summary(_ article: Article, root: String) -> [String: Any] {
        var page: [String: Any] = [
            "title": article.title,
            "slug": article.slug,
            "url": root + PageContext.articlePath(article),
            "date": TemplateDate(date: article.date, format: format),
            "authors": article.authors.isEmpty ? (config.author.map { [$0] } ?? []) : article.authors,
            "tags": article.tags,
            "has_tags": !article.tags.isEmpty,
            "draft": article.draft,
        ]
        page["summary"] = article.summary
        page["updated"] = article.updated.map { TemplateDate(date: $0, format: format) }
        return page
    }

    /// The full `page` variable of an article page.
    func article(_ article: Article, rendered: RenderedMarkdown, root: String) -> [String: Any] {
        var page = summary(article, root: root)
        page["content"] = rendered.html
        page["lang"] = article.lang ?? config.language
        let toc = rendered.headings.filter { $0.level >= 2 && $0.level <= 3 }
        page["toc"] = toc.map { ["level": $0.level, "id": $0.id, "text": $0.text, "sub": $0.level == 3] as [String: Any] }
        page["has_toc"] = toc.count >= 3
        page["reading_time"] = max(1, PageContext.wordCount(rendered.html) / 220)
        page["tables"] = article.tables.compactMap { datasets[$0] }
        if !article.params.isEmpty { page["params"] = Value.object(article.params).templateValue(format: format) }
        return page
    }

    /// Words in HTML text, skipping tags.
    static func wordCount(_ html: String) -> Int {
        var count = 0
        var inTag = false
        var inWord = false
        for scalar in html.unicodeScalars {
            if scalar == "<" { inTag = true; inWord = false; continue }
            if scalar == ">" { inTag = false; continue }
            if inTag { continue }
            let isSpace = scalar == " " || scalar == "\n" || scalar == "\t"
            if !isSpace && !inWord { count += 1 }
            inWord = !isSpace
        }
        return count
    }

    /// `data.NAME`: rows, columns, metadata and a ready-formatted table.
    static func dataset(_ dataset: Dataset, format: NumberFormat) -> [String: Any] {
        let columns = dataset.columns
        var rows: [[String: Any]] = []
        var tableRows: [[String: Any]] = []
        rows.reserveCapacity(dataset.rows.count)
        for row in dataset.rows {
            var dict: [String: Any] = [:]
            var cells: [[String: Any]] = []
            for (column, value) in zip(columns, row) {
                let templateValue = value.templateValue(format: format, unit: column.unit, column: column.name)
                dict[column.name] = templateValue
                let text: String
                if let number = templateValue as? TemplateNumber {
                    text = number.renderText
                } else if let date = templateValue as? TemplateDate {
                    text = format.shortDate(date.date)
                } else {
                    text = value.plainText
                }
                cells.append(["text": text, "numeric": column.isNumeric])
            }
            rows.append(dict)
            tableRows.append(["cells": cells])
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
            var c: [String: Any] = ["name": $0.name, "label": $0.label, "type": $0.type.rawValue, "numeric": $0.isNumeric]
            c["unit"] = $0.unit
            c["description"] = $0.description
            return c
        }
        return [
            "name": dataset.name,
            "path": dataset.path,
            "title": dataset.meta.title ?? dataset.name,
            "meta": meta,
            "count": dataset.rows.count,
            "columns": columnList,
            "rows": rows,
            "table": ["head": columnList, "rows": tableRows],
        ]
    }
}
