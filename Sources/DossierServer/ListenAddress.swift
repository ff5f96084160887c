import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one address `dossier serve --host` may listen on: an IPv4 address, an IPv6 address
/// (bare or in brackets) or `localhost`. Anything else, a port written into the host
/// (`127.0.0.1:8080`) or a name among them, is refused before a socket is made: an address that
/// does not read must never fall back to every interface.
public enum ListenAddress: Equatable, Sendable, CustomStringConvertible {
    case v4(in_addr_t)
    case v6([UInt8])

    /// The address `text` names, or nil with nothing bound.
    public init?(_ text: String) {
        var host = text
        if host == "localhost" { host = "127.0.0.1" }
        if host.hasPrefix("["), host.hasSuffix("]"), host.count > 2 { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("%") else { return nil }
        if host.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, host, &address) == 1 else { return nil }
            self = .v6(withUnsafeBytes(of: &address) { Array($0) })
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, host, &address) == 1 else { return nil }
            self = .v4(address.s_addr)
        }
    }

    /// Why `text` is refused, with what to write instead.
    public static func problem(_ text: String) -> String {
        var why = "'\(text)' is not an IP address to listen on"
        if let colon = text.lastIndex(of: ":"), !text.contains("::"), text.filter({ $0 == ":" }).count == 1,
            UInt16(text[text.index(after: colon)...]) != nil
        {
            why += "; give the port with --port, not in --host"
        }
        return why + " (write one IPv4 or IPv6 address, such as 127.0.0.1 or ::1, or localhost)"
    }

    var family: Int32 {
        switch self {
        case .v4: return AF_INET
        case .v6: return AF_INET6
        }
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch self {
        case .v4(let raw):
            var address = in_addr(s_addr: raw)
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .v6(let bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(cString: buffer)
    }

    /// Binds `fd` to this address and `port`; the result of `bind`.
    func bind(_ fd: Int32, port: UInt16) -> Int32 {
        switch self {
        case .v4(let raw):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: raw)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let bytes):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: bytes) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// The address and port a listening socket is bound to, as the kernel says.
    static func bound(_ fd: Int32) -> (address: ListenAddress, port: UInt16)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard ok == 0 else { return nil }
        if storage.ss_family == sa_family_t(AF_INET6) {
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    var address = pointer.pointee.sin6_addr
                    return (.v6(withUnsafeBytes(of: &address) { Array($0) }), UInt16(bigEndian: pointer.pointee.sin6_port))
                }
            }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { (.v4($0.pointee.sin_addr.s_addr), UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
}
