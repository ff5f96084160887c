import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a file looks like on disk without reading it: changes when it is saved, renamed over
/// or replaced.
package struct FileStamp: Hashable, Sendable {
    package var size: Int64
    package var modified: Int64
    package var inode: UInt64

    package static func of(_ url: URL) -> FileStamp? { of(path: url.path) }

    package static func of(path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if os(Linux)
            let nanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #else
            let nanos = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #endif
        return FileStamp(size: Int64(info.st_size), modified: nanos, inode: UInt64(info.st_ino))
    }
}

/// One table of remembered results, safe to read and fill from several threads.
///
/// Writes and pruning are queued and applied at the next read, so that a stage can hold a
/// snapshot from ``all()`` while it adds entries without making the table copy itself.
package final class Memo<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    package init() {}
    private var entries: [Key: Value] = [:]
    private var pending: [(Key, Value)] = []
    private var keep: Set<Key>?
    private let lock = NSLock()

    /// Applies queued writes and pruning; call with the lock held.
    private func settle() {
        for (key, value) in pending { entries[key] = value }
        pending.removeAll(keepingCapacity: true)
        if let keep {
            // Every kept key is stored, so equal counts mean nothing was deleted.
            if entries.count != keep.count { entries = entries.filter { keep.contains($0.key) } }
            self.keep = nil
        }
    }

    package func get(_ key: Key) -> Value? {
        lock.withLock {
            settle()
            return entries[key]
        }
    }

    /// All entries at once, to read from several threads without taking the lock each time.
    package func all() -> [Key: Value] {
        lock.withLock {
            settle()
            return entries
        }
    }

    package func set(_ key: Key, _ value: Value) { lock.withLock { pending.append((key, value)) } }

    package var count: Int {
        lock.withLock {
            settle()
            return entries.count
        }
    }

    /// Keeps only the keys in `keep` (from the next read on), so that deleted files do not linger.
    package func retain(_ keep: Set<Key>) { lock.withLock { self.keep = keep } }
}
