import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The dev server's front door. It owns the listening port, reads each request head itself
/// with limits and a deadline, answers what it refuses at once, and hands every acceptable
/// request to FlyingFox, which listens on a private Unix socket.
///
/// FlyingFox 0.27 reads request heads byte by byte with no size limit (a 200 KB header took 27
/// seconds of CPU, during which other clients waited) and has no read deadline, so any web
/// page could freeze a reporter's server with a long `<img src>`. Here:
/// - a request line over ``Limits/requestLine`` bytes gets 414, a head over
///   ``Limits/head`` bytes 431, both as soon as the limit is passed;
/// - a head not complete within ``Limits/headDeadline`` seconds gets 408 (a slow client only
///   holds its own thread);
/// - a method other than GET and HEAD gets 405 when HTTP defines it and 501 otherwise, and a
///   request with a body 413;
/// - at most ``Limits/connections`` connections at once; more get 503.
/// Only heads are parsed here; responses stream back untouched (server-sent events included).
final class RequestGuard: @unchecked Sendable {
    struct Limits: Sendable {
        var requestLine = 8 * 1024
        var head = 32 * 1024
        var headDeadline: Double = 10
        var idle: Double = 120
        var connections = 256
    }

    let listener: Int32
    let upstream: String
    let limits: Limits
    private let lock = NSLock()
    private var open = 0
    private var stopped = false
    private var started = false

    /// Binds `address:port` (port 0: any free port). Throws when the port is taken.
    init(host: String, port: UInt16, upstream: String, limits: Limits = Limits()) throws {
        self.upstream = upstream
        self.limits = limits
        guard let address = ListenAddress(host) else { throw GuardError.socket(ListenAddress.problem(host)) }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw GuardError.socket(String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        if case .v6 = address {
            // Only the IPv6 address asked for, not its IPv4 twins as well.
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &yes, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = address.bind(fd, port: port)
        guard bound == 0, listen(fd, 128) == 0 else {
            let reason = errno
            close(fd)
            throw reason == EADDRINUSE ? GuardError.inUse : GuardError.socket(String(cString: strerror(reason)))
        }
        listener = fd
    }

    enum GuardError: Error {
        case inUse
        case socket(String)
    }

    /// The address the listener is bound to, as the kernel reports it.
    var boundAddress: ListenAddress? { ListenAddress.bound(listener)?.address }

    /// The port the listener is bound to.
    var port: UInt16 { ListenAddress.bound(listener)?.port ?? 0 }

    /// Accepts connections on a thread of its own until ``stop()``.
    func start() {
        lock.withLock { started = true }
        let thread = Thread { [self] in
            // The listener is closed here, by the only thread that uses it, so that its number
            // cannot be reused by another socket while `accept` may still be called on it.
            defer { close(listener) }
            while true {
                let client = accept(listener, nil, nil)
                if lock.withLock({ stopped }) {
                    if client >= 0 { close(client) }
                    return
                }
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE {
                        usleep(10_000)
                        continue
                    }
                    return
                }
                let admitted = lock.withLock { () -> Bool in
                    guard open < limits.connections else { return false }
                    open += 1
                    return true
                }
                guard admitted else {
                    RequestGuard.send(client, status: 503, reason: "Service Unavailable", "Too many connections\n")
                    close(client)
                    continue
                }
                let connection = Thread { [self] in
                    serve(client)
                    close(client)
                    lock.withLock { open -= 1 }
                }
                connection.stackSize = 256 * 1024
                connection.start()
            }
        }
        thread.start()
    }

    func stop() {
        let running = lock.withLock {
            stopped = true
            return started
        }
        shutdown(listener, Int32(SHUT_RDWR))
        if !running { close(listener) }
    }

    /// Connections open now (for tests and the load test).
    var openConnections: Int { lock.withLock { open } }

    // MARK: One connection

    /// Reads heads one after another and passes the good ones on; responses come back on a
    /// second thread that copies FlyingFox's bytes to the client.
    private func serve(_ client: Int32) {
        var buffer: [UInt8] = []
        var upstreamFD: Int32 = -1
        var pump: Thread?
        let pumpDone = DispatchSemaphore(value: 0)
        // Set while a refusal waits for earlier answers: the client stays open for it.
        let refusing = OnceFlag()
        defer {
            if upstreamFD >= 0 {
                shutdown(upstreamFD, Int32(SHUT_WR))
                if pumpDone.wait(timeout: .now() + 0.5) == .timedOut {
                    shutdown(upstreamFD, Int32(SHUT_RDWR))
                    pumpDone.wait()
                }
                close(upstreamFD)
            }
        }
        /// Refuses the current request: earlier responses are let through first.
        func refuse(_ status: Int, _ reason: String, _ text: String, extra: String = "") {
            if upstreamFD >= 0 {
                // FlyingFox keeps a half-closed connection open: give the answers already asked
                // for a moment to arrive, then end the connection.
                refusing.set()
                shutdown(upstreamFD, Int32(SHUT_WR))
                if pumpDone.wait(timeout: .now() + 0.5) == .timedOut {
                    shutdown(upstreamFD, Int32(SHUT_RDWR))
                    pumpDone.wait()
                }
                close(upstreamFD)
                upstreamFD = -1
            }
            RequestGuard.send(client, status: status, reason: reason, text, extra: extra)
        }
        while true {
            // Read until the end of the head, within the limits.
            var headEnd: Int?
            var firstByte: Date?
            while headEnd == nil {
                let end = RequestGuard.find([13, 10, 13, 10], in: buffer).map { $0 + 4 }
                let lineEnd = buffer.firstIndex(of: 10)
                if (lineEnd ?? buffer.count) > limits.requestLine {
                    return refuse(414, "URI Too Long", "The request line is longer than \(limits.requestLine) bytes\n")
                }
                if (end ?? buffer.count) > limits.head {
                    return refuse(
                        431, "Request Header Fields Too Large", "The request head is longer than \(limits.head) bytes\n")
                }
                if let end {
                    headEnd = end
                    break
                }
                let wait: Double
                if let firstByte {
                    wait = limits.headDeadline - Date().timeIntervalSince(firstByte)
                    if wait <= 0 { return refuse(408, "Request Timeout", "The request head took too long\n") }
                } else {
                    wait = limits.idle
                }
                var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, Int32(min(wait, 3600) * 1000))
                if ready == 0 {
                    if firstByte == nil { return }
                    return refuse(408, "Request Timeout", "The request head took too long\n")
                }
                if ready < 0 {
                    if errno == EINTR { continue }
                    return
                }
                var chunk = [UInt8](repeating: 0, count: 16 * 1024)
                let n = recv(client, &chunk, chunk.count, 0)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                if firstByte == nil { firstByte = Date() }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let end = headEnd!
            let head = Array(buffer[0..<end])
            buffer.removeFirst(end)
            switch RequestGuard.judge(head) {
            case .refuse(let status, let reason, let text, let extra):
                return refuse(status, reason, text, extra: extra)
            case .pass:
                break
            }
            if upstreamFD < 0 {
                upstreamFD = RequestGuard.connect(unix: upstream)
                guard upstreamFD >= 0 else {
                    return refuse(502, "Bad Gateway", "The server is not ready\n")
                }
                let source = upstreamFD
                pump = Thread {
                    RequestGuard.copy(from: source, to: client)
                    // FlyingFox closed the connection (`Connection: close`): so does the client's.
                    if !refusing.isSet { shutdown(client, Int32(SHUT_RDWR)) }
                    pumpDone.signal()
                }
                pump?.stackSize = 256 * 1024
                pump?.start()
            }
            guard RequestGuard.writeAll(upstreamFD, head) else {
                return refuse(502, "Bad Gateway", "The server dropped the connection\n")
            }
        }
    }

    enum Verdict {
        case pass
        case refuse(Int, String, String, String)
    }

    static let knownMethods: Set<String> = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"]

    /// Whether a complete request head may go on to FlyingFox.
    static func judge(_ head: [UInt8]) -> Verdict {
        guard let lineEnd = head.firstIndex(of: 10) else {
            return .refuse(400, "Bad Request", "Malformed request\n", "")
        }
        let line = String(decoding: head[0..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."),
            !line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return .refuse(400, "Bad Request", "Malformed request line\n", "") }
        let method = String(parts[0])
        if method != "GET" && method != "HEAD" {
            if knownMethods.contains(method) {
                return .refuse(405, "Method Not Allowed", "Only GET and HEAD\n", "Allow: GET, HEAD\r\n")
            }
            return .refuse(501, "Not Implemented", "Unknown method\n", "")
        }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        for header in text.split(separator: "\r\n").dropFirst() {
            if header.hasPrefix("transfer-encoding:") {
                return .refuse(413, "Content Too Large", "Requests with a body are not served\n", "")
            }
            if header.hasPrefix("content-length:"),
                header.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces) != "0"
            {
                return .refuse(413, "Content Too Large", "Requests with a body are not served\n", "")
            }
        }
        return .pass
    }

    // MARK: Sockets

    static func send(_ fd: Int32, status: Int, reason: String, _ text: String, extra: String = "") {
        let body = Array(text.utf8)
        let head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.count)\r\n"
            + extra + "Connection: close\r\n\r\n"
        _ = writeAll(fd, Array(head.utf8) + body)
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func copy(from source: Int32, to destination: Int32) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = recv(source, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            if !writeAll(destination, Array(chunk[0..<n])) { return }
        }
    }

    static func connect(unix path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            return -1
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}
