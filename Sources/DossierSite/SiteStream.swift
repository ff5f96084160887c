import Foundation

/// The pages of a build streamed to disk: each page is rendered, its links are rewritten and
/// checked, and it is written to the staging folder at once, so that a site of 100,000 pages
/// never holds them all in memory and writing overlaps rendering. Links to what no page made
/// yet (a chart's CSV file, an anchor on another page) are checked when every page is done.
/// The files are byte for byte those of ``SiteBuilder/render()``, and a problem anywhere
/// leaves the output as it was: the staging folder is only swapped in by the caller.
struct SiteStream {
    let prepared: SiteBuilder.Prepared
    /// The staging folder (`build`) or nothing (`check`).
    let staging: any PageSink

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
    }

    struct Result {
        var pages: Int
        /// Every file written, by path under the output folder.
        var paths: [String]
        var warnings: [Diagnostic]
    }

    func run(_ timer: StepTimer) throws(BuildFailure) -> Result {
        let config = prepared.content.config
        let plan = prepared.plan
        let renderer = prepared.pageRenderer(cache: nil)
        let assembler = prepared.assembler(pages: [], cache: nil)
        let kinds = renderer.kinds()
        let infos = kinds.map { kind -> SiteAssembler.PageInfo in
            var article: Int?
            if case .article(let i) = kind { article = i }
            return SiteAssembler.PageInfo(
                path: renderer.path(of: kind), template: "Templates/\(renderer.template(of: kind)).mustache",
                article: article)
        }
        let (fixed, assetMap, extra) = assembler.fixedFiles(infos)
        for case .failure(let problem) in parallelMap(fixed, staging.attempt) { throw BuildFailure([problem]) }

        var known = Set(fixed.map(\.path) + infos.map(\.path) + extra.map(\.path))
        if config.feedEntries != nil { known.insert("feed.xml") }
        var resolver = assembler.resolver(paths: known, anchors: [:], assets: assetMap)
        resolver.complete = false
        let partial = resolver
        let staging = self.staging
        let pages = timer.run("pages") {
            renderer.renderEach { page -> Page in
                let ids = LinkResolver.ids(in: page.html)
                var own = partial
                own.anchors = [page.path: ids]
                let checked = assembler.process(page, resolver: own)
                var failure: Diagnostic?
                if page.problems.isEmpty {
                    for file in page.files + [checked.file] {
                        do throws(Diagnostic) { try staging.write(file) } catch { failure = failure ?? error }
                    }
                }
                return Page(
                    path: page.path, origin: checked.file.origin, article: page.article, ids: ids,
                    checks: checked.checks,
                    renderProblems: page.problems, content: checked.content,
                    files: page.files.map { ($0.path, $0.origin) }, failure: failure)
            }
        }
        try DiagnosticBag(pages.flatMap(\.renderProblems)).throwIfAny()
        // A file that could not be written is reported after the checks below, which say why
        // (two files on one path, a file where a folder goes) at the source that made it.
        let writeFailure = pages.lazy.compactMap(\.failure).first

        let (paths, problems, warnings) = timer.run("links") { () -> ([String], [Diagnostic], [Diagnostic]) in
            var complete = resolver
            complete.complete = true
            complete.paths.formUnion(pages.flatMap { $0.files.map(\.path) })
            complete.anchors = Dictionary(uniqueKeysWithValues: pages.map { ($0.path, $0.ids) })
            var problems: [Diagnostic] = []
            var contentBySlug: [String: String] = [:]
            for page in pages {
                for check in page.checks {
                    switch check {
                    case .problem(let problem): problems.append(problem)
                    case .deferred(let link): if let problem = complete.check(link) { problems.append(problem) }
                    }
                }
                if let i = page.article, let content = page.content { contentBySlug[plan.articles[i].slug] = content }
            }
            // Every file in the order the in-memory build lists them, for the error about a
            // path written twice.
            let written =
                fixed + pages.flatMap { $0.files.map { OutputFile(path: $0.path, bytes: Data(), origin: $0.origin) } }
                + pages.map { OutputFile(path: $0.path, bytes: Data(), origin: $0.origin) }
            let (all, found, warnings) = assembler.finish(
                written, extra: extra, problems: problems, contentBySlug: contentBySlug)
            if found.isEmpty && writeFailure == nil {
                for case .failure(let problem) in all.dropFirst(written.count).map(staging.attempt) {
                    return ([], [problem], [])
                }
            }
            return (all.map(\.path), found, warnings)
        }
        try DiagnosticBag(problems).throwIfAny()
        if let writeFailure { throw BuildFailure([writeFailure]) }
        return Result(pages: pages.count, paths: paths, warnings: warnings)
    }
}
