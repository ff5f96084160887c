import DossierKit
import Foundation

/// The site the dev server shows: the files of the last good build, the problems of the last
/// build if it failed, and a version that changes with every finished rebuild.
public actor SiteStore {
    public private(set) var files: [String: Data] = [:]
    public private(set) var problems: [Diagnostic] = []
    public private(set) var version = 0
    private var listeners: [UUID: AsyncStream<Int>.Continuation] = [:]

    public init() {}

    /// A successful build: serve its files, and tell every open page.
    public func publish(_ files: [OutputFile]) {
        var map: [String: Data] = [:]
        for file in files {
            map[file.path] = file.copyFrom.flatMap { try? Data(contentsOf: $0) } ?? file.bytes
        }
        self.files = map
        problems = []
        bump()
    }

    /// A failed build: keep serving the last good files, with the problems over them.
    public func fail(_ problems: [Diagnostic]) {
        self.problems = problems
        bump()
    }

    private func bump() {
        version += 1
        for listener in listeners.values { listener.yield(version) }
    }

    /// The versions of the coming rebuilds, as they finish.
    public func updates() -> AsyncStream<Int> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        listeners[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeListener(id) }
        }
        return stream
    }

    private func removeListener(_ id: UUID) { listeners[id] = nil }

    public var listenerCount: Int { listeners.count }
}
