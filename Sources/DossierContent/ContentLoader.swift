import Foundation

/// Reads `Content/site.yml` and every article under `Content/`.
package enum ContentLoader {
    package struct Result: Sendable {
        package var config: SiteConfig
        /// Published articles, newest first (ties broken by slug).
        package var articles: [Article]
        package var drafts: Int
        /// Source files of the drafts left out.
        package var draftSources: Set<String> = []
        /// The `_pages.yml` files: pages generated from datasets.
        package var dataPages: [DataPagesSpec] = []
    }

    package static func load(_ project: Project, includeDrafts: Bool, cache: ContentCache? = nil) -> (Result?, [Diagnostic]) {
        var bag = DiagnosticBag()
        let config = loadConfig(project, bag: &bag)
        let scheme = config?.slugs ?? .transliterate
        // Articles parsed with another slug scheme have other slugs.
        let cached = cache?.scheme == scheme ? cache?.articles.all() ?? [:] : [:]
        cache?.scheme = scheme
        // With a watcher's hint, unchanged files are not even looked at.
        let hint = cache?.takeHint()
        let files: [String]
        if let hint, !hint.structural, let listing = cache?.listing {
            files = listing
        } else {
            files = SourceFiles.walk(project.content.path, extensions: ["md", "markdown"])
            cache?.listing = files
        }
        let base = project.root.path.hasSuffix("/") ? project.root.path : project.root.path + "/"
        // Read and parse on all cores; an unchanged file (same stamp) is not read at all.
        let results = parallelMap(files) { file -> (path: String, article: Article?, problem: Diagnostic?) in
            let path = file.hasPrefix(base) ? String(file.dropFirst(base.count)) : file
            if let hint, !hint.structural, !hint.paths.contains(file), let (_, article) = cached[path] {
                return (path, article, nil)
            }
            let stamp = cache != nil ? FileStamp.of(path: file) : nil
            if let stamp, let (known, article) = cached[path], known == stamp { return (path, article, nil) }
            do throws(Diagnostic) {
                let text = try SourceFiles.readText(URL(fileURLWithPath: file), relativePath: path)
                let underContent = String(path.dropFirst("Content/".count))
                do throws(LocalError) {
                    var article = try FrontMatter.parse(
                        text, path: path, defaultSlug: Slug.fromPath(Self.withoutLanguage(underContent, config).0, scheme: scheme))
                    try Self.placeInLanguage(&article, underContent: underContent, config: config)
                    if let stamp { cache?.articles.set(path, (stamp, article)) }
                    return (path, article, nil)
                } catch {
                    return (path, nil, error.diagnostic(in: path, code: .frontMatter))
                }
            } catch {
                return (path, nil, error)
            }
        }
        let articles = results.compactMap(\.article)
        for problem in results.compactMap(\.problem) { bag.append(problem) }
        let seenPaths = Set(results.map(\.path))
        cache?.articles.retain(seenPaths)
        var seen: [String: String] = [:]
        seen.reserveCapacity(articles.count)
        for article in articles {
            if let other = seen[article.slug] {
                bag.append(
                    Diagnostic(
                        SourceLocation(path: article.sourcePath, line: 1, column: 1),
                        "slug '\(article.slug)' is already used by \(other)",
                        hint: "give one of them another `slug:` in its front matter", code: .duplicateSlug))
            } else {
                seen[article.slug] = article.sourcePath
            }
        }
        // A draft's translations wait with it: an original marked `draft: true` withholds every
        // article that says it translates it.
        var draftOriginals: Set<String> = []
        if !includeDrafts {
            for article in articles where article.draft && article.translationOf == nil {
                draftOriginals.insert(article.slug)
                // An original in another language than the site's has its slug under `LANG/`.
                if let lang = article.lang, article.slug.hasPrefix(lang + "/") {
                    draftOriginals.insert(String(article.slug.dropFirst(lang.count + 1)))
                }
            }
        }
        func withheld(_ article: Article) -> Bool {
            !includeDrafts && (article.draft || article.translationOf.map(draftOriginals.contains) == true)
        }
        let published = articles.filter { !withheld($0) }
        let sorted = published.sorted { a, b in
            if a.date.year != b.date.year { return a.date.year > b.date.year }
            if a.date.month != b.date.month { return a.date.month > b.date.month }
            if a.date.day != b.date.day { return a.date.day > b.date.day }
            if a.date.iso != b.date.iso { return a.date.iso > b.date.iso }
            return a.slug < b.slug
        }
        guard let config else { return (nil, bag.items) }
        let draftSources = Set(articles.filter(withheld).map(\.sourcePath))
        var specs: [DataPagesSpec] = []
        for file in SourceFiles.walk(project.content.path, extensions: ["yml", "yaml"])
        where file.hasSuffix("/_pages.yml") || file.hasSuffix("/_pages.yaml") {
            let path = project.relative(path: file)
            let folder = String(
                path.dropFirst("Content/".count).split(separator: "/").dropLast().joined(separator: "/"))
            do throws(Diagnostic) {
                let text = try SourceFiles.readText(URL(fileURLWithPath: file), relativePath: path)
                guard !folder.isEmpty else {
                    bag.append(
                        Diagnostic(
                            SourceLocation(path: path), "_pages.yml must be in a folder of its own under Content/",
                            hint: "e.g. Content/contractors/_pages.yml", code: .pagesSpec))
                    continue
                }
                do throws(LocalError) {
                    specs.append(try DataPagesSpec.parse(text, folder: folder, path: path))
                } catch {
                    bag.append(error.diagnostic(in: path, code: .pagesSpec))
                }
            } catch {
                bag.append(error)
            }
        }
        return (
            Result(
                config: config, articles: sorted, drafts: articles.count - published.count, draftSources: draftSources,
                dataPages: specs),
            bag.items
        )
    }

    /// A file name's language suffix (`budget.ru.md`: `ru`) when it names one of the site's
    /// other languages, and the path without it.
    package static func withoutLanguage(_ underContent: String, _ config: SiteConfig?) -> (String, String?) {
        guard let config, config.languages.count > 1 else { return (underContent, nil) }
        let name = (underContent as NSString).deletingPathExtension
        let ext = (underContent as NSString).pathExtension
        for language in config.languages.dropFirst() where name.hasSuffix("." + language) {
            return (String(name.dropLast(language.count + 1)) + "." + ext, language)
        }
        return (underContent, nil)
    }

    /// An article in one of the site's other languages: its language from its file name (or
    /// `lang:`), its page under the language's folder (`ru/budget/`), and, for a file named
    /// after its original (`budget.ru.md`), the original's slug as `translation_of`.
    package static func placeInLanguage(_ article: inout Article, underContent: String, config: SiteConfig?)
        throws(LocalError)
    {
        guard let config, config.languages.count > 1 else { return }
        let (original, suffix) = withoutLanguage(underContent, config)
        if let suffix {
            if let lang = article.lang, lang != suffix {
                throw LocalError(
                    line: 1, column: 1, "the file name says the article is in '\(suffix)', but lang: says '\(lang)'",
                    hint: "leave out `lang:` in a translation named after its language")
            }
            article.lang = suffix
            if article.translationOf == nil {
                article.translationOf = Slug.fromPath(original, scheme: config.slugs)
            }
        }
        if let lang = article.lang, lang != config.language, config.languages.contains(lang) {
            article.slug = lang + "/" + article.slug
        }
    }

    /// `Content/site.yml` alone.
    package static func settings(_ project: Project) -> (SiteConfig?, [Diagnostic]) {
        var bag = DiagnosticBag()
        let config = loadConfig(project, bag: &bag)
        return (config, bag.items)
    }

    private static func loadConfig(_ project: Project, bag: inout DiagnosticBag) -> SiteConfig? {
        let url = project.root.appendingPathComponent(SiteConfig.path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            bag.append(
                Diagnostic(
                    SourceLocation(path: SiteConfig.path), "site settings not found",
                    hint: "create Content/site.yml with at least `title: ...`", code: .siteConfig))
            return nil
        }
        do {
            let text = try SourceFiles.readText(url, relativePath: SiteConfig.path)
            do {
                return try SiteConfig.parse(text)
            } catch {
                bag.append(error.diagnostic(in: SiteConfig.path, code: .siteConfig))
            }
        } catch {
            bag.append(error)
        }
        return nil
    }
}
