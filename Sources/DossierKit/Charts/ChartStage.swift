/// The chart stage: draws every chart block of every article, or reports where a block is
/// wrong, at `Content/x.md:LINE:COL` counted in the article file.
enum ChartStage {
    struct PageCharts: Sendable {
        var charts: [RenderedChart] = []
        var problems: [Diagnostic] = []
    }

    static func render(
        articles: [Article], markdown: [RenderedMarkdown], datasets: [Dataset], config: SiteConfig
    ) -> [PageCharts] {
        let byName = Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) })
        let jobs = Array(zip(articles, markdown))
        return parallelMap(jobs) { article, rendered in
            var page = PageCharts()
            var usedNames: Set<String> = []
            let pageID = article.slug.replacingOccurrences(of: "/", with: "-")
            for (index, block) in rendered.charts.enumerated() {
                let id = "chart-\(pageID)-\(index + 1)"
                do throws(LocalError) {
                    var chart = try ChartRenderer.render(
                        source: block.source, datasets: byName, format: config.format, siteColors: config.chartColors,
                        id: id, csvName: "")
                    // A stable file name: the spec's id, else its title, else its position.
                    if chart.csvName.isEmpty {
                        let base = (try? ChartSpec.parse(block.source))?.title.map(Slug.make).flatMap { $0.isEmpty ? nil : $0 } ?? "chart-\(index + 1)"
                        var name = base + ".csv"
                        var n = 2
                        while usedNames.contains(name) {
                            name = "\(base)-\(n).csv"
                            n += 1
                        }
                        chart = try ChartRenderer.render(
                            source: block.source, datasets: byName, format: config.format,
                            siteColors: config.chartColors, id: id, csvName: name)
                    }
                    if usedNames.contains(chart.csvName) {
                        page.problems.append(
                            Diagnostic(
                                SourceLocation(path: article.sourcePath, line: article.bodyLine + block.fenceLine - 1, column: block.column),
                                "two charts on this page write \(chart.csvName)", hint: "give each chart its own `id:`"))
                    }
                    usedNames.insert(chart.csvName)
                    page.charts.append(chart)
                } catch {
                    // Lines of the spec start on the line after the fence.
                    let line = article.bodyLine + block.fenceLine - 1 + (error.line ?? 1)
                    var diagnostic = error.diagnostic(in: article.sourcePath)
                    diagnostic.location.line = line
                    diagnostic.location.column = error.column ?? block.column
                    diagnostic.message = "chart: " + diagnostic.message
                    page.problems.append(diagnostic)
                }
            }
            return page
        }
    }
}
