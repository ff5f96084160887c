import Foundation

/// Resolves the links a page writes against the files the build writes: rewrites links to
/// articles by their source file (`lots.md#2017`) and to assets by their original name
/// (`assets/style.css`), and reports every link and anchor that leads nowhere.
struct LinkResolver: Sendable {
    /// Every path the build writes, under the output folder.
    var paths: Set<String>
    /// The `id`s of each HTML page, by path.
    var anchors: [String: Set<String>]
    /// Output path of each article, by its source file (`Content/lots.md`).
    var articlesBySource: [String: String]
    /// Source files of drafts left out, for a clearer message.
    var draftSources: Set<String>
    /// Fingerprinted path of each asset, by its original path (`assets/style.css`).
    var assets: [String: String]
    var baseURL: String?
    /// Whether `paths` and `anchors` hold the whole site. While pages are still being written
    /// (a streamed build) they do not: a link to a path or anchor not known yet is kept as a
    /// ``Deferred`` check, made when every page is known.
    var complete = true
    /// The files written with the page being processed (its charts' CSV files): a link to one
    /// of them is checked at once, not deferred to the end of the build.
    var pageFiles: [String] = []

    /// A link check that waits for the whole site: its target path and fragment, and where
    /// the link was written.
    struct Deferred: Sendable {
        var value: String
        var path: String
        var fragment: String?
        var place: SourceLocation
        var onPage: String
    }

    /// What checking one link found: a problem now, or a check for later.
    enum Check: Sendable {
        case problem(Diagnostic)
        case deferred(Deferred)

        /// The problem found now, if this is one.
        var problem: Diagnostic? {
            if case .problem(let problem) = self { return problem }
            return nil
        }

        /// Whether this check waits for the whole site.
        var isDeferred: Bool {
            if case .deferred = self { return true }
            return false
        }
    }

    enum Target {
        case external
        case internalPath(path: String, fragment: String?)
        case problem(String, hint: String?)
    }

    struct Link {
        var value: String
        /// Where the value starts and ends in the page's UTF-8 bytes.
        var range: Range<Int>
    }

    /// The `href` and `src` values of a page, in order.
    static func links(in html: String) -> [Link] { links(in: Array(html.utf8)) }

    static func links(in bytes: [UInt8]) -> [Link] {
        attributeValues(in: bytes, names: [" href=\"", " src=\""]).map { range, _ in
            Link(value: value(bytes, range, unescaped: false), range: range)
        }
    }

    /// The `id` attributes of a page.
    static func ids(in html: String) -> Set<String> {
        let bytes = Array(html.utf8)
        return Set(attributeValues(in: bytes, names: [" id=\""]).map { range, _ in value(bytes, range, unescaped: true) })
    }

    /// ``links(in:)`` and ``ids(in:)`` in one scan of the page's bytes.
    static func scan(_ bytes: [UInt8]) -> (links: [Link], ids: Set<String>) {
        var links: [Link] = []
        var ids: Set<String> = []
        for (range, name) in attributeValues(in: bytes, names: [" href=\"", " src=\"", " id=\""]) {
            if name < 2 {
                links.append(Link(value: value(bytes, range, unescaped: false), range: range))
            } else {
                ids.insert(value(bytes, range, unescaped: true))
            }
        }
        return (links, ids)
    }

    private static func value(_ bytes: [UInt8], _ range: Range<Int>, unescaped: Bool) -> String {
        let text = String(decoding: bytes[range], as: UTF8.self)
        return unescaped ? unescape(text) : text
    }

    /// Where the values of the named attributes are, in document order, each with the index of
    /// its name: a byte-level scan, as Foundation's string search was most of the time of
    /// checking a large site's links.
    static func attributeValues(in page: [UInt8], names: [String]) -> [(range: Range<Int>, name: Int)] {
        // ` href="` and the like: found by each `="`, then the name before it.
        let patterns = names.map { Array($0.utf8.dropLast(2)) }
        var found: [(range: Range<Int>, name: Int)] = []
        page.withUnsafeBufferPointer { bytes in
            let n = bytes.count
            for equals in Bytes.offsets(of: 0x3D, in: bytes) where equals + 1 < n && bytes[equals + 1] == 0x22 {
                if let last = found.last, equals < last.range.upperBound { continue }  // inside a value already taken
                let matched = patterns.firstIndex { pattern in
                    guard equals >= pattern.count else { return false }
                    let from = equals - pattern.count
                    for k in 0..<pattern.count where bytes[from + k] != pattern[k] { return false }
                    return true
                }
                guard let matched else { continue }
                let start = equals + 2
                var end = start
                while end < n, bytes[end] != 0x22 { end += 1 }
                guard end < n else { break }
                found.append((start..<end, matched))
            }
        }
        return found
    }

    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(0x26) else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            var decoded: String?
            switch name {
            case "quot": decoded = "\""
            case "amp": decoded = "&"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "apos": decoded = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst(1)).flatMap(Unicode.Scalar.init).map { String($0) }
                }
            }
            if let decoded {
                out += decoded
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }

    /// The folder of a page path: `tenders/index.html` → `tenders/`.
    static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "" }
        return String(path[...slash])
    }

    /// `from` → `to` as a relative URL, both paths under the output folder: the names the
    /// page's folder shares with the target's path are left out, each other one climbed.
    static func relative(from page: String, to target: String) -> String {
        var page = page
        var target = target
        return page.withUTF8 { p in
            target.withUTF8 { t in
                /// Each name's range: `keepEmpty` keeps the empty ones (`a//b`, a trailing `/`).
                func names(_ bytes: UnsafeBufferPointer<UInt8>, upTo end: Int, keepEmpty: Bool) -> [Range<Int>] {
                    var ranges: [Range<Int>] = []
                    var start = 0
                    for i in 0...end where i == end || bytes[i] == 0x2F {
                        if keepEmpty || i > start { ranges.append(start..<i) }
                        start = i + 1
                    }
                    return ranges
                }
                var folderEnd = p.count
                while folderEnd > 0 && p[folderEnd - 1] != 0x2F { folderEnd -= 1 }
                let from = names(p, upTo: folderEnd, keepEmpty: false)
                let to = names(t, upTo: t.count, keepEmpty: true)
                var common = 0
                while common < from.count, common < to.count - 1,
                    UnsafeBufferPointer(rebasing: p[from[common]]).elementsEqual(UnsafeBufferPointer(rebasing: t[to[common]]))
                {
                    common += 1
                }
                var out: [UInt8] = []
                out.reserveCapacity(3 * (from.count - common) + t.count)
                for _ in common..<from.count { out.append(contentsOf: [0x2E, 0x2E, 0x2F]) }
                if common < to.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: t[to[common].lowerBound...])) }
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    /// Joins a relative path onto a folder, resolving `.` and `..`; nil if it climbs out.
    static func join(_ folder: String, _ relative: String) -> String? {
        if let quick = quickJoin(folder, relative) { return quick }
        return joinSegments(folder, relative)
    }

    /// `join` segment by segment: the general rule.
    static func joinSegments(_ folder: String, _ relative: String) -> String? {
        var parts = folder.split(separator: "/").map(String.init)
        let pieces = relative.split(separator: "/", omittingEmptySubsequences: false)
        for (i, piece) in pieces.enumerated() {
            switch piece {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            case "" where i < pieces.count - 1: continue
            default: parts.append(String(piece))
            }
        }
        return parts.joined(separator: "/")
    }

    /// `join` for the links nearly every page has: some `../` and then a plain path (no `.`,
    /// `..` or empty segment after them); nil when the general rule is needed.
    static func quickJoin(_ folder: String, _ relative: String) -> String? {
        // Over the UTF-8 bytes: walking the string's index views was most of locating a link.
        var relative = relative
        var folder = folder
        return relative.withUTF8 { r -> String? in
            var rest = 0
            var ups = 0
            while rest + 3 <= r.count, r[rest] == 0x2E, r[rest + 1] == 0x2E, r[rest + 2] == 0x2F {
                rest += 3
                ups += 1
            }
            if rest == r.count && ups == 0 { return nil }
            // Every segment after the `../` must be a plain name (the last may be empty: `a/`).
            var segmentStart = rest
            var i = rest
            while true {
                if i == r.count || r[i] == 0x2F {
                    let length = i - segmentStart
                    var dots = true
                    for k in segmentStart..<i where r[k] != 0x2E {
                        dots = false
                        break
                    }
                    if dots && length <= 2 && (length > 0 || i != r.count || segmentStart == rest && ups == 0) {
                        return nil
                    }
                    if i == r.count { break }
                    segmentStart = i + 1
                }
                i += 1
            }
            return folder.withUTF8 { f -> String? in
                var depth = 0
                for byte in f where byte == 0x2F { depth += 1 }
                guard ups <= depth, f.isEmpty || (f[f.count - 1] == 0x2F && f[0] != 0x2F) else { return nil }
                // The folder without its last `ups` names.
                var end = f.count
                for _ in 0..<ups {
                    end -= 1  // its slash
                    while end > 0 && f[end - 1] != 0x2F { end -= 1 }
                }
                var out: [UInt8] = []
                out.reserveCapacity(end + r.count - rest)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: f[0..<end]))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: r[rest..<r.count]))
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    /// Whether a URL starts with a scheme (`https:`, `mailto:`): letters, then letters, digits,
    /// `+`, `.` or `-`, then `:`.
    static func hasScheme(_ value: String) -> Bool {
        var first = true
        for byte in value.utf8 {
            let letter = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
            if first {
                guard letter else { return false }
                first = false
                continue
            }
            if byte == 58 { return true }
            guard letter || (byte >= 48 && byte <= 57) || byte == 43 || byte == 46 || byte == 45 else { return false }
        }
        return false
    }

    /// Percent-decoding only when there is something to decode (Foundation's is slow).
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(37) else { return text }
        return text.removingPercentEncoding ?? text
    }

    /// Where a link written on the page at `page` leads.
    func resolve(_ raw: String, page: String) -> Target {
        var value = LinkResolver.unescape(raw)
        if value.isEmpty { return .external }
        if let baseURL, value.hasPrefix(baseURL) {
            value = String(value.dropFirst(baseURL.count))
            if value.isEmpty { value = "index.html" }
            return locate(value, folder: "")
        }
        if value.hasPrefix("//") || LinkResolver.hasScheme(value) { return .external }
        if value.hasPrefix("#") {
            return .internalPath(path: page, fragment: LinkResolver.decode(String(value.dropFirst())))
        }
        if value.hasPrefix("/"), page == PageContext.notFoundPath {
            // The 404 page is served at any depth: without a base URL it links from the root.
            return locate(String(value.dropFirst()), folder: "")
        }
        if value.hasPrefix("/") {
            return .problem(
                "link '\(raw)' starts at the host's root, which breaks the site under a sub-path or from disk",
                hint: "write a relative link")
        }
        return locate(value, folder: LinkResolver.folder(of: page))
    }

    private func locate(_ value: String, folder: String) -> Target {
        var pathPart = value
        var fragment: String?
        // Searched as bytes: `#` and `?` are ASCII, and a character search was slow.
        if let hash = pathPart.utf8.firstIndex(of: 0x23) {
            fragment = String(pathPart[pathPart.utf8.index(after: hash)...])
            pathPart = String(pathPart[..<hash])
        }
        if let query = pathPart.utf8.firstIndex(of: 0x3F) { pathPart = String(pathPart[..<query]) }
        let decoded = LinkResolver.decode(pathPart)
        guard var path = LinkResolver.join(folder, decoded) else {
            return .problem("link '\(value)' climbs above the site's root folder", hint: nil)
        }
        if decoded.isEmpty || decoded.hasSuffix("/") || path.isEmpty {
            path += path.isEmpty || path.hasSuffix("/") ? "index.html" : "/index.html"
        }
        if !paths.contains(path), paths.contains(path + "/index.html") { path += "/index.html" }
        return .internalPath(path: path, fragment: fragment.map(LinkResolver.decode))
    }

    /// Rewrites links to source files and assets on a page and checks every internal link.
    /// `located` says where a link (by its value) was written, for the error message.
    func process(
        _ html: String, page: String, articleSource: String?, fallback: SourceLocation,
        located: (String) -> SourceLocation?
    ) -> (html: String, problems: [Diagnostic]) {
        let (out, checks) = processDeferring(
            html, page: page, articleSource: articleSource, fallback: fallback, located: located)
        return (out, checks.compactMap(\.problem))
    }

    /// ``process(_:page:articleSource:fallback:located:)``, keeping the checks of links to what
    /// is not known yet for ``check(_:)`` when the resolver is not `complete`.
    func processDeferring(
        _ html: String, page: String, articleSource: String?, fallback: SourceLocation,
        located: (String) -> SourceLocation?
    ) -> (html: String, checks: [Check]) {
        let (out, checks) = processDeferring(
            bytes: Array(html.utf8), page: page, articleSource: articleSource, fallback: fallback, located: located)
        return (String(decoding: out, as: UTF8.self), checks)
    }

    /// ``processDeferring(_:page:articleSource:fallback:located:)`` over a page's bytes, as it
    /// goes to the disk; `links` are the page's links when they were found already.
    func processDeferring(
        bytes html: [UInt8], page: String, articleSource: String?, fallback: SourceLocation,
        located: (String) -> SourceLocation?, links: [Link]? = nil
    ) -> (bytes: [UInt8], checks: [Check]) {
        var out: [UInt8] = []
        out.reserveCapacity(html.count + 256)
        var cursor = 0
        var problems: [Check] = []
        for link in links ?? LinkResolver.links(in: html) {
            out.append(contentsOf: html[cursor..<link.range.lowerBound])
            cursor = link.range.upperBound
            var replacement = link.value
            let place = located(link.value) ?? fallback
            let onPage = place == fallback ? " on \(page)" : ""
            func report(_ message: String, hint: String? = nil, code: DiagnosticCode) {
                problems.append(.problem(Diagnostic(place, message + onPage, hint: hint, code: code)))
            }
            switch resolve(link.value, page: page) {
            case .external: break
            case .problem(let message, let hint): report(message, hint: hint, code: .linkInvalid)
            case .internalPath(var path, let fragment):
                // A link to an article by its Markdown file.
                if path.hasSuffix(".md"), let articleSource {
                    let source =
                        LinkResolver.join(
                            LinkResolver.folder(of: articleSource),
                            String(LinkResolver.unescape(link.value).prefix { $0 != "#" && $0 != "?" })
                                .removingPercentEncoding ?? "") ?? ""
                    guard let target = articlesBySource[source] else {
                        let why =
                            draftSources.contains(source) ? "is a draft, left out of this build" : "does not exist"
                        report(
                            "link to '\(LinkResolver.unescape(link.value))': the article \(source) \(why)",
                            code: draftSources.contains(source) ? .linkDraft : .linkMissingArticle)
                        out.append(contentsOf: replacement.utf8)  // as written: with `links: warn` the page keeps it
                        continue
                    }
                    path = target
                    replacement = LinkResolver.relative(from: page, to: target) + (fragment.map { "#" + $0 } ?? "")
                }
                if let fingerprinted = assets[path] {
                    path = fingerprinted
                    let absolute = baseURL.map { link.value.hasPrefix($0) } ?? false
                    replacement =
                        (absolute ? baseURL! + fingerprinted : LinkResolver.relative(from: page, to: fingerprinted))
                        + (fragment.map { "#" + $0 } ?? "")
                }
                let target = Deferred(value: link.value, path: path, fragment: fragment, place: place, onPage: onPage)
                let needsAnchors = fragment.map { !$0.isEmpty && path.hasSuffix(".html") } ?? false
                if !complete && ((!paths.contains(path) && !pageFiles.contains(path)) || (needsAnchors && anchors[path] == nil)) {
                    problems.append(.deferred(target))
                    out.append(contentsOf: replacement.utf8)
                    continue
                }
                if let problem = check(target) { problems.append(.problem(problem)) }
            }
            out.append(contentsOf: replacement.utf8)
        }
        out.append(contentsOf: html[cursor...])
        return (out, problems)
    }

    /// Whether a link's target exists: its path, and its fragment on an HTML page.
    func check(_ link: Deferred) -> Diagnostic? {
        guard paths.contains(link.path) || pageFiles.contains(link.path) else {
            return Diagnostic(
                link.place, "link to '\(LinkResolver.unescape(link.value))' leads nowhere: nothing is written at \(link.path)" + link.onPage,
                hint: hint(for: link.path), code: .linkMissingFile)
        }
        if let fragment = link.fragment, !fragment.isEmpty, link.path.hasSuffix(".html"),
            !(anchors[link.path]?.contains(fragment) ?? false)
        {
            return Diagnostic(
                link.place,
                "link to '\(LinkResolver.unescape(link.value))' names #\(fragment), but \(link.path) has no element with that id" + link.onPage
            , code: .linkMissingAnchor)
        }
        return nil
    }

    private func hint(for path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        let folder = (path as NSString).deletingLastPathComponent
        let near = paths.filter { $0.hasPrefix(folder.isEmpty ? "" : folder + "/") && $0.hasSuffix(".html") }.sorted()
            .prefix(5)
        if name == "index.html", !near.isEmpty { return "pages there: \(near.joined(separator: ", "))" }
        return nil
    }
}
