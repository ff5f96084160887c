import DossierKit
import FlyingFox
import FlyingSocks
import Foundation

/// Serves the site from memory: correct content types, `index.html` for folders, the site's
/// `404.html` for misses, no listings, and nothing outside the site. HTML pages get a small
/// script that reloads them when a rebuild finishes, and the errors of a failed rebuild.
public struct SiteHTTPHandler: HTTPHandler {
    public static let eventsPath = "/_dossier/events"
    let store: SiteStore

    public init(store: SiteStore) { self.store = store }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return HTTPResponse(statusCode: .methodNotAllowed, headers: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        if request.target.path(percentEncoded: false) == Self.eventsPath { return await events() }
        guard let key = Self.key(for: request) else {
            return HTTPResponse(
                statusCode: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"],
                body: Data("Bad request path\n".utf8))
        }
        let files = await store.files
        var path = key
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        if files[path] == nil, files[path + "/index.html"] != nil {
            // A folder without its slash: relative links need the slash.
            return HTTPResponse(statusCode: .movedPermanently, headers: [.location: "/" + key + "/"])
        }
        guard let body = files[path] else {
            let notFound = files["404.html"] ?? Data("Not found\n".utf8)
            return await respond(notFound, path: "404.html", status: .notFound, head: request.method == .HEAD)
        }
        return await respond(body, path: path, status: .ok, head: request.method == .HEAD)
    }

    /// The site path a request asks for, or nil for one that tries to leave the site. Only
    /// the decoded path is judged: a query (`/?q=a..b`) is no way out of the site.
    static func key(for request: HTTPRequest) -> String? {
        let raw = request.target.path(percentEncoded: true)
        guard var path = raw.removingPercentEncoding, path.hasPrefix("/") else { return nil }
        guard !path.contains("\\"), !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        path.removeFirst()
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        return path
    }

    private func respond(_ body: Data, path: String, status: HTTPStatusCode, head: Bool) async -> HTTPResponse {
        var body = body
        let type = Self.contentType(for: path)
        if type.hasPrefix("text/html") {
            body = Data(
                Self.inject(
                    into: String(decoding: body, as: UTF8.self), version: await store.version,
                    problems: await store.problems
                ).utf8)
        }
        var headers: HTTPHeaders = [.contentType: type, HTTPHeader("Cache-Control"): "no-store"]
        headers[.contentLength] = String(body.count)
        return HTTPResponse(statusCode: status, headers: headers, body: head ? Data() : body)
    }

    /// Server-sent events: one message with the version each time a rebuild finishes.
    private func events() async -> HTTPResponse {
        let updates = await store.updates()
        return HTTPResponse(
            statusCode: .ok,
            headers: [.contentType: "text/event-stream", HTTPHeader("Cache-Control"): "no-store"],
            body: HTTPBodySequence(from: EventBytes(updates: updates)))
    }

    /// The live-reload script, and the problems of a failed rebuild, before `</body>`.
    static func inject(into html: String, version: Int, problems: [Diagnostic]) -> String {
        var addition = ""
        if !problems.isEmpty {
            let lines = problems.map { escape($0.description) }.joined(separator: "\n")
            // Said in the page's language (its `<html lang>`); the problems stay as the build wrote them.
            var language = "en"
            if let start = html.range(of: "<html lang=\"") {
                language = String(html[start.upperBound...].prefix { $0 != "\"" })
            }
            let headline = escape(Words.builtIn(language).text("overlay_failed"))
            addition += """
                <div id="dossier-errors" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;\
                background:rgba(20,20,24,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace">\
                <p style="font-weight:700;color:#ff8a80">\(headline)</p>\
                <pre style="white-space:pre-wrap">\(lines)</pre></div>
                """
        }
        addition += """
            <script>(function(){var v=\(version);var s=new EventSource("\(eventsPath)");\
            s.onmessage=function(e){if(Number(e.data)!==v){s.close();location.reload();}};})();</script>
            """
        if let range = html.range(of: "</body>", options: .backwards) {
            return html.replacingCharacters(in: range, with: addition + "</body>")
        }
        return html + addition
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "json": "application/json", "xml": "application/xml", "csv": "text/csv; charset=utf-8",
        "txt": "text/plain; charset=utf-8", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg",
        "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "ico": "image/x-icon",
        "woff": "font/woff", "woff2": "font/woff2", "yml": "text/yaml; charset=utf-8",
        "yaml": "text/yaml; charset=utf-8",
        "pdf": "application/pdf",
    ]

    static func contentType(for path: String) -> String {
        if path.hasSuffix("feed.xml") { return "application/atom+xml" }
        let ext = (path as NSString).pathExtension.lowercased()
        return types[ext] ?? "application/octet-stream"
    }
}

/// The bytes of a server-sent event stream: a comment first, so the headers go out at once,
/// then `data: VERSION` for every finished rebuild.
struct EventBytes: AsyncBufferedSequence {
    typealias Element = UInt8
    let updates: AsyncStream<Int>

    func makeAsyncIterator() -> Iterator { Iterator(base: updates.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<Int>.Iterator
        var pending: [UInt8] = Array(": connected\n\n".utf8)

        mutating func next() async -> UInt8? {
            guard let buffer = await nextBuffer(suggested: 1) else { return nil }
            pending = Array(buffer.dropFirst()) + pending
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            if pending.isEmpty {
                guard let version = await base.next() else { return nil }
                pending = Array("data: \(version)\n\n".utf8)
            }
            let chunk = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(chunk.count)
            return chunk
        }
    }
}
