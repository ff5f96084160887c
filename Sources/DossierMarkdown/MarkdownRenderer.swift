@preconcurrency import CCmarkGFM
import Foundation

/// A heading of an article, for tables of contents and section links.
public struct Heading: Sendable, Hashable {
    public var level: Int
    /// The `id` attribute written on the heading, unique within the article.
    public var id: String
    /// The heading's plain text.
    public var text: String
}

/// A fenced block whose info string is `chart`: its YAML and where it was written.
public struct ChartBlock: Sendable, Hashable {
    /// The spec text between the fences.
    public var source: String
    /// The line of the opening fence, counted in the Markdown body from 1.
    public var fenceLine: Int
    public var column: Int
}

/// A link or image in Markdown: its URL as written and where, counted in the body from 1.
public struct MarkdownLink: Sendable, Hashable {
    public var url: String
    public var line: Int
    public var column: Int
}

/// A problem in a Markdown body, at a line and column counted in the body from 1.
public struct MarkdownProblem: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// The HTML of a Markdown body and what was learnt while rendering it.
public struct RenderedMarkdown: Sendable, Hashable {
    /// The HTML, with ``placeholder(forChart:)`` where each chart block was.
    public var html: String
    public var headings: [Heading]
    public var charts: [ChartBlock] = []
    /// Every link and image, in order, for link checking.
    public var links: [MarkdownLink] = []
    /// Raw HTML or link addresses that would run script (only looked for with
    /// `unsafe_html: true`; without it cmark-gfm leaves raw HTML out and empties such links).
    public var unsafe: [MarkdownProblem] = []
    /// Identifies the Markdown and options this was rendered from, for caches.
    package var signature = 0

    /// Marks the place of chart `index` in ``html``, to be replaced by the chart stage.
    public static func placeholder(forChart index: Int) -> String { "<!--dossier-chart-\(index)-->" }
}

/// Renders GitHub-flavoured Markdown with cmark-gfm. The only type that calls cmark-gfm's C API.
///
/// cmark-gfm 0.29 is not thread-safe: `cmark_parser_finish` edits character tables shared by every
/// parser. Calls to it are serialised with a lock; feeding and rendering run in parallel. The core
/// extensions are registered once, by ``prepare()``, before any concurrent use.
public enum MarkdownRenderer {
    public struct Options: Sendable, Hashable {
        /// Lets raw HTML through (tagfilter still neutralises `<script>`, `<iframe>` and the like).
        public var unsafeHTML: Bool
        /// Ids the page around the article already uses (`main`): a heading that would take
        /// one gets the next free one (`## Main` → `main-1`).
        public var reservedIDs: Set<String>

        public init(unsafeHTML: Bool = false, reservedIDs: Set<String> = []) {
            self.unsafeHTML = unsafeHTML
            self.reservedIDs = reservedIDs
        }
    }

    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    private static let registration: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    private static let finishLock = NSLock()

    /// Registers cmark-gfm's extensions. Call once before rendering on several threads; calling
    /// it again does nothing.
    public static func prepare() {
        _ = registration
    }

    /// Renders a Markdown body to HTML, giving every heading a stable, unique `id`.
    public static func render(_ markdown: String, options: Options = Options()) -> RenderedMarkdown {
        prepare()
        var flags = CMARK_OPT_FOOTNOTES | CMARK_OPT_SMART | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
        if options.unsafeHTML { flags |= CMARK_OPT_UNSAFE }
        let cflags = Int32(flags)

        guard let parser = cmark_parser_new(cflags) else { return RenderedMarkdown(html: "", headings: []) }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var text = markdown
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        let document: OpaquePointer? = finishLock.withLock { cmark_parser_finish(parser) }
        guard let document else { return RenderedMarkdown(html: "", headings: []) }
        defer { cmark_node_free(document) }
        let extensions = cmark_parser_get_syntax_extensions(parser)

        let headings = assignHeadingIDs(
            document, flags: cflags, extensions: extensions, reserved: options.reservedIDs)
        let charts = replaceChartBlocks(document)
        let links = findLinks(document, in: markdown)
        wrapTables(document)
        guard let html = cmark_render_html(document, cflags, extensions) else {
            return RenderedMarkdown(html: "", headings: headings, charts: charts, links: links)
        }
        defer { free(html) }
        var result = RenderedMarkdown(html: String(cString: html), headings: headings, charts: charts, links: links)
        if options.unsafeHTML { result.unsafe = unsafeParts(document, links: links) }
        var hasher = Hasher()
        hasher.combine(markdown)
        hasher.combine(options)
        result.signature = hasher.finalize()
        return result
    }

    /// Replaces each heading with a custom block holding the heading's own HTML with an `id`
    /// added: cmark-gfm's renderer writes no attributes on headings.
    private static func assignHeadingIDs(
        _ document: OpaquePointer, flags: Int32, extensions: UnsafeMutablePointer<cmark_llist>?,
        reserved: Set<String>
    ) -> [Heading] {
        let nodes = collect(document) { cmark_node_get_type($0) == CMARK_NODE_HEADING }
        var used: [String: Int] = Dictionary(uniqueKeysWithValues: reserved.map { ($0, 0) })
        var headings: [Heading] = []
        for node in nodes {
            let level = Int(cmark_node_get_heading_level(node))
            let text = plainText(node)
            var id = Slug.make(text, scheme: .unicode)
            if id.isEmpty { id = "section" }
            if var n = used[id] {
                // The numbered id may itself be taken (a heading "Main 1", a reserved id).
                while used["\(id)-\(n + 1)"] != nil { n += 1 }
                used[id] = n + 1
                id = "\(id)-\(n + 1)"
                used[id] = 0
            } else {
                used[id] = 0
            }
            headings.append(Heading(level: level, id: id, text: text))

            guard let rendered = cmark_render_html(node, flags, extensions) else { continue }
            var html = String(cString: rendered)
            free(rendered)
            let open = "<h\(level)"
            if html.hasPrefix(open) {
                html = open + " id=\"\(id)\"" + html.dropFirst(open.count)
            }
            guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
            cmark_node_set_on_enter(block, html)
            cmark_node_insert_before(node, block)
            cmark_node_free(node)
        }
        return headings
    }

    /// Takes out every fenced block whose info string starts with `chart`, leaving a
    /// placeholder the chart stage replaces with the drawn chart.
    private static func replaceChartBlocks(_ document: OpaquePointer) -> [ChartBlock] {
        let nodes = collect(document) { node in
            guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK, isFenced(node),
                let info = cmark_node_get_fence_info(node)
            else { return false }
            return String(cString: info).split(separator: " ").first == "chart"
        }
        var blocks: [ChartBlock] = []
        for node in nodes {
            let source = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            blocks.append(
                ChartBlock(
                    source: source, fenceLine: Int(cmark_node_get_start_line(node)),
                    column: Int(cmark_node_get_start_column(node))))
            guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
            cmark_node_set_on_enter(block, RenderedMarkdown.placeholder(forChart: blocks.count - 1))
            cmark_node_insert_before(node, block)
            cmark_node_free(node)
        }
        return blocks
    }

    /// The URL of every link and image, with where it was written. cmark-gfm 0.29 gives
    /// positions for blocks only, so the URL is looked for from its block's first line on.
    private static func findLinks(_ document: OpaquePointer, in markdown: String) -> [MarkdownLink] {
        // Lines are split (by bytes) only once a link is found: most blocks have none.
        var split: [Substring]?
        var links: [MarkdownLink] = []
        var cursor = (line: 0, offset: 0)  // where the search for the next URL resumes
        var lastBlockLine = 0
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE, let raw = cmark_node_get_url(node) else {
                continue
            }
            let url = String(cString: raw)
            var block: OpaquePointer? = node
            while let b = block, cmark_node_get_start_line(b) == 0 { block = cmark_node_parent(b) }
            let blockLine = block.map { Int(cmark_node_get_start_line($0)) } ?? 1
            if blockLine != lastBlockLine {
                lastBlockLine = blockLine
                if blockLine - 1 > cursor.line { cursor = (blockLine - 1, 0) }
            }
            let lines = split ?? MarkdownRenderer.lines(markdown)
            split = lines
            var found: (Int, Int)?
            var l = cursor.line
            var offset = cursor.offset
            let needle = Array(url.utf8)
            while l < lines.count, !needle.isEmpty {
                let text = lines[l]
                if let at = firstOffset(of: needle, in: text.utf8, from: offset) {
                    let prefix = text.utf8.index(text.utf8.startIndex, offsetBy: at)
                    let column = text[text.startIndex..<prefix].count + 1
                    found = (l + 1, column)
                    cursor = (l, at + needle.count)
                    break
                }
                l += 1
                offset = 0
            }
            let (line, column) = found ?? (blockLine, Int(block.map { cmark_node_get_start_column($0) } ?? 1))
            links.append(MarkdownLink(url: url, line: line, column: column))
        }
        return links
    }

    /// Raw HTML and link addresses that would run script, each at its place.
    private static func unsafeParts(_ document: OpaquePointer, links: [MarkdownLink]) -> [MarkdownProblem] {
        var found: [MarkdownProblem] = []
        let nodes = collect(document) {
            let type = cmark_node_get_type($0)
            return type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE
        }
        for node in nodes {
            guard let literal = cmark_node_get_literal(node) else { continue }
            let html = String(cString: literal)
            let line = Int(cmark_node_get_start_line(node))
            let column = Int(cmark_node_get_start_column(node))
            for (offset, message) in RawHTMLCheck.problems(in: html) {
                // The line and column of the offset inside the node's text.
                let before = html.unicodeScalars.prefix(offset)
                let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
                let extra = lines.count - 1
                let col = extra == 0 ? column + offset : (lines.last?.count ?? 0) + 1
                found.append(MarkdownProblem(line: line + extra, column: col, message: message))
            }
        }
        for link in links {
            if let message = RawHTMLCheck.linkProblem(link.url) {
                found.append(MarkdownProblem(line: link.line, column: link.column, message: message))
            }
        }
        return found.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// The lines of a text, split at `\n` bytes (a `\r` before it stays in the line): unlike a
    /// split by characters, this sees the ends of CRLF lines too, and is much faster.
    static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        for offset in Bytes.offsets(of: UInt8(ascii: "\n"), in: text) {
            let end = bytes.index(bytes.startIndex, offsetBy: offset)
            lines.append(text[start..<end])
            start = bytes.index(after: end)
        }
        lines.append(text[start...])
        return lines
    }

    /// Puts each table in a scrolling region that keyboard users can reach, so wide tables
    /// scroll on a phone instead of squeezing the page.
    private static func wrapTables(_ document: OpaquePointer) {
        let tables = collect(document) { node in
            cmark_node_get_type_string(node).map { String(cString: $0) == "table" } ?? false
        }
        for (i, table) in tables.enumerated() {
            guard let wrapper = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
            cmark_node_set_on_enter(
                wrapper, "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table \(i + 1)\" tabindex=\"0\">")
            cmark_node_set_on_exit(wrapper, "</div>")
            cmark_node_insert_before(table, wrapper)
            cmark_node_unlink(table)
            cmark_node_append_child(wrapper, table)
        }
    }

    /// The nodes under `root` that `matches` accepts, in document order. Collected first, so
    /// that callers may change the tree afterwards.
    private static func collect(_ root: OpaquePointer, where matches: (OpaquePointer) -> Bool) -> [OpaquePointer] {
        var nodes: [OpaquePointer] = []
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), matches(node) {
                nodes.append(node)
            }
        }
        return nodes
    }

    /// The byte offset of `needle` in `haystack` at or after `from`.
    private static func firstOffset(of needle: [UInt8], in haystack: Substring.UTF8View, from: Int) -> Int? {
        let bytes = Array(haystack)
        guard needle.count <= bytes.count else { return nil }
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    private static func isFenced(_ node: OpaquePointer) -> Bool {
        var length: Int32 = 0
        var offset: Int32 = 0
        var character: CChar = 0
        return cmark_node_get_fenced(node, &length, &offset, &character) != 0
    }

    /// The text of a node's inline content, without markup.
    private static func plainText(_ node: OpaquePointer) -> String {
        var out = ""
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(child)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                if let literal = cmark_node_get_literal(child) { out += String(cString: literal) }
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                out += " "
            }
        }
        return out
    }
}
