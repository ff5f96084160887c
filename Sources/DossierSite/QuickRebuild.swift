import Foundation

/// Everything the last successful build made, kept by ``BuildCache`` so that saving an
/// article's text (the commonest edit of all) rebuilds that article alone.
struct LastBuild: @unchecked Sendable {
    var includeDrafts: Bool
    var config: SiteConfig
    var datasets: [Dataset]
    var named: [String: FigureExpression]
    var templates: TemplateSet
    var assets: [OutputFile]
    /// Per article, in plan order: Markdown with figures in place, figure reports, charts.
    var markdown: [RenderedMarkdown]
    var figureReports: [[FigureReport]]
    var charts: [ChartStage.Result]
    var plan: SitePlan
    var pages: [RenderedPage]
    var site: SiteBuilder.Site
    let articleIndex: [String: Int]
    let pageIndex: [String: Int]
    let fileIndex: [String: Int]

    init(
        includeDrafts: Bool, config: SiteConfig, datasets: [Dataset], named: [String: FigureExpression],
        templates: TemplateSet, assets: [OutputFile], markdown: [RenderedMarkdown], figureReports: [[FigureReport]],
        charts: [ChartStage.Result], plan: SitePlan, pages: [RenderedPage], site: SiteBuilder.Site
    ) {
        self.includeDrafts = includeDrafts
        self.config = config
        self.datasets = datasets
        self.named = named
        self.templates = templates
        self.assets = assets
        self.markdown = markdown
        self.figureReports = figureReports
        self.charts = charts
        self.plan = plan
        self.pages = pages
        self.site = site
        articleIndex = Dictionary(
            plan.articles.enumerated().map { ($1.sourcePath, $0) }, uniquingKeysWith: { a, _ in a })
        pageIndex = Dictionary(pages.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
        fileIndex = Dictionary(site.files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

extension SiteBuilder {
    /// The rebuild after a watcher saw only the text of published articles change: each such
    /// article is parsed, rendered and link-checked again and put into the last build's files,
    /// and nothing else is looked at. It applies only when what other pages show of the article
    /// (title, date, tags, summary, authors, slug), its datasets, its anchors and its chart files
    /// stay as they were, and when the article builds without a problem; otherwise it returns nil
    /// and the ordinary rebuild runs (which reports the problems). Its result equals that of a
    /// full build: the incremental tests compare every byte.
    func quickRebuild(_ cache: BuildCache) -> Site? {
        guard var last = cache.last, last.includeDrafts == options.includeDrafts, last.site.warnings.isEmpty,
            let hint = cache.content.peekHint(), !hint.structural, !hint.paths.isEmpty,
            let shared = cache.lastShared, let (environment, lastChecked) = cache.lastChecked,
            lastChecked.count == last.pages.count,
            let (resolverKey, resolver) = cache.resolver.get(0), resolverKey == environment
        else { return nil }
        var checkedPages = lastChecked
        var changed: [(index: Int, file: String, path: String)] = []
        for file in hint.paths {
            let path = project.relative(path: file)
            guard let i = last.articleIndex[path] else { return nil }
            changed.append((i, file, path))
        }
        let byName = Dictionary(uniqueKeysWithValues: last.datasets.map { ($0.name, $0) })
        let evaluator = FigureEvaluator(datasets: byName, named: last.named)
        let options = MarkdownRenderer.Options(
            unsafeHTML: last.config.unsafeHTML, reservedIDs: last.templates.literalIDs)
        MarkdownRenderer.prepare()
        var renderedPaths: [String] = []
        for (i, file, path) in changed.sorted(by: { $0.index < $1.index }) {
            let old = last.plan.articles[i]
            guard let stamp = FileStamp.of(path: file),
                let text = try? SourceFiles.readText(URL(fileURLWithPath: file), relativePath: path),
                let article = try? FrontMatter.parse(
                    text, path: path, defaultSlug: Slug.fromPath(String(path.dropFirst("Content/".count)))),
                article.summarySignature == old.summarySignature, article.slug == old.slug,
                article.tables == old.tables
            else { return nil }
            if last.config.typedNumbers != .ignore, !TypedNumbers.scan(article.body).isEmpty { return nil }
            // Figures, Markdown, figures again, charts: as the full build does, for one article.
            guard let (body, uses) = try? FigureStage.extract(article.body) else { return nil }
            let plain = MarkdownRenderer.render(body, options: options)
            guard plain.unsafe.isEmpty else { return nil }
            let figures = FigureRenderer(
                config: last.config, datasets: last.datasets, named: last.named,
                dataPage: last.templates.names.contains("sources")
            ).render([article], uses: [uses], evaluator: evaluator)[0]
            guard figures.problems.isEmpty else { return nil }
            var rendered = plain
            FigureRenderer.apply(figures, to: &rendered)
            let charts = ChartStage.render(
                articles: [article], markdown: [rendered], datasets: last.datasets, config: last.config,
                figures: evaluator)[0]
            guard charts.problems.isEmpty else { return nil }

            var plan = last.plan
            plan.articles[i] = article
            var markdown = last.markdown
            markdown[i] = rendered
            var allCharts = last.charts
            allCharts[i] = charts
            let renderer = PageRenderer(
                config: last.config, plan: plan, datasets: last.datasets, templates: last.templates,
                markdown: markdown, charts: allCharts, figures: evaluator)
            let page = renderer.renderArticle(i, shared: shared)
            guard page.problems.isEmpty, let p = last.pageIndex[page.path] else { return nil }
            let previous = last.pages[p]
            // Other pages link to its anchors and files: those must not change here.
            let ids = LinkResolver.ids(in: page.html)
            guard let (_, oldIDs, _) = cache.anchors.get(page.path), oldIDs == ids,
                page.files.map(\.path) == previous.files.map(\.path)
            else { return nil }
            let checked = SiteAssembler(
                config: last.config, plan: plan, datasets: last.datasets, pages: [], assets: [], markdown: markdown
            ).process(page, resolver: resolver)
            guard checked.problems.isEmpty else { return nil }

            // The article builds: take it into the last build and the caches.
            cache.content.articles.set(path, (stamp, article))
            cache.figureUses.set(path, (article.fullSignature, body, uses))
            cache.markdown.set(path, (body, options, plain))
            cache.pages.set(page.path, (page.signature, page))
            cache.anchors.set(page.path, (page.signature, ids, ids.sorted().hashValue))
            cache.links.set(page.path, (page.signature, environment, checked))
            last.plan = plan
            last.markdown = markdown
            last.charts = allCharts
            last.figureReports[i] = figures.reports
            last.pages[p] = page
            checkedPages[p] = checked
            for file in [checked.file] + page.files {
                guard let f = last.fileIndex[file.path] else { return nil }
                last.site.files[f] = file
            }
            renderedPaths.append(page.path)
        }
        if let entries = last.config.feedEntries, changed.contains(where: { $0.index < entries }),
            let f = last.fileIndex["feed.xml"]
        {
            var contentBySlug: [String: String] = [:]
            for (p, page) in last.pages.enumerated() {
                if let i = page.article, i < entries, let content = checkedPages[p].content {
                    contentBySlug[last.plan.articles[i].slug] = content
                }
            }
            last.site.files[f] = OutputFile(
                path: "feed.xml",
                text: AtomFeed.xml(config: last.config, plan: last.plan, entries: entries) {
                    contentBySlug[$0.slug] ?? ""
                }, origin: "Content/site.yml")
        }
        last.site.figures = last.figureReports.flatMap { $0 }
        _ = cache.content.takeHint()
        cache.last = last
        cache.lastChecked = (environment, checkedPages)
        cache.renderedPages = renderedPaths.sorted()
        cache.relinkedPages = renderedPaths.sorted()
        cache.lastWasQuick = true
        return last.site
    }
}
