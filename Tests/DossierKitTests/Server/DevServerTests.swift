import DossierKit
import Foundation
import Testing

@testable import DossierServer

#if canImport(Glibc)
    import Glibc
#endif

/// A plain HTTP/1.1 exchange over a socket, so tests control the exact request line. It runs on
/// a thread of its own: blocking a thread of Swift's cooperative pool (two on two cores) could
/// leave the server in this process none to answer with.
func rawHTTP(port: UInt16, _ request: String, readUntil marker: String? = nil, timeout: Double = 30) async throws
    -> String
{
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(
                with: Result { try rawHTTPBlocking(port: port, request, readUntil: marker, timeout: timeout) })
        }
        thread.start()
    }
}

func rawHTTPBlocking(port: UInt16, _ request: String, readUntil marker: String? = nil, timeout: Double = 30) throws
    -> String
{
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, 0) }
    var received = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        received.append(contentsOf: buffer[0..<n])
        if let marker, String(decoding: received, as: UTF8.self).contains(marker) { break }
    }
    return String(decoding: received, as: UTF8.self)
}

func get(_ port: UInt16, _ target: String, method: String = "GET") async throws -> (
    status: Int, headers: String, body: String
) {
    let response = try await rawHTTP(
        port: port, "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    let parts = response.components(separatedBy: "\r\n\r\n")
    let head = parts[0]
    let status = Int(head.split(separator: " ").dropFirst().first ?? "0") ?? 0
    return (status, head.lowercased(), parts.dropFirst().joined(separator: "\r\n\r\n"))
}

@Suite(.serialized) struct DevServerTests {
    func withServer(_ body: (DevServer, UInt16, TemporaryDirectory) async throws -> Void) async throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let server = DevServer(project: Project(root: dir.url), host: "127.0.0.1", port: 0)
        let port = try await server.start()
        do {
            try await body(server, port, dir)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func servesPagesWithTheirTypesAndStatuses() async throws {
        try await withServer { _, port, _ in
            let home = try await get(port, "/")
            #expect(home.status == 200)
            #expect(home.headers.contains("content-type: text/html; charset=utf-8"))
            #expect(home.body.contains("<h1>Counting the cost of countering extremism</h1>"))
            #expect(try await get(port, "/tenders/").status == 200)
            let folder = try await get(port, "/tenders")
            #expect(folder.status == 301)
            #expect(folder.headers.contains("location: /tenders/"))
            #expect(try await get(port, "/feed.xml").headers.contains("content-type: application/atom+xml"))
            #expect(try await get(port, "/tenders/named-lots.csv").headers.contains("content-type: text/csv"))
            #expect(try await get(port, "/data/programme_figures.json").headers.contains("content-type: application/json"))
            let css = try await get(port, "/assets/")
            #expect(css.status == 404, "no directory listing")
            let missing = try await get(port, "/no/such/page/")
            #expect(missing.status == 404)
            #expect(missing.body.contains("Page not found"))
            #expect(try await get(port, "/", method: "POST").status == 405)
            let head = try await get(port, "/", method: "HEAD")
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }

    @Test(arguments: [
        "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/tenders/..%2f..%2fetc%2fpasswd", "/..\\..\\etc\\passwd",
        "/%2E%2E/x",
    ])
    func neverServesAnythingOutsideTheSite(target: String) async throws {
        try await withServer { _, port, _ in
            let response = try await get(port, target)
            #expect(response.status == 400 || response.status == 404, "\(target) gave \(response.status)")
            #expect(!response.body.contains("root:"))
        }
    }

    @Test func pagesGetTheReloadScriptButTheBuildDoesNot() async throws {
        try await withServer { _, port, dir in
            let page = try await get(port, "/tenders/")
            #expect(page.body.contains("new EventSource(\"/_dossier/events\")"))
            _ = try SiteBuilder(project: Project(root: dir.url)).build()
            let built = try String(contentsOf: dir.path("Public/tenders/index.html"), encoding: .utf8)
            #expect(!built.contains("EventSource"))
            #expect(!built.contains("_dossier"))
        }
    }

    @Test func signalsReloadAfterARebuildAndShowsErrorsUntilFixed() async throws {
        try await withServer { server, port, dir in
            // Listen for the next event on a raw socket while a rebuild happens.
            let listener = Task.detached {
                try await rawHTTP(
                    port: port, "GET /_dossier/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", readUntil: "data: ")
            }
            for _ in 0..<50 where await server.store.listenerCount == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let article = dir.path("Content/tenders.md")
            let text = try String(contentsOf: article, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "date: 2019-06-04", with: "date: someday").utf8).write(to: article)
            #expect(await server.rebuild() == nil)
            let stream = try await listener.value
            #expect(
                stream.contains("content-type: text/event-stream") || stream.contains("Content-Type: text/event-stream")
            )
            #expect(stream.contains("data: 2"))
            let broken = try await get(port, "/tenders/")
            #expect(broken.status == 200, "the last good page is still served")
            #expect(broken.body.contains("<div id=\"dossier-errors\""))
            #expect(
                broken.body.contains("Content/tenders.md:3:7: error: date &#39;someday&#39;")
                    || broken.body.contains("Content/tenders.md:3:7: error: date 'someday'"))
            try Data(text.utf8).write(to: article)
            #expect(await server.rebuild() != nil)
            #expect(!(try await get(port, "/tenders/").body.contains("dossier-errors")))
        }
    }

    @Test func aPortInUseIsAClearError() async throws {
        try await withServer { _, port, dir in
            let second = DevServer(project: Project(root: dir.url), port: port)
            await #expect(throws: DevServer.PortInUse.self) { _ = try await second.start() }
        }
    }

    @Test func theWatcherSeesSavesRenamesAndDeletes() async throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        let watcher = SourceWatcher(project: Project(root: dir.url))
        var snapshot = watcher.snapshot()
        try dir.write("Content/new.md", "---\ntitle: New\ndate: 2019-01-01\n---\n")
        var changed = await watcher.nextChange(after: &snapshot, interval: .milliseconds(20))
        #expect(changed.contains(dir.path("Content/new.md").path))
        try FileManager.default.moveItem(at: dir.path("Content/new.md"), to: dir.path("Content/old.md"))
        changed = await watcher.nextChange(after: &snapshot, interval: .milliseconds(20))
        #expect(changed == [dir.path("Content/new.md").path, dir.path("Content/old.md").path])
    }
}

@Suite struct ScaffoldTests {
    @Test func newArticleAndDatasetBuildAndNeverOverwrite() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        let project = Project(root: dir.url)
        #expect(
            try Scaffold.article(
                in: project, title: "Tenders in 2019: \"new\" data", tags: ["tenders"], date: "2026-11-25")
                == "Content/tenders-in-2019-new-data.md")
        #expect(throws: Scaffold.Exists.self) {
            try Scaffold.article(in: project, title: "Tenders in 2019: \"new\" data", date: "2026-11-25")
        }
        #expect(
            try Scaffold.dataset(in: project, name: "contracts", date: "2026-11-25") == [
                "Data/contracts.csv", "Data/contracts.schema.yml",
            ])
        #expect(throws: Scaffold.Exists.self) {
            try Scaffold.dataset(in: project, name: "contracts", date: "2026-11-25")
        }
        let site = try SiteBuilder(project: project, options: BuildOptions(includeDrafts: true)).render()
        #expect(site.files.contains { $0.path == "tenders-in-2019-new-data/index.html" })
        #expect(site.datasets == 4)
    }
}

extension DevServerTests {
    /// Saves a changed file in place, as an editor does, and waits for the rebuild it causes.
    func save(_ server: DevServer, _ file: URL, replacing old: String, with new: String) async throws {
        let before = await server.store.version
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: file)
        for _ in 0..<250 where await server.store.version == before { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func rebuildsWhenAFileIsSaved() async throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let server = DevServer(project: Project(root: dir.url), host: "127.0.0.1", port: 0)
        let running = Task { try await server.run() }
        for _ in 0..<200 where await server.store.version == 0 { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
        try await save(
            server, dir.path("Content/tenders.md"), replacing: "title: What the tenders bought",
            with: "title: What the tenders bought, saved")
        let page = String(decoding: await server.store.files["tenders/index.html"] ?? Data(), as: UTF8.self)
        #expect(page.contains("<h1>What the tenders bought, saved</h1>"))
        running.cancel()
        await server.stop()
    }
}

extension DevServerTests {
    /// The command line shows the first build's progress through these hooks; saving an
    /// article's text then takes the quick rebuild through the watcher's hint.
    @Test func reportsStepsAndTakesTheQuickRebuildForAnArticlesText() async throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let server = DevServer(project: Project(root: dir.url), host: "127.0.0.1", port: 0)
        let steps = Reports()
        server.onStep = { step, _ in steps.add(step, 0, 0) }
        let running = Task { try await server.run() }
        for _ in 0..<200 where await server.store.version == 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(steps.all.map(\.0).contains("pages") && steps.all.map(\.0).contains("links"))
        try await Task.sleep(for: .milliseconds(200))
        try await save(
            server, dir.path("Content/tenders.md"), replacing: "The notice stayed online for a month.",
            with: "The notice stayed online for one month.")
        let page = String(decoding: await server.store.files["tenders/index.html"] ?? Data(), as: UTF8.self)
        #expect(page.contains("The notice stayed online for one month."))
        #if os(Linux)
            // With inotify the watcher names the file, and only the article is rebuilt.
            #expect(steps.all.last?.0 == "article only")
        #endif
        running.cancel()
        await server.stop()
    }
}

/// The overlay of a failed rebuild says so in the page's language; the problems stay as written.
@Test func theErrorOverlaySpeaksThePagesLanguage() {
    let problem = Diagnostic(SourceLocation(path: "Content/a.md", line: 3, column: 1), "something broke", code: .frontMatter)
    let russian = SiteHTTPHandler.inject(into: "<html lang=\"ru\"><body></body></html>", version: 2, problems: [problem])
    #expect(russian.contains("Последняя пересборка не удалась."))
    #expect(russian.contains("Content/a.md:3:1: error: something broke"))
    let english = SiteHTTPHandler.inject(into: "<html lang=\"en\"><body></body></html>", version: 2, problems: [problem])
    #expect(english.contains("The last rebuild failed. This is the last good version of the page."))
    let kazakh = SiteHTTPHandler.inject(into: "<html lang=\"kk\"><body></body></html>", version: 2, problems: [problem])
    #expect(kazakh.contains("Соңғы қайта құрастыру сәтсіз аяқталды."))
}
