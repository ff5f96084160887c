#if canImport(Glibc)
    import Glibc
#endif

/// A file read front to back through a buffer of a few megabytes, handed over in chunks that
/// end where the caller's `boundary` says a unit (a CSV record) ends, so that a register of
/// gigabytes is read with memory for one chunk. Bytes after the last boundary are carried into
/// the next chunk; a unit longer than the buffer grows it.
package enum ChunkedFile {
    /// Why the file could not be read, with the system's reason.
    package struct ReadError: Error {
        package var message: String
    }

    /// The chunk size: large enough that a chunk's per-record work dwarfs the call, small
    /// enough that a few of them cost nothing beside the data.
    package static let defaultChunk = 8 << 20

    /// Calls `body` with consecutive chunks of the file at `path`, each the bytes up to
    /// `boundary(buffer)` (the count of bytes that make whole units, nil when none does); the
    /// last chunk is whatever remains at the end of the file. A unit that grows past `limit`
    /// bytes is handed over on its own with `isOverlong` set, so the caller says what is wrong.
    package static func forEachChunk<E: Error>(
        path: String, chunk: Int = defaultChunk, limit: Int = 256 << 20,
        boundary: (UnsafeBufferPointer<UInt8>) -> Int?,
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ isLast: Bool, _ isOverlong: Bool) throws(E) -> Void
    ) throws(ChunkError<E>) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .read(ReadError(message: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var capacity = chunk
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0
        var atEnd = false
        while true {
            // Fill the buffer, or reach the end of the file.
            while filled < capacity && !atEnd {
                let n = read(fd, buffer + filled, capacity - filled)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw .read(ReadError(message: String(cString: strerror(errno)))) }
                if n == 0 { atEnd = true } else { filled += n }
            }
            let bytes = UnsafeBufferPointer(start: buffer, count: filled)
            if atEnd {
                do throws(E) { try body(bytes, true, false) } catch { throw .body(error) }
                return
            }
            guard let end = boundary(bytes), end > 0 else {
                if capacity >= limit {
                    do throws(E) { try body(bytes, false, true) } catch { throw .body(error) }
                    return
                }
                // One unit longer than the buffer: a bigger buffer, the bytes kept.
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
                continue
            }
            do throws(E) { try body(UnsafeBufferPointer(start: buffer, count: end), false, false) } catch { throw .body(error) }
            memmove(buffer, buffer + end, filled - end)
            filled -= end
        }
    }

    /// The same chunks of bytes already in memory, handed over where they are.
    package static func forEachChunk<E: Error>(
        of bytes: UnsafeBufferPointer<UInt8>, chunk: Int = defaultChunk, boundary: (UnsafeBufferPointer<UInt8>) -> Int?,
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ isLast: Bool) throws(E) -> Void
    ) throws(E) {
        var start = 0
        var window = chunk
        while true {
            if bytes.count - start <= window {
                try body(UnsafeBufferPointer(rebasing: bytes[start...]), true)
                return
            }
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<start + window])
            guard let end = boundary(slice), end > 0 else {
                window *= 2
                continue
            }
            try body(UnsafeBufferPointer(rebasing: slice[..<end]), false)
            start += end
            window = chunk
        }
    }

    /// What stopped a chunked read: the file, or the caller's body.
    package enum ChunkError<E: Error>: Error {
        case read(ReadError)
        case body(E)
    }

    /// The first `count` bytes of the file at `path` (fewer when it is shorter), or nil when it
    /// cannot be read.
    package static func prefix(path: String, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes.prefix(filled))
    }
}
