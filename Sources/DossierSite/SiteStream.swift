import Foundation

/// The end of every build, the one path from rendered pages to a sink: each page is rendered,
/// its links are rewritten and checked, and it is handed to the sink at once (the staging folder
/// of `dossier build`, memory for `dossier serve`, nothing for `dossier check`), so that a site of
/// 100,000 pages never holds them all in memory and writing overlaps rendering. Links to what no
/// page made yet (a chart's CSV file, an anchor on another page) are checked when every page is
/// done. A problem anywhere leaves the output as it was: the staging folder is only swapped in by
/// the caller.
///
/// With a ``BuildCache`` (`serve`), a page whose inputs did not change is not rendered again and
/// its links are not checked again; the quick rebuild of `serve` runs ``emit(_:)`` and
/// ``finish(_:)`` for the articles it rendered, on the last build's pages.
struct SiteStream {
    let prepared: SiteBuilder.Prepared
    let sink: any PageSink
    var cache: BuildCache? = nil

    /// What is kept of a page once it is written.
    struct Page: Sendable {
        var path: String
        var origin: String
        var article: Int?
        var ids: Set<String>
        var checks: [LinkResolver.Check]
        var renderProblems: [Diagnostic]
        var content: String?
        var files: [(path: String, origin: String)]
        var failure: Diagnostic?
        /// With a cache: whether the page was rendered (not reused) and its links checked again.
        var rendered = false
        var relinked = false
    }

    /// What every page of one build shares: the files besides the pages and the link resolver,
    /// which knows every path but not yet every page's anchors.
    struct Frame: @unchecked Sendable {
        var fixed: [OutputFile]
        var extra: [OutputFile]
        var resolver: LinkResolver
        /// Changes with anything the resolver knows: a checked page is reused only under it.
        var environment: Int
        var assembler: SiteAssembler
    }

    struct Result {
        var pages: [Page]
        /// Every file handed to the sink, by path under the output folder, in the order of the
        /// output (files besides pages, pages' own files, pages, then robots, sitemap and feed).
        var paths: [String]
        var warnings: [Diagnostic]
        var frame: Frame
    }

    func run(_ timer: StepTimer) throws(BuildFailure) -> Result {
        let renderer = prepared.pageRenderer(cache: cache)
        let frame = try begin(renderer)
        let pages = timer.run("pages") { renderer.renderEach { emit($0, frame: frame) } }
        if let cache {
            cache.renderedPages = pages.filter(\.rendered).map(\.path).sorted()
            cache.relinkedPages = pages.filter(\.relinked).map(\.path).sorted()
            let paths = Set(pages.map(\.path))
            cache.links.retain(paths)
            cache.anchors.retain(paths)
        }
        try DiagnosticBag(pages.flatMap(\.renderProblems)).throwIfAny()
        let (paths, warnings) = try timer.run("links") { () throws(BuildFailure) in try finish(pages, frame: frame) }
        return Result(pages: pages, paths: paths, warnings: warnings, frame: frame)
    }

    /// Writes the files besides the pages and sets up the link resolver.
    func begin(_ renderer: PageRenderer) throws(BuildFailure) -> Frame {
        let config = prepared.content.config
        let plan = prepared.plan
        let assembler = prepared.assembler(cache: cache)
        let infos = renderer.kinds().map { kind -> SiteAssembler.PageInfo in
            var article: Int?
            if case .article(let i) = kind { article = i }
            return SiteAssembler.PageInfo(
                path: renderer.path(of: kind), template: "Templates/\(renderer.template(of: kind)).mustache",
                article: article)
        }
        let (fixed, assetMap, extra) = assembler.fixedFiles(infos)
        for case .failure(let problem) in parallelMap(fixed, sink.attempt) { throw BuildFailure([problem]) }

        // Paths come in an order fixed by the inputs: no sort is needed to compare.
        let paths = fixed.map(\.path) + infos.map(\.path) + extra.map(\.path) + (config.feedEntries != nil ? ["feed.xml"] : [])
        var key = Hasher()
        key.combine(paths)
        key.combine(assetMap.sorted { $0.key < $1.key }.map { $0.key + "→" + $0.value })
        for article in plan.articles {
            key.combine(article.sourcePath)
            key.combine(article.slug)
        }
        key.combine(plan.draftSources.sorted())
        key.combine(config.signature)
        let environment = key.finalize()
        var resolver: LinkResolver
        if let (cached, known) = cache?.resolver.get(0), cached == environment {
            resolver = known
        } else {
            resolver = assembler.resolver(paths: Set(paths), anchors: [:], assets: assetMap)
            resolver.complete = false
            cache?.resolver.set(0, (environment, resolver))
        }
        return Frame(fixed: fixed, extra: extra, resolver: resolver, environment: environment, assembler: assembler)
    }

    /// One page: its ids, its links checked and rewritten (links to another page's anchors and
    /// to files not made yet are deferred), then the page and its files to the sink. With a
    /// cache, a page unchanged under the same frame reuses its ids and checked links.
    func emit(_ rendered: (page: RenderedPage, fresh: Bool), frame: Frame) -> Page {
        let page = rendered.page
        let reusable = page.signature != 0 ? cache : nil
        let ids: Set<String>
        if let reusable, let (signature, known) = reusable.anchors.get(page.path), signature == page.signature {
            ids = known
        } else {
            ids = LinkResolver.ids(in: page.html)
            reusable?.anchors.set(page.path, (page.signature, ids))
        }
        var relinked = false
        let checked: CheckedPage
        if let reusable, let (signature, environment, known) = reusable.links.get(page.path),
            signature == page.signature, environment == frame.environment
        {
            checked = known
        } else {
            var own = frame.resolver
            own.anchors = [page.path: ids]
            checked = frame.assembler.process(page, resolver: own)
            reusable?.links.set(page.path, (page.signature, frame.environment, checked))
            relinked = true
        }
        var failure: Diagnostic?
        if page.problems.isEmpty {
            for file in page.files + [checked.file] {
                do throws(Diagnostic) { try sink.write(file) } catch { failure = failure ?? error }
            }
        }
        return Page(
            path: page.path, origin: checked.file.origin, article: page.article, ids: ids, checks: checked.checks,
            renderProblems: page.problems, content: checked.content,
            files: page.files.map { ($0.path, $0.origin) }, failure: failure, rendered: rendered.fresh,
            relinked: relinked)
    }

    /// Once every page is written: the deferred link checks against the whole site, the feed,
    /// paths written twice, then robots, sitemap and feed to the sink. Returns every path in the
    /// order of the output, and the warnings.
    func finish(_ pages: [Page], frame: Frame) throws(BuildFailure) -> (paths: [String], warnings: [Diagnostic]) {
        // A file that could not be written is reported after the checks below, which say why
        // (two files on one path, a file where a folder goes) at the source that made it.
        let writeFailure = pages.lazy.compactMap(\.failure).first
        let plan = prepared.plan
        let feedEntries = prepared.content.config.feedEntries ?? 0
        var complete = frame.resolver
        complete.complete = true
        complete.paths.formUnion(pages.flatMap { $0.files.map(\.path) })
        complete.anchors = Dictionary(pages.map { ($0.path, $0.ids) }, uniquingKeysWith: { a, _ in a })
        var problems: [Diagnostic] = []
        var contentBySlug: [String: String] = [:]
        for page in pages {
            for check in page.checks {
                switch check {
                case .problem(let problem): problems.append(problem)
                case .deferred(let link): if let problem = complete.check(link) { problems.append(problem) }
                }
            }
            if let i = page.article, i < feedEntries, let content = page.content {
                contentBySlug[plan.articles[i].slug] = content
            }
        }
        // Every file in the order of the output, for the error about a path written twice.
        let written =
            frame.fixed + pages.flatMap { $0.files.map { OutputFile(path: $0.path, bytes: Data(), origin: $0.origin) } }
            + pages.map { OutputFile(path: $0.path, bytes: Data(), origin: $0.origin) }
        let (all, found, warnings) = frame.assembler.finish(
            written, extra: frame.extra, problems: problems, contentBySlug: contentBySlug)
        try DiagnosticBag(found).throwIfAny()
        if let writeFailure { throw BuildFailure([writeFailure]) }
        for case .failure(let problem) in all.dropFirst(written.count).map(sink.attempt) {
            throw BuildFailure([problem])
        }
        return (all.map(\.path), warnings)
    }
}

/// A sink that keeps every file in memory, for `dossier serve` and ``SiteBuilder/render()``.
/// Paths are checked as the disk would; a later file on a path replaces the earlier one (the
/// quick rebuild puts an article's new page over the old).
final class MemorySink: PageSink, @unchecked Sendable {
    private var files: [String: OutputFile]
    private let lock = NSLock()

    init(_ files: [OutputFile] = []) {
        self.files = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @discardableResult
    func write(_ file: OutputFile) throws(Diagnostic) -> Int {
        let size = try NullSink().write(file)
        lock.withLock { files[file.path] = file }
        return size
    }

    /// The files at `paths`, in that order.
    func files(at paths: [String]) -> [OutputFile] {
        lock.withLock { paths.compactMap { files[$0] } }
    }
}
