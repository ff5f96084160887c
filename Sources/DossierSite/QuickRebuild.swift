import Foundation

/// Everything the last successful build made, kept by ``BuildCache`` so that saving an
/// article's text (the commonest edit of all) rebuilds that article alone.
struct LastBuild: @unchecked Sendable {
    var includeDrafts: Bool
    var prepared: SiteBuilder.Prepared
    /// Every page as the build's one path kept it, in page order.
    var pages: [SiteStream.Page]
    var frame: SiteStream.Frame
    var finished: SiteStream.Finished
    var site: SiteBuilder.Site
    let articleIndex: [String: Int]
    let pageIndex: [String: Int]
    let fileIndex: [String: Int]

    init(
        includeDrafts: Bool, prepared: SiteBuilder.Prepared, pages: [SiteStream.Page], frame: SiteStream.Frame,
        finished: SiteStream.Finished, site: SiteBuilder.Site
    ) {
        self.includeDrafts = includeDrafts
        self.prepared = prepared
        self.pages = pages
        self.frame = frame
        self.finished = finished
        self.site = site
        // By index, not by element: copying 20,000 files to read their paths cost milliseconds.
        func index(_ count: Int, _ key: (Int) -> String) -> [String: Int] {
            var index: [String: Int] = [:]
            index.reserveCapacity(count)
            for i in (0..<count).reversed() { index[key(i)] = i }  // the first of equal keys wins
            return index
        }
        let articles = prepared.plan.articles
        articleIndex = index(articles.count) { articles[$0].sourcePath }
        pageIndex = index(pages.count) { pages[$0].path }
        fileIndex = index(site.files.count) { site.files[$0].path }
    }
}

extension SiteBuilder {
    /// The rebuild after a watcher saw only the text of published articles change: each such
    /// article is parsed, its figures, Markdown and charts made, and its page rendered, then it
    /// takes the one path of every build (``SiteStream/emit(_:frame:)``: links checked, into
    /// memory over the last build's files) and the site is finished as every build is
    /// (``SiteStream/finish(_:frame:)``: deferred links, feed, paths). It applies only when what
    /// other pages show of the article (title, date, tags, summary, authors, slug), its datasets
    /// and its chart files stay as they were, and when the site builds without a problem or a
    /// warning; otherwise it returns nil and the ordinary rebuild runs (which reports the
    /// problems). Its result equals that of a full build: the incremental tests compare every byte.
    func quickRebuild(_ cache: BuildCache) -> Site? {
        guard var last = cache.last, last.includeDrafts == options.includeDrafts, last.site.warnings.isEmpty,
            let hint = cache.content.peekHint(), !hint.structural, !hint.paths.isEmpty,
            let shared = cache.lastShared
        else { return nil }
        var changed: [(index: Int, file: String, path: String)] = []
        for file in hint.paths {
            let path = project.relative(path: file)
            guard let i = last.articleIndex[path] else { return nil }
            changed.append((i, file, path))
        }
        changed.sort { $0.index < $1.index }
        var prepared = last.prepared
        let config = prepared.content.config
        let evaluator = prepared.evaluator
        let options = MarkdownRenderer.Options(unsafeHTML: config.unsafeHTML, reservedIDs: prepared.templates.literalIDs)
        MarkdownRenderer.prepare()
        var remember: [() -> Void] = []
        for (i, file, path) in changed {
            let old = prepared.plan.articles[i]
            guard let stamp = FileStamp.of(path: file),
                let text = try? SourceFiles.readText(URL(fileURLWithPath: file), relativePath: path),
                let article = try? FrontMatter.parse(
                    text, path: path, defaultSlug: Slug.fromPath(String(path.dropFirst("Content/".count)), scheme: config.slugs)),
                article.summarySignature == old.summarySignature, article.slug == old.slug,
                article.tables == old.tables
            else { return nil }
            if config.typedNumbers != .ignore, !TypedNumbers.scan(article.body).isEmpty { return nil }
            // Figures, Markdown, figures again, charts: as ``prepare(_:cache:)`` does, for one article.
            guard let (body, uses) = try? FigureStage.extract(article.body) else { return nil }
            let plain = MarkdownRenderer.render(body, options: options)
            guard plain.unsafe.isEmpty else { return nil }
            let figures = FigureRenderer(
                config: config, datasets: prepared.datasets, named: prepared.namedFigures,
                dataPage: prepared.templates.names.contains("sources")
            ).render([article], uses: [uses], evaluator: evaluator)[0]
            guard figures.problems.isEmpty else { return nil }
            var rendered = plain
            FigureRenderer.apply(figures, to: &rendered)
            let charts = ChartStage.render(
                articles: [article], markdown: [rendered], datasets: prepared.datasets, config: config,
                figures: evaluator, dataPage: prepared.templates.names.contains("sources"))[0]
            guard charts.problems.isEmpty else { return nil }
            prepared.plan.articles[i] = article
            prepared.markdown[i] = rendered
            prepared.charts[i] = charts
            prepared.figures[i] = figures
            remember.append {
                cache.content.articles.set(path, (stamp, article))
                cache.figureUses.set(path, (article.fullSignature, body, uses))
                cache.markdown.set(path, (body, options, plain))
            }
        }

        // The one path of every build, for these pages, into serve's store (which so holds what
        // the caches know, whether or not this rebuild goes on); then the build's end for them
        // alone.
        let stream = SiteStream(prepared: prepared, sink: cache.store, cache: cache)
        var frame = last.frame
        frame.assembler = prepared.assembler(cache: cache)
        let renderer = prepared.pageRenderer(cache: nil)
        var pages = last.pages
        var emitted: [Int] = []
        for (i, _, _) in changed {
            let page = renderer.renderArticle(i, shared: shared)
            guard page.problems.isEmpty, let p = last.pageIndex[page.path],
                page.files.map(\.path) == pages[p].files.map(\.path)
            else { return nil }
            let next = stream.emit((page, true), frame: frame)
            // Other pages link to its anchors: those must not change here.
            guard next.failure == nil, next.ids == pages[p].ids else { return nil }
            cache.pages.set(page.path, (page.signature, page))
            pages[p] = next
            emitted.append(p)
        }
        // The search index: the changed articles' old terms out and new ones in, and only the
        // shards and page chunks whose bytes changed written. A shard new or gone (a word no
        // page had, or the last page of one) takes a full build.
        var searchPaths: [String] = []
        if prepared.content.config.search != nil {
            guard let files = frame.assembler.searchFiles(changedArticles: changed.map(\.0)) else { return nil }
            for file in files {
                guard last.fileIndex[file.path] != nil, case .success = cache.store.attempt(file) else { return nil }
                searchPaths.append(file.path)
            }
        }
        do throws(BuildFailure) {
            _ = try stream.finish(pages, frame: frame, changed: emitted, last: last.finished)
        } catch {
            return nil
        }

        for step in remember { step() }
        // The last build's files with these pages' new ones, and the feed (made again or not).
        let written =
            emitted.flatMap { pages[$0].files.map(\.path) + [pages[$0].path] } + prepared.plan.feeds(count: 0).map(\.path)
            + searchPaths
        for file in cache.store.files(at: written) {
            if let f = last.fileIndex[file.path] { last.site.files[f] = file }
        }
        last.site.figures = prepared.figures.flatMap(\.reports)
        last.prepared = prepared
        last.pages = pages
        last.frame = frame
        _ = cache.content.takeHint()
        cache.last = last
        let rendered = emitted.map { pages[$0].path }.sorted()
        cache.renderedPages = rendered
        cache.relinkedPages = rendered
        cache.lastWasQuick = true
        return last.site
    }
}
