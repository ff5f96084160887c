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
/// its links are not checked again; the quick rebuild of `serve` runs ``emit(_:frame:)`` and
/// ``finish(_:frame:changed:last:)`` for the articles it rendered, on the last build's pages.
struct SiteStream {
    let prepared: SiteBuilder.Prepared
    let sink: any PageSink
    let cache: BuildCache?

    /// What is kept of a page once it is written.
    /// A class: a build hands 10,000 of them from step to step, and copying a struct of this
    /// many references cost more in retains and releases than the step's own work.
    final class Page: Sendable {
        let path: String
        let origin: String
        let article: Int?
        let ids: Set<String>
        /// A hash of `ids`, kept with them between builds.
        let idsHash: Int
        let checks: [LinkResolver.Check]
        let renderProblems: [Diagnostic]
        let content: String?
        let files: [(path: String, origin: String)]
        let failure: Diagnostic?
        /// With a cache: whether the page was rendered (not reused) and its links checked again.
        let rendered: Bool
        let relinked: Bool

        init(
            path: String, origin: String, article: Int?, ids: Set<String>, idsHash: Int, checks: [LinkResolver.Check],
            renderProblems: [Diagnostic], content: String?, files: [(path: String, origin: String)],
            failure: Diagnostic?, rendered: Bool, relinked: Bool
        ) {
            self.path = path
            self.origin = origin
            self.article = article
            self.ids = ids
            self.idsHash = idsHash
            self.checks = checks
            self.renderProblems = renderProblems
            self.content = content
            self.files = files
            self.failure = failure
            self.rendered = rendered
            self.relinked = relinked
        }
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

    /// What a finished build knows of the whole site: every path in the order of the output
    /// (files besides pages, pages' own files, pages, then robots, sitemap and feed), and the
    /// resolver that knows every page's anchors.
    struct Finished: @unchecked Sendable {
        var paths: [String]
        var complete: LinkResolver
    }

    struct Result {
        var pages: [Page]
        var finished: Finished
        var warnings: [Diagnostic]
        var frame: Frame
    }

    /// With a cache: its pages' ids and checked links as they were when the build began, read
    /// without a lock from every thread.
    private var known: (anchors: [String: (Int, Set<String>, Int)], links: [String: (Int, Int, CheckedPage)])?

    /// Whether the sink still holds what earlier builds gave it (serve's store in the cache):
    /// then a page that was neither rendered nor checked again is not handed to it again.
    private let sinkKeepsPages: Bool

    init(prepared: SiteBuilder.Prepared, sink: any PageSink, cache: BuildCache? = nil) {
        self.prepared = prepared
        self.sink = sink
        self.cache = cache
        sinkKeepsPages = cache.map { ($0.store as AnyObject) === (sink as AnyObject) } ?? false
    }

    func run(_ timer: StepTimer) throws(BuildFailure) -> Result {
        let renderer = prepared.pageRenderer(cache: cache)
        let frame = try timer.run("files") { () throws(BuildFailure) in try begin(renderer) }
        var stream = self
        if let cache { stream.known = (cache.anchors.all(), cache.links.all()) }
        let pages = timer.run("pages") { [stream] in renderer.renderEach { stream.emit($0, frame: frame) } }
        if let cache {
            cache.renderedPages = pages.filter(\.rendered).map(\.path).sorted()
            cache.relinkedPages = pages.filter(\.relinked).map(\.path).sorted()
            let paths = Set(pages.map(\.path))
            cache.links.retain(paths)
            cache.anchors.retain(paths)
        }
        try DiagnosticBag(pages.flatMap(\.renderProblems).filter { $0.severity == .error }).throwIfAny()
        var (finished, warnings) = try timer.run("links") { () throws(BuildFailure) in try finish(pages, frame: frame) }
        // Left-out template charts: one warning per template and chart, not one per page.
        var seen: Set<String> = []
        for warning in pages.flatMap(\.renderProblems) where warning.severity == .warning && seen.insert(warning.headline).inserted {
            warnings.append(warning)
        }
        return Result(pages: pages, finished: finished, warnings: warnings, frame: frame)
    }

    /// Writes the files besides the pages and sets up the link resolver.
    func begin(_ renderer: PageRenderer) throws(BuildFailure) -> Frame {
        let config = prepared.content.config
        let plan = prepared.plan
        let assembler = prepared.assembler(cache: cache)
        let list = renderer.pageList()
        let infos = list.kinds.indices.map { i -> SiteAssembler.PageInfo in
            let kind = list.kinds[i]
            var article: Int?
            if case .article(let a) = kind { article = a }
            var info = SiteAssembler.PageInfo(path: list.paths[i], template: renderer.template(of: kind), article: article)
            info.alternates = renderer.alternates(of: kind).map { (plan.languages[$0.language].code, $0.path) }
            return info
        }
        let (fixed, assetMap, extra) = assembler.fixedFiles(infos)
        for case .failure(let problem) in parallelMap(fixed, sink.attempt) { throw BuildFailure([problem]) }

        // Paths come in an order fixed by the inputs: no sort is needed to compare.
        let paths = fixed.map(\.path) + infos.map(\.path) + extra.map(\.path) + (config.feedEntries != nil ? prepared.plan.feeds(count: 0).map(\.path) : [])
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
        let idsHash: Int
        // The page's links, when they were found in the same scan as its ids.
        var links: [LinkResolver.Link]?
        if reusable != nil, let (signature, ids0, hash) = known?.anchors[page.path], signature == page.signature {
            (ids, idsHash) = (ids0, hash)
        } else {
            (links, ids) = LinkResolver.scan(page.bytes)
            idsHash = ids.hashValue
            reusable?.anchors.set(page.path, (page.signature, ids, idsHash))
        }
        var relinked = false
        let checked: CheckedPage
        if reusable != nil, let (signature, environment, page0) = known?.links[page.path],
            signature == page.signature, environment == frame.environment
        {
            checked = page0
        } else {
            var own = frame.resolver
            own.anchors = [page.path: ids]
            own.pageFiles = page.files.map(\.path)
            checked = frame.assembler.process(page, resolver: own, links: links)
            reusable?.links.set(page.path, (page.signature, frame.environment, checked))
            relinked = true
        }
        var failure: Diagnostic?
        if sinkKeepsPages, !rendered.fresh, !relinked {
            // The store has this very page and its files from the build that made them.
        } else if !page.problems.contains(where: { $0.severity == .error }) {
            for file in page.files {
                do throws(Diagnostic) { try sink.write(file) } catch { failure = failure ?? error }
            }
            do throws(Diagnostic) { try sink.write(checked.file) } catch { failure = failure ?? error }
        }
        return Page(
            path: page.path, origin: checked.file.origin, article: page.article, ids: ids, idsHash: idsHash,
            checks: checked.checks,
            renderProblems: page.problems, content: checked.content,
            files: page.files.map { ($0.path, $0.origin) }, failure: failure, rendered: rendered.fresh,
            relinked: relinked)
    }

    /// Once every page is written: the deferred link checks against the whole site, the feed,
    /// paths written twice, then robots, sitemap and feed to the sink. Returns every path in the
    /// order of the output, and the warnings.
    ///
    /// The quick rebuild passes the pages it emitted again (`changed`) and the last build's
    /// `Finished`, having made sure that their paths, files and anchors are as they were: then
    /// only their links are checked, and only the feed is made again.
    func finish(_ pages: [Page], frame: Frame, changed: [Int]? = nil, last: Finished? = nil) throws(BuildFailure)
        -> (Finished, warnings: [Diagnostic])
    {
        // A file that could not be written is reported after the checks below, which say why
        // (two files on one path, a file where a folder goes) at the source that made it.
        let indices: [Int] = changed ?? Array(pages.indices)
        var writeFailure: Diagnostic?
        for i in indices where writeFailure == nil { writeFailure = pages[i].failure }
        let plan = prepared.plan
        let feedEntries = prepared.content.config.feedEntries ?? 0
        // What the deferred checks read: every path and every page's anchors. While it stays the
        // same (serve, after most edits), a page whose links were not checked again in `emit`
        // has the deferred problems it had, and the complete resolver is the one from before.
        // (The quick rebuild has made sure of that itself: no key.)
        var linkKey = 0
        if last == nil, cache != nil {
            var key = Hasher()
            key.combine(frame.environment)
            for page in pages {
                key.combine(page.path)
                key.combine(page.idsHash)
                for file in page.files { key.combine(file.path) }
            }
            linkKey = key.finalize()
        }
        let before = last == nil ? cache?.deferred.get(0) : nil
        let reuse = before?.key == linkKey
        let complete: LinkResolver
        if let last {
            complete = last.complete
        } else if reuse, let before {
            complete = before.resolver
        } else if cache == nil, !indices.contains(where: { pages[$0].checks.contains(where: \.isDeferred) }) {
            // No link waits for the whole site and no cache keeps the resolver for the next
            // build: every path and every page's ids gathered into it would go unread (half a
            // second at 100,000 pages).
            complete = frame.resolver
        } else if cache == nil {
            // Nothing keeps the resolver after this build: it is given only what the deferred
            // checks read, the paths and anchors of their targets (a link from 100,000 pages to
            // one anchor of the data page gathered every page's files and ids: half a second).
            // Pages' own HTML files stay too, which a missing link's hint lists.
            var targets: Set<String> = []
            for i in indices {
                for case .deferred(let link) in pages[i].checks { targets.insert(link.path) }
            }
            var resolver = frame.resolver
            resolver.complete = true
            resolver.anchors = [:]
            for page in pages {
                for file in page.files where targets.contains(file.path) || file.path.hasSuffix(".html") {
                    resolver.paths.insert(file.path)
                }
                if targets.contains(page.path), resolver.anchors[page.path] == nil { resolver.anchors[page.path] = page.ids }
            }
            complete = resolver
        } else {
            var resolver = frame.resolver
            resolver.complete = true
            resolver.paths.formUnion(pages.flatMap { $0.files.map(\.path) })
            resolver.anchors = Dictionary(pages.map { ($0.path, $0.ids) }, uniquingKeysWith: { a, _ in a })
            complete = resolver
        }
        var problems: [Diagnostic] = []
        var deferredProblems: [String: [Diagnostic]] = [:]
        for i in indices {
            let page = pages[i]
            if reuse, !page.relinked, let before {
                for check in page.checks { if case .problem(let problem) = check { problems.append(problem) } }
                if let known = before.problems[page.path] {
                    problems += known
                    deferredProblems[page.path] = known
                }
                continue
            }
            for check in page.checks {
                switch check {
                case .problem(let problem): problems.append(problem)
                case .deferred(let link):
                    if let problem = complete.check(link) {
                        problems.append(problem)
                        deferredProblems[page.path, default: []].append(problem)
                    }
                }
            }
        }
        if last == nil { cache?.deferred.set(0, (linkKey, complete, deferredProblems)) }
        // The content of the feed's articles, as checked: gathered only when the feed is made.
        func contentBySlug() -> [String: String] {
            var content: [String: String] = [:]
            for page in pages {
                if let i = page.article, plan.inFeed(i, count: feedEntries), let text = page.content {
                    content[plan.articles[i].slug] = text
                }
            }
            return content
        }
        if let last {
            // Nothing but these pages changed: no path is new, and the feed is all that lists
            // them (made again only when one of them is in it).
            if let writeFailure { throw BuildFailure([writeFailure]) }
            guard problems.isEmpty else { throw BuildFailure(problems) }
            let inFeed = indices.contains { pages[$0].article.map { plan.inFeed($0, count: feedEntries) } ?? false }
            if inFeed {
                for feed in frame.assembler.feed(contentBySlug: contentBySlug()) {
                    for case .failure(let problem) in [sink.attempt(feed)] { throw BuildFailure([problem]) }
                }
            }
            return (last, [])
        }
        // Every file in the order of the output, for the error about a path written twice.
        let written =
            frame.fixed + pages.flatMap { $0.files.map { OutputFile(path: $0.path, bytes: Data(), origin: $0.origin) } }
            + pages.map { OutputFile(path: $0.path, bytes: Data(), origin: $0.origin) }
        let (all, found, warnings) = frame.assembler.finish(
            written, extra: frame.extra, problems: problems, contentBySlug: contentBySlug())
        try DiagnosticBag(found).throwIfAny()
        if let writeFailure { throw BuildFailure([writeFailure]) }
        for case .failure(let problem) in all.dropFirst(written.count).map(sink.attempt) {
            throw BuildFailure([problem])
        }
        return (Finished(paths: all.map(\.path), complete: complete), warnings)
    }
}

/// A sink that keeps every file in memory: serve's store (``BuildCache``) and
/// ``SiteBuilder/render()``.
final class MemorySink: PageSink, @unchecked Sendable {
    /// Files by path; a later file on a path replaces the earlier one.
    private var files: [String: OutputFile] = [:]
    private let lock = NSLock()

    init() {}

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

    /// Keeps only the files at `paths` (a page deleted since the last build goes).
    func retain(_ paths: [String]) {
        lock.withLock {
            let keep = Set(paths)
            if files.count != keep.count { files = files.filter { keep.contains($0.key) } }
        }
    }
}
