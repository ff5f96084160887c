#if canImport(Glibc)
    import Glibc
#endif

/// Writes every byte of `bytes` to the open file `fd`, going on after short writes; whether
/// all were written (on false, `errno` says why).
package func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
    }
    return true
}
