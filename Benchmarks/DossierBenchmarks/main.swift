import DossierKit
import DossierServer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// Benchmarks, run on demand in release mode (never in the test run):
//
//     swift run -c release dossier-benchmarks [rows]
//
// Generates a deterministic tender CSV (8 columns, quoted fields with commas and quotes) of
// `rows` rows (default 1,000,000), then times reading it and drawing a chart that aggregates
// it by year and status. Prints wall time per step and the peak resident memory.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now()
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

/// A deterministic CSV of tenders: the same rows on every machine.
func writeTenders(rows: Int, to url: URL, suppliers: Int = 1013) throws {
    let statuses = ["completed", "cancelled", "no_bidders", "not_reported"]
    let regions = ["Almaty", "Astana", "Shymkent", "Turkestan region", "Karaganda region", "Aktobe region"]
    var state: UInt64 = 0x2545F4914F6CDD1D
    func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    var chunk = "id,year,region,customer,title,amount_kzt,status,winner\n"
    for i in 0..<rows {
        let r = next()
        let year = 2013 + Int(r % 10)
        let region = regions[Int((r >> 8) % UInt64(regions.count))]
        let status = statuses[Int((r >> 16) % UInt64(statuses.count))]
        let amount = Int((r >> 24) % 100_000_000) + 100_000
        chunk += "T-\(i),\(year),\(region),\"Akimat of \(region), department \(i % 97)\","
        chunk +=
            "\"Lot \(i): \"\"outreach\"\", videos, and materials\",\(amount),\(status),\"Fund \(i % suppliers), LLP\"\n"
        if chunk.utf8.count > 1 << 20 {
            handle.write(Data(chunk.utf8))
            chunk = ""
        }
    }
    handle.write(Data(chunk.utf8))
    try handle.close()
}

// `dossier-benchmarks corpus N DIR`: write the corpus for the Dossier-and-Hugo comparison.
if CommandLine.arguments.dropFirst().first == "corpus" {
    let args = Array(CommandLine.arguments.dropFirst(2))
    try writeComparisonCorpus(
        articles: Int(args[0]) ?? 10_000, into: URL(fileURLWithPath: args[1]), real: args.count > 2 && args[2] == "real")
    exit(0)
}

// `dossier-benchmarks entities [rows] [suppliers]`: pages made from data at scale. One page per
// supplier of a generated tender dataset (default 1,000,000 rows, 100,000 suppliers), with the
// sample's entity template (a bar chart of the supplier's lots and a table of them), built and
// written to disk. Target: under 30 s. With a fourth argument, the site is written to that folder
// and kept there (to build it with `dossier build --root DIR` or to compare outputs).
if CommandLine.arguments.dropFirst().first == "entities" {
    let rows = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1_000_000
    let suppliers = CommandLine.arguments.dropFirst(3).first.flatMap { Int($0) } ?? 100_000
    let keep = CommandLine.arguments.dropFirst(4).first.map { URL(fileURLWithPath: $0) }
    let root =
        keep
        ?? FileManager.default.temporaryDirectory.appendingPathComponent(
            "dossier-entities-\(ProcessInfo.processInfo.processIdentifier)")
    defer { if keep == nil { try? FileManager.default.removeItem(at: root) } }
    try writeCorpus(articles: 0, into: root)
    try writeTenders(rows: rows, to: root.appendingPathComponent("Data/tenders.csv"), suppliers: suppliers)
    try FileManager.default.createDirectory(
        at: root.appendingPathComponent("Content/suppliers"), withIntermediateDirectories: true)
    try Data("data: tenders\nkey: winner\nlist_title: Suppliers\npage_size: 100\n".utf8)
        .write(to: root.appendingPathComponent("Content/suppliers/_pages.yml"))
    var report: BuildReport?
    var builder = SiteBuilder(project: Project(root: root)) { step, seconds in
        print(String(format: "  %-16@ %.2f s", step, seconds))
    }
    // As `dossier build` does: the process ends after the build, which is not taken apart.
    builder.processEndsAfter = true
    let wall = try seconds { report = try builder.build() }
    print(
        String(
            format:
                "%d rows, %d pages made from data (%d pages in all, %d files, %.0f MB written): %.1f s, peak memory %.0f MB (target under 30 s)",
            rows, suppliers, report!.pages, report!.files, Double(report!.bytes) / 1_048_576, wall, peakMemoryMB()))
    exit(0)
}

// `dossier-benchmarks serve [articles]`: save → rebuilt, through the dev server and its watcher.
if CommandLine.arguments.dropFirst().first == "serve" {
    let count = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 10_000
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
        "dossier-serve-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: root) }
    try writeCorpus(articles: count, into: root)
    // `serve N search`: the same with the search index, which each rebuild keeps up to date.
    if CommandLine.arguments.dropFirst(3).first == "search" {
        let config = root.appendingPathComponent("Content/site.yml")
        try Data((try String(contentsOf: config, encoding: .utf8) + "search: true\n").utf8).write(to: config)
    }
    let server = DevServer(project: Project(root: root), port: 0) { line in
        guard ProcessInfo.processInfo.environment["DOSSIER_STEPS"] != nil else { return }
        if case .detail(let text) = line, text.hasPrefix("  rendered") { return }
        print(line)
    }
    let running = Task { try await server.run() }
    let start = DispatchTime.now()
    while await server.store.version == 0 { try await Task.sleep(for: .milliseconds(10)) }
    print(
        String(
            format: "first build in the server: %.1f s",
            Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9))
    try await Task.sleep(for: .milliseconds(500))
    for (label, path, change) in [
        (
            "save one article", "Content/article-\(count / 2).md",
            { (text: String, round: Int) in text + "\nEdited \(round).\n" }
        ),
        (
            "save the dataset one chart reads", "Data/tenders.csv",
            { (text: String, round: Int) in
                text + "T-y\(round),2019,Almaty,Akimat,\"Lot\",\(2000 + round),completed,Fund\n"
            }
        ),
    ] as [(String, String, (String, Int) -> String)] {
        var times: [Double] = []
        for round in 0..<9 {
            let url = root.appendingPathComponent(path)
            let text = try String(contentsOf: url, encoding: .utf8)
            let before = await server.store.version
            let saved = DispatchTime.now()
            try Data(change(text, round).utf8).write(to: url)
            while await server.store.version == before { try await Task.sleep(for: .milliseconds(1)) }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - saved.uptimeNanoseconds) / 1e6)
            try await Task.sleep(for: .milliseconds(100))
        }
        print(
            String(
                format: "%@ → served rebuilt site: median %.0f ms (of 9; min %.0f, max %.0f)", label, times.sorted()[4],
                times.min()!, times.max()!))
    }
    running.cancel()
    await server.stop()
    exit(0)
}

// `dossier-benchmarks rebuild [articles]`: the editing loop on a generated site.
// `registers [DIR]`: reads the City of Philadelphia's 38 contract files (../shared/data) with the
// schemas of Examples/philadelphia, as the example's build does, ROUNDS times (default 5), and
// prints the time of each read and the peak memory.
if CommandLine.arguments.dropFirst().first == "registers" {
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let shared = URL(fileURLWithPath: CommandLine.arguments.dropFirst(2).first ?? "../shared/data/philadelphia-contracts")
    guard FileManager.default.fileExists(atPath: shared.path) else {
        print("\(shared.path) is absent: skipped")
        exit(0)
    }
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-registers-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: root) }
    let data = root.appendingPathComponent("Data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    let schemas = here.appendingPathComponent("Examples/philadelphia/Data")
    for name in try FileManager.default.contentsOfDirectory(atPath: schemas.path) {
        try FileManager.default.copyItem(at: schemas.appendingPathComponent(name), to: data.appendingPathComponent(name))
    }
    try FileManager.default.copyItem(at: shared.appendingPathComponent("professional-services"), to: data.appendingPathComponent("professional_services"))
    try FileManager.default.copyItem(at: shared.appendingPathComponent("commodities"), to: data.appendingPathComponent("commodities"))
    let rounds = Int(ProcessInfo.processInfo.environment["DOSSIER_ROUNDS"] ?? "") ?? 5
    var times: [Double] = []
    var summary = ""
    for _ in 0..<rounds {
        times.append(try seconds {
            let (datasets, problems) = DatasetLoader.loadAll(Project(root: root))
            summary = "\(datasets.count) datasets, \(datasets.reduce(0) { $0 + $1.files.count }) files, \(datasets.reduce(0) { $0 + $1.rowCount }) rows, \(problems.count) warnings"
        })
    }
    print(summary)
    print("read, typed, cleaned: " + times.map { String(format: "%.3f s", $0) }.joined(separator: ", ") + String(format: " (median %.3f s)", times.sorted()[times.count / 2]))
    print(String(format: "peak memory:          %.0f MB", peakMemoryMB()))
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "rebuild" {
    try rebuildBenchmark(articles: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 10_000)
    exit(0)
}

let rows = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "dossier-bench-\(ProcessInfo.processInfo.processIdentifier)/Data")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
let csv = folder.appendingPathComponent("tenders.csv")

let generate = try seconds { try writeTenders(rows: rows, to: csv) }
let size = (try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? Int) ?? 0
print("generated \(rows) rows, \(size / 1_048_576) MB in \(String(format: "%.2f", generate)) s")

var dataset: Dataset?
let load = try seconds { dataset = try Dataset.load(from: csv) }
print(String(format: "read and typed the CSV:   %.3f s", load))

let spec = """
    type: column
    data: tenders
    x: year
    y: amount_kzt
    series: status
    aggregate: sum
    stack: true
    title: Tender budgets by year and outcome
    """
var chart: RenderedChart?
let draw = try seconds { chart = try ChartRenderer.render(spec: spec, datasets: [dataset!]) }
print(String(format: "aggregated and drew:      %.3f s", draw))
print(String(format: "chart from CSV, total:    %.3f s (target: under 1 s)", load + draw))
print(String(format: "peak memory:              %.0f MB", peakMemoryMB()))
print("chart: \(chart!.html.utf8.count) bytes, \(chart!.csv.split(separator: "\n").count - 1) plotted rows")

// MARK: The editing loop

/// Writes a deterministic site of `count` articles of about 1,000 words, each with front
/// matter, a GFM table, footnotes, one to four of 50 tags and links to two other articles,
/// plus a tenders dataset that one article charts.
func writeCorpus(articles count: Int, into root: URL, templates: Bool = true) throws {
    let fm = FileManager.default
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    try fm.createDirectory(at: root.appendingPathComponent("Content"), withIntermediateDirectories: true)
    try fm.createDirectory(at: root.appendingPathComponent("Data"), withIntermediateDirectories: true)
    if templates {
        try fm.copyItem(at: repo.appendingPathComponent("Templates"), to: root.appendingPathComponent("Templates"))
    }
    // The sample's home page charts its budgets; the corpus gives it one.
    try Data("period,amount_kzt\n2013-2017,103176000000\n2018-2022,270148000000\n".utf8)
        .write(to: root.appendingPathComponent("Data/budgets.csv"))
    try Data(
        "title: Benchmark corpus\ndescription: Generated.\nlanguage: en\nauthor: Desk\nbase_url: https://example.org/\nfeed: true\n"
            .utf8
    )
    .write(to: root.appendingPathComponent("Content/site.yml"))
    var state: UInt64 = 0x9E3779B97F4A7C15
    func next(_ n: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(n))
    }
    let words = [
        "budget", "tender", "lot", "ministry", "programme", "region", "contract", "report", "figure", "akimat",
        "customer", "winner", "amount", "tenge", "dollar", "outreach", "monitoring", "media", "analysis", "record",
    ]
    let tags = (0..<50).map { "topic \($0)" }
    for i in 0..<count {
        var text =
            "---\ntitle: Article \(i) on \(words[next(words.count)])\ndate: \(2010 + next(10))-\(String(format: "%02d", 1 + next(12)))-\(String(format: "%02d", 1 + next(28)))\n"
        text +=
            "summary: Summary of article \(i).\ntags: ["
            + (0..<(1 + next(4))).map { _ in "\"\(tags[next(50)])\"" }.joined(separator: ", ") + "]\n---\n\n"
        for p in 0..<10 {
            text += "## Section \(p)\n\n"
            text += (0..<100).map { _ in words[next(words.count)] }.joined(separator: " ")
            text += p == 3 ? "[^n\(p)]\n\n[^n\(p)]: A note.\n\n" : "\n\n"
        }
        text += "| a | b |\n|---|--:|\n| \(i) | \(next(1000)) |\n\n"
        text += "See [one](article-\(next(count)).md) and [another](article-\(next(count)).md#section-2).\n"
        if i == 0 {
            text +=
                "\n```chart\ntype: column\ndata: tenders\nx: year\ny: amount_kzt\naggregate: sum\ntitle: Tenders by year\n```\n"
        }
        try Data(text.utf8).write(to: root.appendingPathComponent("Content/article-\(i).md"))
    }
    try writeTenders(rows: 1000, to: root.appendingPathComponent("Data/tenders.csv"))
}

func rebuildBenchmark(articles: Int) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
        "dossier-rebuild-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: root) }
    let generate = try seconds { try writeCorpus(articles: articles, into: root) }
    print(String(format: "generated %d articles in %.1f s", articles, generate))
    let cache = BuildCache()
    let builder = SiteBuilder(project: Project(root: root))
    var site: SiteBuilder.Site?
    let first = try seconds { site = try builder.render(cache: cache) }
    print(String(format: "first build (fills the cache): %.2f s, %d pages", first, site!.pages))

    func edit(_ path: String, _ change: (String) -> String) throws {
        let url = root.appendingPathComponent(path)
        try Data(change(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
    }
    var times: [Double] = []
    let rounds = Int(ProcessInfo.processInfo.environment["DOSSIER_ROUNDS"] ?? "") ?? 5
    for round in 0..<rounds {
        try edit("Content/article-\(articles / 2).md") { $0 + "\nEdited paragraph \(round).\n" }
        times.append(try seconds { _ = try builder.render(cache: cache) })
    }
    if ProcessInfo.processInfo.environment["DOSSIER_STEPS"] != nil {
        try edit("Content/article-\(articles / 2).md") { $0 + "\nOne more.\n" }
        _ = try SiteBuilder(project: Project(root: root)) { name, seconds in
            print(String(format: "  %-16@ %.1f ms", name, seconds * 1000))
        }
        .render(cache: cache)
    }
    print(
        String(
            format: "save one article → rebuilt: median %.0f ms (%d pages rendered; target under 100 ms)",
            times.sorted()[times.count / 2] * 1000, cache.renderedPages.count))
    // As `dossier serve` does it: the watcher tells the build which file changed.
    times = []
    let edited = root.appendingPathComponent("Content/article-\(articles / 2).md").path
    for round in 0..<rounds {
        try edit("Content/article-\(articles / 2).md") { $0 + "\nHinted edit \(round).\n" }
        cache.hint(changed: [edited], structural: false)
        times.append(try seconds { _ = try builder.render(cache: cache) })
    }
    print(
        String(
            format: "save one article, with the watcher's hint → rebuilt: median %.0f ms (%@)",
            times.sorted()[times.count / 2] * 1000,
            cache.lastWasQuick ? "only that article rebuilt" : "ordinary rebuild"))
    times = []
    for round in 0..<5 {
        try edit("Data/tenders.csv") { $0 + "T-x\(round),2019,Almaty,Akimat,\"Lot\",\(1000 + round),completed,Fund\n" }
        times.append(try seconds { _ = try builder.render(cache: cache) })
    }
    print(
        String(
            format:
                "save the dataset one chart reads → rebuilt: median %.0f ms (%d pages rendered; target under 200 ms)",
            times.sorted()[2] * 1000, cache.renderedPages.count))
    let watcherRoot = Project(root: root)
    var snapshotTime = 0.0
    snapshotTime = seconds {
        let fm = FileManager.default
        var count = 0
        for folder in [watcherRoot.content, watcherRoot.data, watcherRoot.templates] {
            for case let url as URL in fm.enumerator(at: folder, includingPropertiesForKeys: nil)!
            where !url.hasDirectoryPath {
                var info = stat()
                if stat(url.path, &info) == 0 { count += 1 }
            }
        }
        _ = count
    }
    print(String(format: "one poll of the watcher over %d files: %.0f ms", articles + 20, snapshotTime * 1000))
    print(String(format: "peak memory: %.0f MB", peakMemoryMB()))
}

// MARK: The comparison with Hugo

/// The same corpus twice: `DIR/dossier` with plain templates (article, home listing, tag pages;
/// Dossier adds the feed and sitemap), and `DIR/hugo` with equivalent Hugo layouts.
/// `real`: Dossier gets the sample's `Templates/` (from the current folder) and Hugo layouts
/// that do the same work: head with Open Graph and canonical link, header and footer, table of
/// contents, author, date, reading time, tags, previous and next, three related articles, a home
/// listing with summaries, tag pages and the tag index, the feed and the sitemap.
func writeComparisonCorpus(articles count: Int, into dir: URL, real: Bool = false) throws {
    let fm = FileManager.default
    let dossier = dir.appendingPathComponent("dossier")
    try writeCorpus(articles: count, into: dossier, templates: false)
    // No chart block in the comparison: Hugo has nothing to do with it.
    let first = dossier.appendingPathComponent("Content/article-0.md")
    let text = try String(contentsOf: first, encoding: .utf8)
    try Data(text.components(separatedBy: "\n```chart")[0].utf8).write(to: first)
    let t = dossier.appendingPathComponent("Templates")
    try fm.createDirectory(at: t, withIntermediateDirectories: true)
    let layout = """
        <!DOCTYPE html><html lang="{{site.language}}"><head><meta charset="utf-8"><title>{{$title}}{{site.title}}{{/title}}</title></head>
        <body><header><a href="{{root}}index.html">{{site.title}}</a></header><main>{{$main}}{{/main}}</main></body></html>
        """
    let files: [String: String] = [
        "layout.mustache": layout,
        "home.mustache":
            "{{<layout}}{{$main}}<ul>{{#articles}}<li><a href=\"{{url}}\">{{title}}</a> {{date}}</li>{{/articles}}</ul>{{/main}}{{/layout}}",
        "article.mustache":
            "{{<layout}}{{$title}}{{page.title}}{{/title}}{{$main}}<h1>{{page.title}}</h1><p>{{page.date}} {{#page.tag_links}}<a href=\"{{url}}\">{{name}}</a> {{/page.tag_links}}</p>{{{page.content}}}{{/main}}{{/layout}}",
        "tags.mustache":
            "{{<layout}}{{$main}}<ul>{{#tags}}<li><a href=\"{{url}}\">{{name}}</a> {{count}}</li>{{/tags}}</ul>{{/main}}{{/layout}}",
        "tag.mustache":
            "{{<layout}}{{$main}}<h1>{{tag.name}}</h1><ul>{{#tag.articles}}<li><a href=\"{{url}}\">{{title}}</a></li>{{/tag.articles}}</ul>{{/main}}{{/layout}}",
    ]
    for (name, body) in files { try Data(body.utf8).write(to: t.appendingPathComponent(name)) }
    // Links by source file are Dossier's; Hugo gets the same text.
    let hugo = dir.appendingPathComponent("hugo")
    let posts = hugo.appendingPathComponent("content/posts")
    try fm.createDirectory(at: posts, withIntermediateDirectories: true)
    for i in 0..<count {
        try fm.copyItem(
            at: dossier.appendingPathComponent("Content/article-\(i).md"),
            to: posts.appendingPathComponent("article-\(i).md"))
    }
    let config = """
        baseURL = "https://example.org/"
        title = "Benchmark corpus"
        languageCode = "en"
        relativeURLs = true
        disableKinds = ["RSS"]
        [outputs]
        home = ["HTML", "RSS"]
        [taxonomies]
        tag = "tags"
        [markup.goldmark.extensions]
        footnote = true
        table = true
        """
    try Data(config.utf8).write(to: hugo.appendingPathComponent("config.toml"))
    let layouts = hugo.appendingPathComponent("layouts/_default")
    try fm.createDirectory(at: layouts, withIntermediateDirectories: true)
    let hugoFiles: [String: String] = [
        "baseof.html":
            "<!DOCTYPE html><html lang=\"{{ .Site.LanguageCode }}\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><header><a href=\"{{ \"/\" | relURL }}\">{{ .Site.Title }}</a></header><main>{{ block \"main\" . }}{{ end }}</main></body></html>",
        "single.html":
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format \"2 January 2006\" }} {{ range .Params.tags }}<a href=\"{{ (printf \"tags/%s\" (urlize .)) | relURL }}/\">{{ . }}</a> {{ end }}</p>{{ .Content }}{{ end }}",
        "list.html":
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
        "terms.html":
            "{{ define \"main\" }}<ul>{{ range .Data.Terms.ByCount }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}",
        "index.html":
            "{{ define \"main\" }}<ul>{{ range .Site.RegularPages.ByDate.Reverse }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2 January 2006\" }}</li>{{ end }}</ul>{{ end }}",
    ]
    for (name, body) in hugoFiles { try Data(body.utf8).write(to: layouts.appendingPathComponent(name)) }
    if real {
        // Dossier: the sample's templates and stylesheet.
        try fm.removeItem(at: t)
        try fm.copyItem(at: URL(fileURLWithPath: "Templates"), to: t)
        // Hugo: the same pages, from layouts that do what the sample's templates do.
        let partials = hugo.appendingPathComponent("layouts/partials")
        try fm.createDirectory(at: partials, withIntermediateDirectories: true)
        try fm.createDirectory(at: hugo.appendingPathComponent("static/assets"), withIntermediateDirectories: true)
        try fm.copyItem(
            at: URL(fileURLWithPath: "Templates/assets/style.css"), to: hugo.appendingPathComponent("static/assets/style.css"))
        let realConfig = config.replacingOccurrences(of: "disableKinds = [\"RSS\"]\n", with: "") + """

            [params]
            author = "Desk"
            description = "Generated."
            [related]
            includeNewer = true
            threshold = 1
            toLower = true
            [[related.indices]]
            name = "tags"
            weight = 100
            [markup.tableOfContents]
            startLevel = 2
            endLevel = 3
            """
        try Data(realConfig.utf8).write(to: hugo.appendingPathComponent("config.toml"))
        let real: [String: String] = [
            "_default/baseof.html": """
                <!DOCTYPE html>
                <html lang="{{ .Site.LanguageCode }}">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
                <meta name="description" content="{{ with .Summary }}{{ . | plainify }}{{ else }}{{ .Site.Params.description }}{{ end }}">
                <meta property="og:title" content="{{ .Title }}">
                <meta property="og:site_name" content="{{ .Site.Title }}">
                <meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
                <meta property="og:url" content="{{ .Permalink }}">
                <link rel="canonical" href="{{ .Permalink }}">
                {{ with .Site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
                <link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
                </head>
                <body>
                <a class="skip" href="#main">Skip to content</a>
                {{ partial "header.html" . }}
                <main id="main">{{ block "main" . }}{{ end }}</main>
                {{ partial "footer.html" . }}
                </body>
                </html>
                """,
            "partials/header.html": """
                <header class="site-header"><a class="site-title" href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
                <nav aria-label="Site"><ul><li><a href="{{ "/" | relURL }}">Articles</a></li><li><a href="{{ "tags/" | relURL }}">Tags</a></li></ul></nav></header>
                """,
            "partials/footer.html": "<footer class=\"site-footer\"><p>Built with Hugo: plain HTML, no scripts.</p></footer>",
            "partials/item.html": """
                <li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
                <p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
                {{ with .Summary }}<p>{{ . | plainify }}</p>{{ end }}</li>
                """,
            "_default/single.html": """
                {{ define "main" }}<article><header class="article-header"><h1>{{ .Title }}</h1>
                {{ with .Params.summary }}<p class="lede">{{ . }}</p>{{ end }}
                <p class="meta"><span class="author">{{ .Site.Params.author }}</span>
                <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min read</p>
                {{ with .Params.tags }}<ul class="tags" aria-label="Tags">{{ range . }}<li><a href="{{ (printf "tags/%s/" (urlize .)) | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
                </header>
                {{ if ge (len .Fragments.Headings) 3 }}<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2>{{ .TableOfContents }}</nav>{{ end }}
                <div class="prose">{{ .Content }}</div></article>
                <nav class="neighbours" aria-label="More articles">
                {{ with .PrevInSection }}<p class="previous">Previous: <a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
                {{ with .NextInSection }}<p class="next">Next: <a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
                </nav>
                {{ $related := .Site.RegularPages.Related . | first 3 }}
                {{ with $related }}<section class="related" aria-labelledby="related-title"><h2 id="related-title">Related</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>{{ end }}
                {{ end }}
                """,
            "index.html": """
                {{ define "main" }}<header class="home-header"><h1>{{ .Site.Title }}</h1><p class="lede">{{ .Site.Params.description }}</p></header>
                <section aria-labelledby="articles-title"><h2 id="articles-title">Articles</h2><ol class="article-list">
                {{ range .Site.RegularPages.ByDate.Reverse }}{{ partial "item.html" . }}{{ end }}</ol></section>{{ end }}
                """,
            "_default/list.html": """
                {{ define "main" }}<h1>{{ .Title }}</h1><ol class="article-list">{{ range .Pages }}{{ partial "item.html" . }}{{ end }}</ol>{{ end }}
                """,
            "_default/terms.html": """
                {{ define "main" }}<h1>Tags</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
                """,
        ]
        for (name, body) in real {
            let url = hugo.appendingPathComponent("layouts/" + name)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(body.utf8).write(to: url)
        }
    }
    print("wrote \(count) articles to \(dossier.path) and \(hugo.path)\(real ? " (real templates)" : "")")
}
