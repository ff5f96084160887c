#if os(Linux)
    import Foundation
    import Glibc
    import DossierKit

    /// Watches `Content/`, `Data/` and `Templates/` with Linux's inotify (part of the C library,
    /// no extra dependency): changes are seen at once instead of at the next poll.
    public final class InotifyWatcher: @unchecked Sendable {
        private let fd: Int32
        private var folders: [Int32: String] = [:]

        /// Nil when inotify cannot be used (then the polling watcher is).
        public init?(project: Project) {
            fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            for root in [project.content.path, project.data.path, project.templates.path] { watchTree(root) }
            guard !folders.isEmpty else {
                close(fd)
                return nil
            }
        }

        deinit { close(fd) }

        private static let mask = UInt32(
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF)

        private func watchTree(_ path: String) {
            let wd = inotify_add_watch(fd, path, Self.mask)
            guard wd >= 0 else { return }
            folders[wd] = path
            guard let dir = opendir(path) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name.hasPrefix("."), name != "." { continue }
                if name == "." { continue }
                if entry.pointee.d_type == UInt8(DT_DIR) { watchTree(path + "/" + name) }
            }
        }

        /// Reads what happened since the last call: changed paths, and whether files were
        /// added, removed or renamed (then the listing must be read again).
        private func drain() -> (Set<String>, Bool) {
            var changed: Set<String> = []
            var structural = false
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                var offset = 0
                while offset < n {
                    let (wd, mask, length, name): (Int32, UInt32, Int, String) = buffer.withUnsafeBytes { raw in
                        let event = raw.baseAddress!.advanced(by: offset).assumingMemoryBound(to: inotify_event.self)
                            .pointee
                        let namePointer = raw.baseAddress!.advanced(by: offset + MemoryLayout<inotify_event>.size)
                            .assumingMemoryBound(to: CChar.self)
                        let name = event.len > 0 ? String(cString: namePointer) : ""
                        return (event.wd, event.mask, Int(event.len), name)
                    }
                    offset += MemoryLayout<inotify_event>.size + length
                    // Events were lost: everything must be looked at again.
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { structural = true }
                    guard let folder = folders[wd] else { continue }
                    let path = name.isEmpty ? folder : folder + "/" + name
                    if name.hasPrefix(".") { continue }
                    if mask & UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF) != 0 {
                        structural = true
                    }
                    if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { watchTree(path) }
                    changed.insert(path)
                }
            }
            return (changed, structural)
        }

        /// Waits for a change, then until 8 ms pass with nothing new, so a burst of writes (an
        /// editor saving by rename) is one change.
        public func nextChange() async -> (paths: Set<String>, structural: Bool) {
            var all: Set<String> = []
            var structural = false
            while !Task.isCancelled {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, 0)
                if ready > 0 {
                    let (paths, moved) = drain()
                    all.formUnion(paths)
                    structural = structural || moved
                    // Coalesce: keep reading until 8 ms pass with nothing new.
                    while true {
                        try? await Task.sleep(for: .milliseconds(8))
                        let (more, moved) = drain()
                        if more.isEmpty { break }
                        all.formUnion(more)
                        structural = structural || moved
                    }
                    if !all.isEmpty { return (all, structural) }
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return (all, structural)
        }
    }
#endif
