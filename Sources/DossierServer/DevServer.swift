import DossierKit
import FlyingFox
import FlyingSocks
import Foundation

/// `dossier serve`: builds the site into memory, serves it on loopback, watches the sources
/// and rebuilds what changed, telling open pages to reload.
public final class DevServer: @unchecked Sendable {
    public let project: Project
    public let options: BuildOptions
    public let store = SiteStore()
    let cache = BuildCache()
    let host: String
    let requestedPort: UInt16
    let log: @Sendable (LogLine) -> Void
    /// Called while a long build step runs (see ``SiteBuilder/onProgress``): the first build of
    /// a large site takes seconds.
    public var onProgress: (@Sendable (String, Int, Int) -> Void)?
    /// Called when a step ends, with its name and duration.
    public var onStep: (@Sendable (String, Double) -> Void)?
    private var server: HTTPServer?
    private var serverTask: Task<Void, Error>?
    private var requestGuard: RequestGuard?
    private var socketPath: String?

    public init(
        project: Project, options: BuildOptions = BuildOptions(), host: String = "127.0.0.1", port: UInt16 = 8080,
        log: @escaping @Sendable (LogLine) -> Void = { _ in }
    ) {
        self.project = project
        self.options = options
        self.host = host
        self.requestedPort = port
        self.log = log
    }

    public struct PortInUse: Error, CustomStringConvertible {
        public let port: UInt16
        public var description: String { "port \(port) is already in use; choose another with --port" }
    }

    /// Rebuilds the site with the cache and publishes the result, or the problems.
    /// Returns the pages that were rendered again, or nil when the build failed.
    @discardableResult
    public func rebuild() async -> [String]? {
        let log = self.log
        let onStep = self.onStep
        var builder = SiteBuilder(project: project, options: options) { step, seconds in
            log(.detail(String(format: "  step %@ %.1f ms", step, seconds * 1000)))
            onStep?(step, seconds)
        }
        builder.onProgress = onProgress
        let start = DispatchTime.now()
        let cache = self.cache
        let result: Result<SiteBuilder.Site, BuildFailure> = await Task.detached {
            do throws(BuildFailure) { return .success(try builder.render(cache: cache)) } catch {
                return .failure(error)
            }
        }.value
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        switch result {
        case .success(let site):
            await store.publish(site.files)
            let rendered = cache.renderedPages
            log(
                .info(
                    String(
                        format: "rebuilt in %.0f ms: %d of %d pages rendered%@", ms, rendered.count, site.pages,
                        cache.lastWasQuick ? " (only the article's text changed)" : "")))
            for page in rendered { log(.detail("  rendered \(page)")) }
            for warning in site.warnings { log(.problem(warning)) }
            return rendered
        case .failure(let failure):
            await store.fail(failure.diagnostics)
            for problem in failure.diagnostics { log(.problem(problem)) }
            log(.info("build failed with \(failure.diagnostics.count) problem(s); still serving the last good site"))
            return nil
        }
    }

    /// Builds, starts listening and returns the port. The server runs until ``stop()``.
    ///
    /// The port belongs to a ``RequestGuard``, which checks each request head and passes the
    /// good ones to FlyingFox on a Unix socket of this process's own.
    public func start() async throws -> UInt16 {
        await rebuild()
        let socketPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("dossier-serve-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8)).sock")
            .path
        unlink(socketPath)
        let requestGuard: RequestGuard
        do {
            requestGuard = try RequestGuard(host: host, port: requestedPort, upstream: socketPath)
        } catch RequestGuard.GuardError.inUse {
            throw PortInUse(port: requestedPort)
        }
        let server = HTTPServer(
            address: sockaddr_un.unix(path: socketPath), timeout: 60, logger: .disabled,
            handler: SiteHTTPHandler(store: store))
        self.server = server
        self.socketPath = socketPath
        let failed = OnceFlag()
        let task = Task {
            do { try await server.run() } catch {
                failed.set()
                throw error
            }
        }
        serverTask = task
        for _ in 0..<250 {
            if await server.isListening || failed.isSet { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard await server.isListening else {
            task.cancel()
            requestGuard.stop()
            throw RequestGuard.GuardError.socket("cannot listen on \(socketPath)")
        }
        requestGuard.start()
        self.requestGuard = requestGuard
        return requestGuard.port
    }

    /// Serves until cancelled: watches the sources and rebuilds on every change.
    public func run() async throws {
        let port = try await start()
        // An IPv6 address goes in brackets in a URL (`http://[::1]:8080/`).
        let shown = ListenAddress(host).map { if case .v6 = $0 { return "[\($0)]" } else { return host } } ?? host
        log(.info("serving at http://\(shown):\(port)/ (Ctrl-C to stop)"))
        #if os(Linux)
            if let watcher = InotifyWatcher(project: project) {
                while !Task.isCancelled {
                    let change = await watcher.nextChange()
                    if change.paths.isEmpty { continue }
                    let names = change.paths.map { project.relative(URL(fileURLWithPath: $0)) }.sorted()
                    log(.info("changed: " + names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")))
                    cache.hint(changed: change.paths, structural: change.structural)
                    await rebuild()
                }
                return
            }
        #endif
        let watcher = SourceWatcher(project: project)
        var snapshot = watcher.snapshot()
        while !Task.isCancelled {
            let changed = await watcher.nextChange(after: &snapshot)
            if changed.isEmpty { continue }
            let names = changed.map { project.relative(URL(fileURLWithPath: $0)) }.sorted()
            log(.info("changed: " + names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")))
            await rebuild()
        }
    }

    public func stop() async {
        requestGuard?.stop()
        await server?.stop(timeout: 0.2)
        serverTask?.cancel()
        if let socketPath { unlink(socketPath) }
    }

    /// Connections the server holds open now.
    public var openConnections: Int { requestGuard?.openConnections ?? 0 }
}

/// One line of the server's log: what `--quiet` and `--verbose` choose among by kind, never
/// by the wording.
public enum LogLine: Sendable, CustomStringConvertible {
    /// What happened: serving, a change seen, a rebuild's summary.
    case info(String)
    /// Each step and page of a rebuild (`--verbose`).
    case detail(String)
    /// An error or warning of the sources.
    case problem(Diagnostic)

    public var description: String {
        switch self {
        case .info(let text), .detail(let text): return text
        case .problem(let diagnostic): return diagnostic.description
        }
    }
}

/// A flag set once, from any thread.
public final class OnceFlag: @unchecked Sendable {
    private var value = false
    private let lock = NSLock()
    public init() {}
    public func set() { lock.withLock { value = true } }
    public var isSet: Bool { lock.withLock { value } }
}
