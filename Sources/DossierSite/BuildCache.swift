import Foundation

/// Results of earlier builds, reused by a rebuild when their inputs have not changed. Every
/// entry is keyed by everything its result depends on, so a rebuild gives the same bytes as a
/// full build; ``SiteBuilder`` records which pages it had to render again.
public final class BuildCache: @unchecked Sendable {
    /// What the content stage keeps: articles, the list of files, the watcher's hint.
    let content = ContentCache()
    /// Loaded datasets by path, with the stamps of the file and its schema.
    let datasets = Memo<String, ([FileStamp?], Dataset)>()
    /// Each article's body with figures replaced by placeholders, and the figures.
    let figureUses = Memo<String, (Int, String, [FigureUse])>()
    /// Rendered Markdown by source path, with the body it was rendered from.
    let markdown = Memo<String, (String, MarkdownRenderer.Options, RenderedMarkdown)>()
    /// Drawn charts by article, with a signature of their specs and datasets.
    let charts = Memo<String, (Int, ChartStage.Result)>()
    /// The site plan (tags, authors, related articles), with a signature of the listings.
    let plan = Memo<Int, (Int, SitePlan, [Diagnostic])>()
    /// Rendered pages by path, with a signature of everything the page shows.
    let pages = Memo<String, (Int, RenderedPage)>()
    /// The ids of each page, by path, with the page's signature.
    let anchors = Memo<String, (Int, Set<String>, Int)>()
    /// Serve's site in memory: every file of the last build, by path. A rebuild hands it only
    /// the pages it rendered or checked again.
    let store = MemorySink()
    /// The last build's deferred link checks: the signature of every path and anchor they read,
    /// the resolver that knows them all, and the problems found, by page.
    let deferred = Memo<Int, (key: Int, resolver: LinkResolver, problems: [String: [Diagnostic]])>()
    /// Pages after link checking, by path, with the page's signature and the site's link signature.
    let links = Memo<String, (Int, Int, CheckedPage)>()

    /// The link resolver (every path, no anchors yet), with the signature of what it indexes.
    let resolver = Memo<Int, (Int, LinkResolver)>()
    /// A signature of the pages' paths and the output when the last build found nothing wrong
    /// with them (``SiteChecks/pages(_:output:)`` reads nothing else).
    let cleanPaths = Memo<Int, Int>()
    /// The output path clashes, with a signature of every path and what makes it.
    let collisions = Memo<Int, (Int, [Diagnostic])>()
    /// The search index as the last build left it: a rebuild reads only the pages that changed.
    let search = Memo<Int, SearchState>()
    /// The sitemap, with a signature of the pages and dates it lists.
    let sitemap = Memo<Int, (Int, String)>()
    /// The pages whose links the last build checked again (not reused), sorted.
    public internal(set) var relinkedPages: [String] = []

    /// Whether the last build was the quick one: only articles' text had changed.
    public internal(set) var lastWasQuick = false

    /// The pages the last build rendered (not reused), sorted.
    public internal(set) var renderedPages: [String] = []

    /// The last successful build, whole, for a rebuild that only an article's text changed.
    var last: LastBuild? {
        get { hintLock.withLock { lastBuild } }
        set { hintLock.withLock { lastBuild = newValue } }
    }
    private var lastBuild: LastBuild?
    /// The signatures every page shares, from the last build that rendered pages.
    var lastShared: PageRenderer.Shared?

    /// Tells the next build which files changed (absolute paths) and whether any was added,
    /// removed or renamed. Without a hint, every file's stamp is checked.
    public func hint(changed paths: Set<String>, structural: Bool) {
        content.hint(changed: paths, structural: structural)
    }

    private let hintLock = NSLock()

    public init() {}
}
