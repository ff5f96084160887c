import DossierKit
import Foundation

/// Notices changes under `Content/`, `Data/` and `Templates/` by polling file stamps: no native
/// dependency, and it survives editors that save by writing a new file and renaming it.
public struct SourceWatcher: Sendable {
    public let folders: [URL]

    public init(project: Project) {
        folders = [project.content, project.data, project.templates]
    }

    /// Path → (size, modification time, inode) of every file under the folders.
    public func snapshot() -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        let fm = FileManager.default
        for folder in folders {
            guard let enumerator = fm.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in enumerator {
                var info = stat()
                guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                #if os(Linux)
                    let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                #else
                    let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
                #endif
                result[url.path] = [Int64(info.st_size), modified, Int64(info.st_ino)]
            }
        }
        return result
    }

    /// Waits until something changes, then until it has stopped changing for one more poll
    /// (an editor's burst of writes is one change). Returns the changed paths. Without an
    /// interval, polls every 50 ms, or twice as long as a poll takes on a large site, so that
    /// watching never takes more than a third of a core.
    public func nextChange(after previous: inout [String: [Int64]], interval fixed: Duration? = nil) async -> Set<
        String
    > {
        var interval = fixed ?? .milliseconds(50)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let started = ContinuousClock.now
            var current = snapshot()
            if fixed == nil { interval = max(.milliseconds(50), (ContinuousClock.now - started) * 2) }
            guard current != previous else { continue }
            // Coalesce: keep polling until two snapshots agree.
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let again = snapshot()
                if again == current { break }
                current = again
            }
            let changed = Set(current.keys).symmetricDifference(previous.keys)
                .union(current.filter { previous[$0.key] != $0.value }.map(\.key))
            previous = current
            return changed
        }
        return []
    }
}

#if canImport(Glibc)
    import Glibc
#endif
