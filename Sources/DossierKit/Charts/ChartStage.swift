/// The chart stage: draws every chart block of every article, or reports where a block is
/// wrong, at `Content/x.md:LINE:COL` counted in the article file.
enum ChartStage {
    struct Result: Sendable {
        var page: PageCharts
        var problems: [Diagnostic]
        var charts: [RenderedChart] { page.charts }
    }

    static func render(
        articles: [Article], markdown: [RenderedMarkdown], datasets: [Dataset], config: SiteConfig,
        cache: BuildCache? = nil
    ) -> [Result] {
        let byName = Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) })
        let jobs = Array(zip(articles, markdown))
        let known = cache?.charts.all() ?? [:]
        return parallelMap(jobs) { article, rendered in
            guard let cache, !rendered.charts.isEmpty else { return draw(article, rendered, byName, config) }
            // The charts depend on their specs, the datasets they read, the page and the site.
            var hasher = Hasher()
            hasher.combine(article.slug)
            hasher.combine(article.bodyLine)
            hasher.combine(config.signature)
            for block in rendered.charts {
                hasher.combine(block.source)
                hasher.combine(block.fenceLine)
                if let name = (try? ChartSpec.parse(block.source))?.data { hasher.combine(byName[name]?.signature) }
            }
            let key = hasher.finalize()
            if let (cached, result) = known[article.sourcePath], cached == key { return result }
            let result = draw(article, rendered, byName, config)
            cache.charts.set(article.sourcePath, (key, result))
            return result
        }
    }

    /// A page's part of chart ids: its slug with `/` made `-`.
    static func pageID(_ slug: String) -> String {
        slug.contains("/") ? slug.split(separator: "/").joined(separator: "-") : slug
    }

    private static func draw(
        _ article: Article, _ rendered: RenderedMarkdown, _ byName: [String: Dataset], _ config: SiteConfig
    ) -> Result {
        let page = PageCharts(pageID: pageID(article.slug), datasets: byName, config: config)
        var problems: [Diagnostic] = []
        for block in rendered.charts {
            do throws(LocalError) {
                _ = try page.render(block.source)
            } catch {
                // Lines of the spec start on the line after the fence.
                var diagnostic = error.diagnostic(in: article.sourcePath)
                diagnostic.location.line = article.bodyLine + block.fenceLine - 1 + (error.line ?? 1)
                diagnostic.location.column = error.column ?? block.column
                diagnostic.message = "chart: " + diagnostic.message
                problems.append(diagnostic)
            }
        }
        return Result(page: page, problems: problems)
    }
}
