import Foundation

/// Puts the site together: fingerprints assets, copies datasets, writes the feed, sitemap and
/// robots file, then checks every link and anchor of every page and every page's `lang`, and
/// that no two things write one path.
struct SiteAssembler: @unchecked Sendable {
    let config: SiteConfig
    let plan: SitePlan
    let datasets: [Dataset]
    let assets: [OutputFile]
    /// Each article's Markdown, for where its links were written.
    let markdown: [RenderedMarkdown]
    var cache: BuildCache? = nil

    /// `assets/style.css` → `assets/style.3f9a1c2b.css`: the name changes with the content, so
    /// hosts may cache it forever.
    static func fingerprinted(_ path: String, bytes: Data) -> String {
        let hash = String(SHA256.hex(bytes).prefix(8))
        let name = (path as NSString).lastPathComponent
        let folder = (path as NSString).deletingLastPathComponent
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        let renamed = ext.isEmpty ? "\(stem).\(hash)" : "\(stem).\(hash).\(ext)"
        return folder.isEmpty ? renamed : folder + "/" + renamed
    }

    /// What the files besides the pages need to know of a page.
    struct PageInfo {
        var path: String
        /// The template's name (`article`, `sources`, `404`).
        var template: String
        var article: Int?
        /// The same page in every language that has it (language code, path), itself included;
        /// empty on a site of one language.
        var alternates: [(language: String, path: String)] = []
    }

    /// The files that are not pages: assets (fingerprinted), copies of the datasets for the
    /// data page, `robots.txt` and the sitemap (`extra`).
    func fixedFiles(_ pages: [PageInfo]) -> (files: [OutputFile], assetMap: [String: String], extra: [OutputFile]) {
        var files: [OutputFile] = []
        var assetMap: [String: String] = [:]
        for asset in assets {
            let name = SiteAssembler.fingerprinted(asset.path, bytes: asset.bytes)
            assetMap[asset.path] = name
            var copy = asset
            copy.path = name
            files.append(copy)
        }
        if pages.contains(where: { $0.template == "sources" }) {
            for dataset in datasets {
                if let url = dataset.sourceURL {
                    files.append(OutputFile(path: "data/" + url.lastPathComponent, copying: url, origin: dataset.path))
                    continue
                }
                // A dataset of many files: each under data/NAME/.
                for file in dataset.files {
                    guard let url = file.url else { continue }
                    files.append(OutputFile(path: PageContext.dataFilePath(dataset, file), copying: url, origin: file.path))
                }
            }
        }
        var extra: [OutputFile] = [
            OutputFile(path: "robots.txt", text: Sitemap.robots(baseURL: config.baseURL), origin: "Content/site.yml")
        ]
        extra += searchFiles()
        if let base = config.baseURL {
            // Pages come in a fixed order, so the signature needs no sort; the sitemap does.
            let indexed = pages.filter { $0.template != "404" }.map { page -> Sitemap.Page in
                let date = page.article.map { plan.articles[$0].updated ?? plan.articles[$0].date }
                return Sitemap.Page(path: page.path, lastModified: date, alternates: page.alternates)
            }
            var key = Hasher()
            key.combine(base)
            for page in indexed {
                key.combine(page.path)
                key.combine(page.lastModified)
                for (language, path) in page.alternates {
                    key.combine(language)
                    key.combine(path)
                }
            }
            let signature = key.finalize()
            let xml: String
            if let (cached, text) = cache?.sitemap.get(0), cached == signature {
                xml = text
            } else {
                xml = Sitemap.xml(baseURL: base, pages: indexed.sorted { $0.path < $1.path })
                cache?.sitemap.set(0, (signature, xml))
            }
            extra.append(OutputFile(path: "sitemap.xml", text: xml, origin: "Content/site.yml"))
        }
        return (files, assetMap, extra)
    }

    /// A link resolver for this site's articles, drafts and base URL, knowing `paths`,
    /// `anchors` and the fingerprinted `assets`.
    func resolver(paths: Set<String>, anchors: [String: Set<String>], assets: [String: String]) -> LinkResolver {
        LinkResolver(
            paths: paths, anchors: anchors,
            articlesBySource: Dictionary(
                uniqueKeysWithValues: plan.articles.map { ($0.sourcePath, PageContext.articlePath($0)) }),
            draftSources: plan.draftSources, assets: assets, baseURL: config.baseURL)
    }

    /// The Atom feed of the newest articles, with their content as checked (links rewritten),
    /// when the site has one.
    func feed(contentBySlug: [String: String]) -> [OutputFile] {
        guard let entries = config.feedEntries else { return [] }
        // One feed per language, the default language's at the root with the pages made from data.
        return plan.feeds(count: entries).map { language, path, articles in
            OutputFile(
                path: path,
                text: AtomFeed.xml(
                    config: config.inLanguage(plan.languages[language].code), plan: plan, articles: articles,
                    dataPages: language == 0, path: path, entries: entries
                ) { contentBySlug[$0.slug] ?? "" },
                origin: "Content/site.yml")
        }
    }

    /// The end of putting the site together, once every page is checked: the feed joins the
    /// extra files, and the problems are grouped and sorted into errors and warnings, with every
    /// path written twice. Returns every file (the pages', then the extra ones).
    func finish(
        _ pageFiles: [OutputFile], extra fixedExtra: [OutputFile], problems linkProblems: [Diagnostic],
        contentBySlug: [String: String]
    ) -> (files: [OutputFile], problems: [Diagnostic], warnings: [Diagnostic]) {
        var files = pageFiles
        var extra = fixedExtra
        var problems = linkProblems
        extra += feed(contentBySlug: contentBySlug)
        files += extra
        problems = SiteAssembler.groupLangProblems(problems)
        var pathsKey = Hasher()
        for file in files {
            pathsKey.combine(file.path)
            pathsKey.combine(file.origin)
        }
        let collisionKey = pathsKey.finalize()
        if let (cached, known) = cache?.collisions.get(0), cached == collisionKey {
            problems += known
        } else {
            var articles: [String: SourceLocation] = [:]
            for article in plan.articles { articles[article.sourcePath] = article.slugLocation ?? SourceLocation(path: article.sourcePath) }
            let found = SiteAssembler.collisions(files, articles: articles)
            cache?.collisions.set(0, (collisionKey, found))
            problems += found
        }
        // Link problems only warn when the site asks for that; the others always fail.
        var warnings: [Diagnostic] = []
        if config.linksWarnOnly {
            warnings = problems.filter { $0.code.family == "link" }.map(\.asWarning).sorted()
            problems = problems.filter { $0.code.family != "link" }
        }
        return (files, problems, warnings)
    }

    /// Checks and rewrites the links of one page; also the article's content for the feed.
    /// `links`: the page's links when they were found already (``LinkResolver/scan(_:)``).
    func process(_ page: RenderedPage, resolver: LinkResolver, links: [LinkResolver.Link]? = nil) -> CheckedPage {
        let fallback = SourceLocation(path: page.template)
        var located: (String) -> SourceLocation? = { _ in nil }
        var articleSource: String?
        if let i = page.article {
            let article = plan.articles[i]
            articleSource = article.sourcePath
            // Markdown links, by their URL, in the order they were written.
            var places: [String: [SourceLocation]] = [:]
            for link in markdown[i].links {
                places[link.url, default: []].append(
                    SourceLocation(
                        path: article.sourcePath, line: article.bodyLine + link.line - 1, column: link.column))
            }
            nonisolated(unsafe) var queue = places
            located = { value in
                let key = LinkResolver.unescape(value)
                guard var list = queue[key], !list.isEmpty else { return nil }
                let first = list.removeFirst()
                queue[key] = list
                return first
            }
        }
        let (html, linkChecks) = resolver.processDeferring(
            bytes: page.bytes, page: page.path, articleSource: articleSource, fallback: fallback, located: located,
            links: links)
        var checks = linkChecks
        if SiteAssembler.lacksLang(html) {
            checks.append(.problem(Diagnostic(SourceLocation(path: page.template), SiteAssembler.noLang + page.path, code: .templateNoLang)))
        }
        // The feed gets the content of its newest articles with the same links rewritten.
        let inFeed = page.article.map { plan.inFeed($0, count: config.feedEntries ?? 0) } ?? false
        let content = page.content.flatMap { inFeed ? $0 : nil }.map {
            resolver.process(
                $0, page: page.path, articleSource: articleSource, fallback: fallback, located: { _ in nil }
            ).html
        }
        return CheckedPage(
            file: OutputFile(
                path: page.path, utf8: html, origin: page.article.map { plan.articles[$0].sourcePath } ?? page.template),
            checks: checks, content: content)
    }

    static let noLang = "no lang attribute on <html>: "

    /// A page whose `<html>` has no `lang`: screen readers then guess its language.
    static func lacksLang(_ html: String) -> Bool { lacksLang(Array(html.utf8)) }

    static func lacksLang(_ html: [UInt8]) -> Bool {
        html.withUnsafeBufferPointer { bytes in
            guard let open = Bytes.find(Array("<html".utf8), in: bytes) else { return false }
            var end = open
            while end < bytes.count, bytes[end] != 0x3E { end += 1 }
            let tag = UnsafeBufferPointer(rebasing: bytes[open..<end])
            if let lang = Bytes.find(Array("lang=\"".utf8), in: tag), lang + 6 < tag.count, tag[lang + 6] != 0x22 {
                return false
            }
            return true
        }
    }

    /// One problem per template for the pages without `lang`, naming the first few.
    static func groupLangProblems(_ problems: [Diagnostic]) -> [Diagnostic] {
        let lang = problems.filter { $0.code == .templateNoLang }
        var grouped: [Diagnostic] = []
        for (template, items) in Dictionary(grouping: lang, by: \.location.path).sorted(by: { $0.key < $1.key }) {
            let pages = items.map { String($0.message.dropFirst(noLang.count)) }.sorted()
            let list = pages.prefix(3).joined(separator: ", ") + (pages.count > 3 ? ", …" : "")
            grouped.append(
                Diagnostic(
                    SourceLocation(path: template),
                    "\(pages.count) page\(pages.count == 1 ? " has" : "s have") no lang attribute on <html> (\(list))",
                    hint: "write <html lang=\"{{site.language}}\"> in the layout", code: .templateNoLang))
        }
        return problems.filter { $0.code != .templateNoLang } + grouped
    }

    /// Two files at one path: an asset, a page, a chart's CSV or a dataset copy clash; or a
    /// file where another needs a folder (`feed.xml` and `feed.xml/index.html`). `articles`
    /// holds where each article's slug is written, by its source path: a clash with an article
    /// is reported there.
    static func collisions(_ files: [OutputFile], articles: [String: SourceLocation] = [:]) -> [Diagnostic] {
        // The folders the files need and each path's first file, found side by side (300,000
        // files on a large site: a second on one core).
        let paths = files.map(\.path)
        let (folders, earlier) = sideBySide {
            OutputWriter.firstNeedingFolders(paths)
        } _: {
            // Each file on a path taken before it, with the first file on that path.
            var first: [String: Int] = [:]
            first.reserveCapacity(paths.count)
            var earlier: [Int: Int] = [:]
            for (index, path) in paths.enumerated() {
                if let other = first[path] { earlier[index] = other } else { first[path] = index }
            }
            return earlier
        }
        var problems: [Diagnostic] = []
        // A clash is reported at an article when one of the two files comes from one: its slug
        // is what the user can change; `site.yml` or a template has no line to change.
        func blamed(_ a: String, _ b: String) -> String { articles[a] == nil && articles[b] != nil ? b : a }
        for (index, file) in files.enumerated() {
            var clashes: [(String, DiagnosticCode, String)] = []
            if let inside = folders[file.path].map({ files[$0] }) {
                clashes.append(
                    (
                        "would be a file and a folder: from \(file.origin) and, as the folder of \(inside.path), from \(inside.origin)",
                        .outputFileAndFolder, blamed(file.origin, inside.origin)
                    ))
            }
            if let other = earlier[index] {
                clashes.append(
                    (
                        "would be written twice: from \(files[other].origin) and from \(file.origin)", .outputDuplicatePath,
                        blamed(file.origin, files[other].origin)
                    ))
            }
            for (clash, code, place) in clashes {
                problems.append(
                    Diagnostic(
                        articles[place] ?? SourceLocation(path: place), "\(file.path) \(clash)",
                        hint: articles[place] != nil ? "give the article another `slug:`" : "rename one of them", code: code))
            }
        }
        return problems
    }
}

/// A page with its links checked and rewritten: what the link step keeps between rebuilds.
final class CheckedPage: Sendable {
    let file: OutputFile
    /// What checking the page's links and `lang` found, in the order of the page; checks of
    /// links to what was not known yet (a streamed build) are made when the site is complete.
    let checks: [LinkResolver.Check]
    /// The article's content with its links rewritten, for the feed.
    let content: String?

    init(file: OutputFile, checks: [LinkResolver.Check], content: String?) {
        self.file = file
        self.checks = checks
        self.content = content
    }

    /// The problems found while checking the page.
    var problems: [Diagnostic] { checks.compactMap(\.problem) }
}
