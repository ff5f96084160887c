/// The chart stage: draws every chart block of every article, or reports where a block is
/// wrong, at `Content/x.md:LINE:COL` counted in the article file.
package enum ChartStage {
    package struct Result: Sendable {
        package var page: PageCharts
        package var problems: [Diagnostic]
        package var charts: [RenderedChart] { page.charts }
    }

    package static func render(
        articles: [Article], markdown: [RenderedMarkdown], datasets: [Dataset], config: SiteConfig,
        figures: FigureEvaluator? = nil, dataPage: Bool = false, cache: Memo<String, (Int, Result)>? = nil
    ) -> [Result] {
        let byName = Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) })
        let jobs = Array(zip(articles, markdown))
        let known = cache?.all() ?? [:]
        return parallelMap(jobs) { article, rendered in
            guard let cache, !rendered.charts.isEmpty else {
                return draw(article, rendered, byName, config, figures, dataPage: dataPage)
            }
            // The charts depend on their specs, the datasets they read, the page and the site.
            var hasher = Hasher()
            hasher.combine(article.slug)
            hasher.combine(article.bodyLine)
            hasher.combine(dataPage)
            hasher.combine(config.signature)
            // The words of the page's language (`Templates/i18n/`): a chart's description and
            // labels are written in them.
            hasher.combine(config.format.words)
            if let lang = article.lang { hasher.combine(config.languageFormats[lang]?.words) }
            for block in rendered.charts {
                hasher.combine(block.source)
                hasher.combine(block.fenceLine)
                guard let spec = try? ChartSpec.parse(block.source) else { continue }
                hasher.combine(byName[spec.data]?.signature)
                // Named figures and conversions may read any dataset.
                if !spec.figures.isEmpty || spec.convert != nil {
                    for dataset in datasets { hasher.combine(dataset.signature) }
                    for (name, definition) in (figures?.named ?? [:]).sorted(by: { $0.key < $1.key }) {
                        hasher.combine(name)
                        hasher.combine(definition.description)
                    }
                }
            }
            let key = hasher.finalize()
            if let (cached, result) = known[article.sourcePath], cached == key { return result }
            let result = draw(article, rendered, byName, config, figures, dataPage: dataPage)
            cache.set(article.sourcePath, (key, result))
            return result
        }
    }

    /// A page's part of chart ids: its slug with `/` made `-`.
    package static func pageID(_ slug: String) -> String {
        // `a/b` → `a-b`, empty parts left out (as splitting and joining did), over bytes.
        guard slug.utf8.contains(0x2F) else { return slug }
        var out: [UInt8] = []
        out.reserveCapacity(slug.utf8.count)
        var dash = false
        for byte in slug.utf8 {
            if byte == 0x2F {
                dash = !out.isEmpty
            } else {
                if dash { out.append(0x2D) }
                dash = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func draw(
        _ article: Article, _ rendered: RenderedMarkdown, _ byName: [String: Dataset], _ config: SiteConfig,
        _ figures: FigureEvaluator?, dataPage: Bool
    ) -> Result {
        let page = PageCharts(
            pageID: pageID(article.slug), datasets: byName, config: config.inLanguage(article.lang), figures: figures)
        if dataPage { page.dataPageRoot = PagePath.root(forPage: PagePath.of(article)) }
        var problems: [Diagnostic] = []
        for block in rendered.charts {
            do throws(LocalError) {
                let chart = try page.render(block.source)
                for warning in chart.warnings {
                    var diagnostic = Diagnostic(
                        SourceLocation(path: article.sourcePath, line: article.bodyLine + block.fenceLine, column: block.column),
                        "chart: " + warning, code: .chartFolded)
                    diagnostic.severity = .warning
                    problems.append(diagnostic)
                }
            } catch {
                // Lines of the spec start on the line after the fence.
                var diagnostic = error.diagnostic(in: article.sourcePath, code: .chart)
                diagnostic.location.line = article.bodyLine + block.fenceLine - 1 + (error.line ?? 1)
                diagnostic.location.column = error.column ?? block.column
                diagnostic.message = "chart: " + diagnostic.message
                problems.append(diagnostic)
            }
        }
        return Result(page: page, problems: problems)
    }
}
