import Foundation

/// What `dossier build` can be asked to do differently.
public struct BuildOptions: Sendable {
    /// Include articles marked `draft: true`.
    public var includeDrafts: Bool
    /// Build even when nothing changed since the last build (see ``BuildRecord``).
    public var force: Bool

    public init(includeDrafts: Bool = false, force: Bool = false) {
        self.includeDrafts = includeDrafts
        self.force = force
    }
}

/// What a finished build did, for the summary line.
public struct BuildReport: Sendable {
    public var pages: Int
    public var datasets: Int
    public var files: Int
    public var bytes: Int
    public var steps: [(name: String, seconds: Double)]
    public var seconds: Double
    public var warnings: [Diagnostic] = []
    /// Every file written, by path under the output folder.
    public var paths: [String] = []
    /// Nothing had changed since the last build: the output was left as it was.
    public var upToDate = false
}

/// Builds a site: a flat list of named, timed steps from sources to `Public/`.
///
/// Only the loaders (first three steps) and the writer (last step) touch the disk; the steps
/// between are functions of values. Problems from every loader are gathered before the build
/// stops, so one run reports every broken file; the output is then left as it was.
public struct SiteBuilder: Sendable {
    public var project: Project
    public var options: BuildOptions
    /// Called once per finished step with its name and duration.
    public var onStep: @Sendable (String, Double) -> Void
    /// Called while a long step runs, from any thread, with the step's name and how many of
    /// its items (files, articles, pages) are done of how many.
    public var onProgress: (@Sendable (String, Int, Int) -> Void)?
    /// The process ends right after the build (`dossier build`): what the build holds is kept
    /// instead of freed piece by piece, which took most of a second for a million-row dataset
    /// and 100,000 pages.
    public var processEndsAfter = false

    /// What builds whose process ends after them keep (see ``processEndsAfter``).
    nonisolated(unsafe) private static var kept: [Any] = []
    private static let keptLock = NSLock()

    public init(
        project: Project, options: BuildOptions = BuildOptions(),
        onStep: @escaping @Sendable (String, Double) -> Void = { _, _ in }
    ) {
        self.project = project
        self.options = options
        self.onStep = onStep
    }

    /// The whole site in memory, before it is written.
    public struct Site: Sendable {
        public var files: [OutputFile]
        public var pages: Int
        public var datasets: Int
        /// Problems that do not stop the build (broken links, when `links: warn`).
        public var warnings: [Diagnostic] = []
        /// Every figure computed or checked in prose, for `dossier check --figures`.
        public var figures: [FigureReport] = []
    }

    /// Builds the site into the output folder. Pages are written as they are rendered (see
    /// ``SiteStream``) into a folder beside the output, which replaces it only when the whole
    /// build succeeded.
    public func build() throws(BuildFailure) -> BuildReport {
        let start = DispatchTime.now()
        let timer = StepTimer(onStep: onStep, onProgress: onProgress)
        // The stamps of the sources are taken before anything is read: a file saved while
        // the build runs makes the next build a full one.
        let inputs = BuildRecord.inputs(project, options: options)
        // Checked once: a previous output is walked to see that it holds only its own files.
        let checkedOutput = Result { () throws(Diagnostic) in try OutputWriter.checkedOutput(project) }
        if !options.force, let output = try? checkedOutput.get(),
            let record = BuildRecord.current(project, inputs: inputs, output: output.path)
        {
            var report = record.report
            report.seconds = StepTimer.seconds(since: start)
            timer.record("up to date", report.seconds)
            report.steps = timer.steps
            return report
        }
        let prepared = try prepare(timer, cache: nil)
        let staging: OutputWriter.Staging
        do throws(Diagnostic) {
            staging = try OutputWriter.Staging(output: try checkedOutput.get())
        } catch {
            throw BuildFailure([error])
        }
        do throws(BuildFailure) {
            let result = try SiteStream(prepared: prepared, sink: staging).run(timer)
            try timer.run("write") { () throws(BuildFailure) in
                do throws(Diagnostic) { try staging.swapIn() } catch { throw BuildFailure([error]) }
            }
            var report = BuildReport(
                pages: result.pages.count, datasets: prepared.datasets.count, files: result.finished.paths.count + 1,
                bytes: staging.bytes, steps: [], seconds: 0,
                warnings: (prepared.warnings + result.warnings).sorted(), paths: result.finished.paths.sorted())
            timer.run("record") {
                var read: [String: String] = [:]
                for file in prepared.datasets.flatMap(\.files) {
                    if let url = file.url, let sum = file.sha256 { read[url.standardizedFileURL.path] = sum }
                }
                BuildRecord.save(project, inputs: inputs, output: staging.output.path, report: report, read: read)
            }
            report.steps = timer.steps
            report.seconds = StepTimer.seconds(since: start)
            if processEndsAfter { Self.keptLock.withLock { Self.kept.append((prepared, result)) } }
            return report
        } catch {
            staging.abandon()
            throw error
        }
    }

    /// What `dossier check` found: the same build as ``build()`` with nothing written.
    public struct CheckReport: Sendable {
        public var pages: Int
        public var datasets: Int
        public var warnings: [Diagnostic]
        /// Every figure computed or checked in prose, for `dossier check --figures`.
        public var figures: [FigureReport]
    }

    /// Runs the whole build, pages streamed into a sink that keeps nothing: it refuses exactly
    /// what ``build()`` refuses (the output folder included) and writes nothing anywhere.
    public func check() throws(BuildFailure) -> CheckReport {
        let timer = StepTimer(onStep: onStep, onProgress: onProgress)
        let prepared = try prepare(timer, cache: nil)
        do throws(Diagnostic) { _ = try OutputWriter.checkedOutput(project) } catch { throw BuildFailure([error]) }
        let result = try SiteStream(prepared: prepared, sink: NullSink()).run(timer)
        return CheckReport(
            pages: result.pages.count, datasets: prepared.datasets.count,
            warnings: (prepared.warnings + result.warnings).sorted(), figures: prepared.figures.flatMap(\.reports))
    }

    /// Everything but writing: loads, checks and renders the site into memory.
    public func render() throws(BuildFailure) -> Site {
        try render(StepTimer(onStep: onStep, onProgress: onProgress))
    }

    /// Renders the site reusing what `cache` remembers of earlier builds whose inputs have not
    /// changed, and remembers this build's results. The files are the same as a full build's.
    public func render(cache: BuildCache) throws(BuildFailure) -> Site {
        try render(StepTimer(onStep: onStep, onProgress: onProgress), cache: cache)
    }

    /// Everything a build knows before it renders pages.
    struct Prepared {
        var content: ContentLoader.Result
        var datasets: [Dataset]
        var namedFigures: [String: FigureExpression]
        var templates: TemplateSet
        var assets: [OutputFile]
        var markdown: [RenderedMarkdown]
        var figures: [FigureRenderer.Result]
        var evaluator: FigureEvaluator
        var charts: [ChartStage.Result]
        var plan: SitePlan
        /// Problems that do not stop the build, from the steps so far.
        var warnings: [Diagnostic]
        /// Every page and its path, worked out once.
        var pages: PageRenderer.PageList? = nil

        func pageRenderer(cache: BuildCache?) -> PageRenderer {
            var renderer = PageRenderer(
                config: content.config, plan: plan, datasets: datasets, templates: templates, markdown: markdown,
                charts: charts, cache: cache, figures: evaluator)
            renderer.list = pages
            return renderer
        }

        func assembler(cache: BuildCache?) -> SiteAssembler {
            SiteAssembler(
                config: content.config, plan: plan, datasets: datasets, assets: assets, markdown: markdown,
                cache: cache)
        }
    }

    private func render(_ timer: StepTimer, cache: BuildCache? = nil) throws(BuildFailure) -> Site {
        if let cache {
            let start = DispatchTime.now()
            if let site = quickRebuild(cache) {
                timer.record("article only", StepTimer.seconds(since: start))
                return site
            }
        }
        let prepared = try prepare(timer, cache: cache)
        // The same path as `build` and `check`, into memory: serve's store, which keeps what
        // did not change, or a fresh one.
        let sink = cache?.store ?? MemorySink()
        let result = try SiteStream(prepared: prepared, sink: sink, cache: cache).run(timer)
        sink.retain(result.finished.paths)
        let site = Site(
            files: sink.files(at: result.finished.paths), pages: result.pages.count, datasets: prepared.datasets.count,
            warnings: (prepared.warnings + result.warnings).sorted(),
            figures: prepared.figures.flatMap(\.reports))
        cache?.last = LastBuild(
            includeDrafts: options.includeDrafts, prepared: prepared, pages: result.pages, frame: result.frame,
            finished: result.finished, site: site)
        return site
    }

    /// Loads, checks and prepares everything up to the pages: content, data, templates,
    /// figures, Markdown, charts and the plan of the site.
    func prepare(_ timer: StepTimer, cache: BuildCache?) throws(BuildFailure) -> Prepared {
        cache?.last = nil
        cache?.lastWasQuick = false
        var problems = DiagnosticBag()
        let project = self.project

        let (loadedContent, contentProblems) = timer.run("load content") {
            ContentLoader.load(project, includeDrafts: options.includeDrafts, cache: cache?.content)
        }
        problems.append(contentsOf: contentProblems)

        let (datasets, dataProblems) = timer.run("load data") { DatasetLoader.loadAll(project, cache: cache?.datasets) }
        problems.append(contentsOf: dataProblems.filter { $0.severity == .error })
        let dataWarnings = dataProblems.filter { $0.severity == .warning }
        var (namedFigures, figureFileProblems) = FigureStage.loadNamed(project)
        problems.append(contentsOf: figureFileProblems)
        problems.append(contentsOf: FigureStage.addDatasetFigures(datasets, to: &namedFigures))

        let (templates, assets, templateProblems) = timer.run("load templates") {
            let (templates, problems) = TemplateSet.load(project)
            let (assets, assetProblems) = AssetLoader.load(project)
            return (templates, assets, problems + assetProblems)
        }
        problems.append(contentsOf: templateProblems)
        problems.append(contentsOf: SourceFiles.linkProblems(project))

        if let loadedContent {
            problems.append(contentsOf: SiteChecks.references(loadedContent.articles, datasets: DatasetLoader.names(project)))
        }
        try problems.throwIfAny()
        guard var loaded = loadedContent, let templates else { throw BuildFailure(problems.items) }
        // The interface words of the site's language, with the site's own over Dossier's.
        let (words, wordWarnings) = templates.interface.words(
            for: loaded.config.language, defaultLanguage: loaded.config.language)
        loaded.config.format.words = words
        // Articles in other languages (`lang:`) are written with their language's numbers,
        // dates and words.
        var languageWarnings: [Diagnostic] = []
        let languages = Set(loaded.articles.compactMap(\.lang) + loaded.config.languages)
        for language in languages.sorted() where language != loaded.config.language {
            var format = loaded.config.baseFormat(for: language)
            let (words, warnings) = templates.interface.words(for: language, defaultLanguage: loaded.config.language)
            format.words = words
            languageWarnings += warnings
            loaded.config.languageFormats[language] = format
        }
        let content = loaded

        // Figures in prose become placeholders that cmark-gfm passes through untouched.
        let extracted = timer.run("find figures") { () -> [(String, [FigureUse], Diagnostic?)] in
            let known = cache?.figureUses.all() ?? [:]
            return parallelMap(content.articles) { article -> (String, [FigureUse], Diagnostic?) in
                if let (signature, body, uses) = known[article.sourcePath], signature == article.fullSignature {
                    return (body, uses, nil)
                }
                do throws(LocalError) {
                    let (body, uses) = try FigureStage.extract(article.body)
                    cache?.figureUses.set(article.sourcePath, (article.fullSignature, body, uses))
                    return (body, uses, nil)
                } catch {
                    return (
                        article.body, [], error.diagnostic(in: article.sourcePath, lineOffset: article.bodyLine - 1, code: .figureSyntax)
                    )
                }
            }
        }
        try DiagnosticBag(extracted.compactMap(\.2)).throwIfAny()
        // Numbers typed in prose, when the site asks for them to be reported.
        var typedNumberWarnings: [Diagnostic] = []
        if content.config.typedNumbers != .ignore {
            let found = timer.run("typed numbers") {
                parallelMap(content.articles) {
                    TypedNumbers.problems($0, severity: content.config.typedNumbers == .error ? .error : .warning)
                }.flatMap { $0 }
            }
            if content.config.typedNumbers == .error { try DiagnosticBag(found).throwIfAny() }
            typedNumberWarnings = found
        }

        MarkdownRenderer.prepare()
        let markdownOptions = MarkdownRenderer.Options(
            unsafeHTML: content.config.unsafeHTML, reservedIDs: templates.literalIDs)
        var rendered = timer.run("markdown") {
            let known = cache?.markdown.all() ?? [:]
            return parallelMap(Array(zip(content.articles, extracted.map(\.0)))) { article, body -> RenderedMarkdown in
                if let (cachedBody, options, rendered) = known[article.sourcePath], cachedBody == body,
                    options == markdownOptions
                {
                    return rendered
                }
                let rendered = MarkdownRenderer.render(body, options: markdownOptions)
                cache?.markdown.set(article.sourcePath, (body, markdownOptions, rendered))
                return rendered
            }
        }
        try DiagnosticBag(
            zip(content.articles, rendered).flatMap { article, markdown in
                markdown.unsafe.map {
                    Diagnostic(
                        SourceLocation(path: article.sourcePath, line: article.bodyLine + $0.line - 1, column: $0.column),
                        $0.message, hint: "Dossier's pages run no script; see `unsafe_html` in the README", code: .unsafeHTML)
                }
            }
        ).throwIfAny()

        // One evaluator for prose, article charts and template charts: named figures are
        // computed once.
        let evaluator = FigureEvaluator(
            datasets: Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) }), named: namedFigures)
        let figures = timer.run("figures") {
            FigureRenderer(
                config: content.config, datasets: datasets, named: namedFigures,
                dataPage: templates.names.contains("sources")
            ).render(content.articles, uses: extracted.map(\.1), evaluator: evaluator)
        }
        var figureWarnings: [Diagnostic] = []
        for (i, result) in figures.enumerated() { FigureRenderer.apply(result, to: &rendered[i]) }
        let figureProblems = figures.flatMap(\.problems)
        if content.config.claimsWarnOnly {
            figureWarnings = figureProblems.filter { $0.code.family == "claim" }.map(\.asWarning)
            try DiagnosticBag(figureProblems.filter { $0.code.family != "claim" }).throwIfAny()
        } else {
            try DiagnosticBag(figureProblems).throwIfAny()
        }

        let charts = timer.run("charts") {
            ChartStage.render(
                articles: content.articles, markdown: rendered, datasets: datasets, config: content.config,
                figures: evaluator, dataPage: templates.names.contains("sources"),
                cache: cache?.charts)
        }
        try DiagnosticBag(charts.flatMap(\.problems).filter { $0.severity == .error }).throwIfAny()
        let chartWarnings = charts.flatMap(\.problems).filter { $0.severity == .warning }

        var (plan, planProblems) = timer.run("plan") {
            SitePlan.make(
                content.articles, defaultAuthor: content.config.author, slugs: content.config.slugs,
                languages: content.config.languages, cache: cache)
        }
        plan.draftSources = content.draftSources
        let byName = Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) })
        timer.run("data pages") {
            for spec in content.dataPages {
                let (pages, problems) = DataPages.expand(spec, datasets: byName, slugs: content.config.slugs)
                planProblems += problems
                if let pages {
                    for name in [spec.template, spec.listTemplate] where !templates.names.contains(name) {
                        planProblems.append(
                            Diagnostic(
                                spec.location(name == spec.template ? "template" : "list_template"),
                                "template '\(name)' does not exist", hint: "add Templates/\(name).mustache", code: .pagesMissingTemplate))
                    }
                    plan.dataPages.append(pages)
                }
            }
            planProblems += plan.addDataPageTags()
        }
        planProblems += SiteChecks.search(content.config.search, datasets: byName, sections: plan.dataPages.map(\.spec.folder))
        try DiagnosticBag(planProblems).throwIfAny()
        if templates.names.contains("az") {
            plan.alphabets = timer.run("a-z") { parallelMap(plan.dataPages) { Alphabet($0.entities) } }
        }

        var prepared = Prepared(
            content: content, datasets: datasets, namedFigures: namedFigures, templates: templates, assets: assets,
            markdown: rendered, figures: figures, evaluator: evaluator, charts: charts, plan: plan,
            warnings: dataWarnings + chartWarnings + figureWarnings + typedNumberWarnings + wordWarnings + languageWarnings)
        let checked = timer.run("paths") { () -> (problems: [Diagnostic], warnings: [Diagnostic]) in
            prepared.pages = prepared.pageRenderer(cache: nil).pageList()
            // What the paths alone decide: a rebuild whose pages are the same as the last clean
            // build's has nothing to check again.
            var hasher = Hasher()
            hasher.combine(prepared.pages?.paths ?? [])
            hasher.combine(project.output.path)
            let pathsKey = hasher.finalize()
            guard cache?.cleanPaths.get(0) != pathsKey else { return ([], []) }
            let (pathProblems, pathWarnings) = SiteChecks.pages(prepared.pageRenderer(cache: nil), output: project.output.path)
            if pathProblems.isEmpty && pathWarnings.isEmpty { cache?.cleanPaths.set(0, pathsKey) }
            return (pathProblems, pathWarnings)
        }
        try DiagnosticBag(checked.problems).throwIfAny()
        prepared.warnings += checked.warnings
        return prepared
    }

}

extension PageContext: @unchecked Sendable {}

/// Times the build's steps and reports each as it finishes.
final class StepTimer {
    private(set) var steps: [(name: String, seconds: Double)] = []
    let onStep: @Sendable (String, Double) -> Void
    let onProgress: (@Sendable (String, Int, Int) -> Void)?

    init(
        onStep: @escaping @Sendable (String, Double) -> Void,
        onProgress: (@Sendable (String, Int, Int) -> Void)? = nil
    ) {
        self.onStep = onStep
        self.onProgress = onProgress
    }

    func run<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        let start = DispatchTime.now()
        let sink = onProgress.map { report in { @Sendable (done: Int, total: Int) in report(name, done, total) } }
        let result: Result<T, E> = Progress.with(sink) {
            do throws(E) { return .success(try body()) } catch { return .failure(error) }
        }
        let seconds = StepTimer.seconds(since: start)
        steps.append((name, seconds))
        onStep(name, seconds)
        return try result.get()
    }

    /// A step timed by the caller.
    func record(_ name: String, _ seconds: Double) {
        steps.append((name, seconds))
        onStep(name, seconds)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// Checks across stages: what one source names must exist in another.
enum SiteChecks {
    /// The longest file name most file systems hold, in bytes, and the longest path Linux takes.
    static let maxNameBytes = 255
    static let maxPathBytes = 4096

    /// What would stop pages from being written, found before any is: two pages on one path
    /// (an article whose slug is a folder of pages made from data), a file name over 255 bytes
    /// or a path over 4,096 with the output folder; and, as warnings, two paths that differ only
    /// in case (one overwrites the other on macOS and Windows disks and on many hosts). Each is
    /// reported at the source that made the page.
    static func pages(_ renderer: PageRenderer, output: String) -> (errors: [Diagnostic], warnings: [Diagnostic]) {
        var first: [String: Int] = [:]
        var folded: [String: String] = [:]
        var problems: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        func origin(_ kind: PageRenderer.Kind) -> (SourceLocation, String) {
            switch kind {
            case .article(let i):
                let article = renderer.plan.articles[i]
                return (article.slugLocation ?? SourceLocation(path: article.sourcePath, line: 1, column: 1), "")
            case .entity(let i, let j):
                let pages = renderer.plan.dataPages[i]
                let entity = pages.entities[j]
                let value = entity.key.plainText
                let shown = value.count > 60 ? value.prefix(60) + "…" : value[...]
                return (
                    pages.spec.location(pages.spec.lines["slug"] == nil && pages.spec.key != nil ? "key" : "slug"),
                    " (row \(entity.rows[0] + 1) of \(pages.dataset.path), \(pages.spec.key ?? "row") '\(shown)')"
                )
            case .entityList(let i, _, _), .azIndex(let i, _, _): return (renderer.plan.dataPages[i].spec.location("slug"), "")
            default: return (SourceLocation(path: "Templates/\(renderer.template(of: kind)).mustache"), "")
            }
        }
        let list = renderer.pageList()
        let kinds = list.kinds
        let paths = list.paths
        // A page may not be written where another needs a folder. The folders are mapped while
        // each path's longest name and lower-case spelling are worked out on both cores.
        let (folders, facts) = sideBySide {
            OutputWriter.firstNeedingFolders(paths)
        } _: {
            parallelMap(paths) { path -> (lower: String, longestName: Int) in
                var longest = 0
                var length = 0
                for byte in path.utf8 {
                    if byte == UInt8(ascii: "/") {
                        longest = max(longest, length)
                        length = 0
                    } else {
                        length += 1
                    }
                }
                return (path.lowercased(), max(longest, length))
            }
        }
        first.reserveCapacity(paths.count)
        folded.reserveCapacity(paths.count)
        for (index, kind) in kinds.enumerated() {
            let path = paths[index]
            // Where the page comes from is worked out only when there is something to say.
            var found: (SourceLocation, String)?
            var here: SourceLocation { (found ?? { found = origin(kind); return found! }()).0 }
            var row: String { (found ?? { found = origin(kind); return found! }()).1 }
            // A clash involving an article is reported at its `slug:` line, which the user
            // chose; a page of a template or a listing has no line to change.
            func blamed(_ other: Int) -> SourceLocation {
                if case .article = kind { return here }
                if case .article = kinds[other] { return origin(kinds[other]).0 }
                return here
            }
            if let other = folders[path] {
                let place = blamed(other)
                problems.append(
                    Diagnostic(
                        place,
                        "page \(path)\(place == here ? "" : " (by \(here.path))") would be a file where \(paths[other]) needs a folder (by \(origin(kinds[other]).0.path))\(row)",
                        hint: "give the article another `slug:`", code: .pageFileAndFolder))
            }
            if let other = first[path] {
                let place = blamed(other)
                // The page reported at comes second.
                let by = place == here ? (origin(kinds[other]).0.path, here.path) : (here.path, place.path)
                problems.append(
                    Diagnostic(
                        place,
                        "page \(path) would be written twice: by \(by.0) and by \(by.1)\(row)",
                        hint: "give the article another `slug:`, or move the pages made from data to another folder", code: .pageDuplicatePath))
                continue
            }
            first[path] = index
            if facts[index].longestName > maxNameBytes,
                let long = path.split(separator: "/").first(where: { $0.utf8.count > maxNameBytes })
            {
                problems.append(
                    Diagnostic(
                        here,
                        "page \(path.prefix(60))… has a name of \(long.utf8.count) bytes\(row); a file name may have at most \(maxNameBytes)",
                        hint: kind.isEntity
                            ? "set `slug_max: 80` in the _pages.yml (slugs are shortened, and must stay distinct) or make `slug:` from a shorter column"
                            : "write a shorter `slug:`", code: .pageNameTooLong))
            } else if output.utf8.count + 1 + path.utf8.count > maxPathBytes {
                problems.append(
                    Diagnostic(
                        here,
                        "page \(path.prefix(60))… would have a path of \(output.utf8.count + 1 + path.utf8.count) bytes\(row); the file system takes at most \(maxPathBytes)",
                        hint: "use shorter slugs or fewer folders", code: .pagePathTooLong))
            }
            let lower = facts[index].lower
            if let other = folded[lower], other != path {
                var warning = Diagnostic(
                    here, "page \(path) differs from \(other) only in case\(row); on macOS and Windows disks and many hosts one overwrites the other",
                    hint: "make the slugs differ in more than case", code: .pageCaseOnly)
                warning.severity = .warning
                warnings.append(warning)
            } else {
                folded[lower] = path
            }
        }
        return (problems, warnings)
    }

    /// `search:` settings that name what the site does not have: a dataset or a column under
    /// `columns:`, a section under `sections:` (a typo would leave pages out of the index, or
    /// their values unsearchable, and say nothing).
    static func search(_ settings: SiteConfig.SearchSettings?, datasets: [String: Dataset], sections: [String]) -> [Diagnostic] {
        guard let settings else { return [] }
        var problems: [Diagnostic] = []
        func place(_ key: String) -> SourceLocation { settings.places[key] ?? SourceLocation(path: SiteConfig.path) }
        for (name, columns) in settings.columns.sorted(by: { $0.key < $1.key }) {
            guard let dataset = datasets[name] else {
                problems.append(
                    Diagnostic(
                        place("columns." + name), "search: columns: names dataset '\(name)', which does not exist",
                        hint: "datasets: \(datasets.keys.sorted().joined(separator: ", "))", code: .siteConfig))
                continue
            }
            for column in columns where dataset.columnIndex(column) == nil {
                problems.append(
                    Diagnostic(
                        place("columns." + name), "search: columns: names column '\(column)', which \(name) does not have",
                        hint: "its columns: \(dataset.columns.map(\.name).joined(separator: ", "))", code: .siteConfig))
            }
        }
        let known = ["articles"] + sections
        for section in settings.sections ?? [] where !known.contains(section) {
            problems.append(
                Diagnostic(
                    place("sections"), "search: sections: names '\(section)', which is not a section of the site",
                    hint: "sections: \(known.joined(separator: ", "))", code: .siteConfig))
        }
        return problems
    }

    /// Checks that every dataset an article names has a file, loaded or not (a dataset that
    /// failed to load has its own error already).
    static func references(_ articles: [Article], datasets names: Set<String>) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for article in articles {
            for table in article.tables where !names.contains(table) {
                problems.append(
                    Diagnostic(
                        article.tablesLocation ?? SourceLocation(path: article.sourcePath),
                        "tables names dataset '\(table)', which does not exist",
                        hint: names.isEmpty
                            ? "put it in Data/\(table).csv" : "datasets: \(names.sorted().joined(separator: ", "))", code: .unknownTable))
            }
        }
        return problems
    }
}

extension SiteBuilder {
    /// `dossier check --i18n`: per language of the site and of `Templates/i18n/`, how many keys
    /// it has, the keys it lacks and the keys nothing reads.
    public func interfaceReport() throws(BuildFailure) -> [String] {
        let (config, configProblems) = ContentLoader.settings(project)
        let (templates, templateProblems) = TemplateSet.load(project)
        try DiagnosticBag(configProblems + templateProblems).throwIfAny()
        guard let config, let templates else { return [] }
        return templates.interface.report(
            languages: [config.language], defaultLanguage: config.language, templateNames: templates.lookedUp)
    }
}
