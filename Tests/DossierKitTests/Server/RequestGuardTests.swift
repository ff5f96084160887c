import DossierKit
import Foundation
import Testing

@testable import DossierServer

#if canImport(Glibc)
    import Glibc
#endif

/// The dev server's request limits: refused heads are answered at once, and a slow or huge
/// request never holds up another client.
@Suite(.serialized) struct RequestGuardTests {
    func withServer(_ body: (DevServer, UInt16) async throws -> Void) async throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        let server = DevServer(project: Project(root: dir.url), host: "127.0.0.1", port: 0)
        let port = try await server.start()
        do {
            try await body(server, port)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func status(_ response: String) -> Int { Int(response.split(separator: " ").dropFirst().first ?? "0") ?? 0 }

    /// The heads are sent without their end: the answer comes as soon as the limit is
    /// passed, not when the head is complete (FlyingFox alone read on, byte by byte).
    @Test func longRequestLinesAndHeadsAreRefusedAtOnce() async throws {
        try await withServer { _, port in
            let longPath = "/" + String(repeating: "a", count: 50_000)
            let long = try await rawHTTP(port: port, "GET \(longPath)", readUntil: "\r\n\r\n")
            #expect(status(long) == 414)
            let bigHeader = "X-Big: " + String(repeating: "b", count: 200_000)
            let big = try await rawHTTP(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\(bigHeader)", readUntil: "\r\n\r\n")
            #expect(status(big) == 431)
        }
    }

    @Test func methodsOtherThanGetAndHeadAreRefused() async throws {
        try await withServer { _, port in
            let post = try await rawHTTP(port: port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            #expect(status(post) == 405)
            #expect(post.contains("Allow: GET, HEAD"))
            let brew = try await rawHTTP(port: port, "BREW / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(status(brew) == 501)
            let body = try await rawHTTP(port: port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            #expect(status(body) == 413)
        }
    }

    @Test func aQueryIsNoWayOut() async throws {
        try await withServer { _, port in
            for (target, expected) in [("/?q=a..b", 200), ("/tenders/?from=../../x", 200), ("/%2e%2e/x", 400)] {
                let response = try await get(port, target)
                #expect(response.status == expected, "\(target)")
            }
        }
    }

    @Test func keepAliveRequestsAreEachChecked() async throws {
        try await withServer { _, port in
            let response = try await rawHTTP(
                port: port,
                "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                readUntil: "414 URI Too Long")
            #expect(response.hasPrefix("HTTP/1.1 200"))
            #expect(response.contains("414 URI Too Long"))
        }
    }

    @Test func aSlowClientHoldsOnlyItsOwnConnection() async throws {
        try await withServer { server, port in
            // Clients that send part of a head and wait: each holds only its own connection.
            let slow = (0..<8).map { _ in Thread { _ = try? rawHTTPBlocking(port: port, "G", timeout: 3) } }
            slow.forEach { $0.start() }
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.openConnections >= 8)
            for _ in 0..<20 {
                let response = try await get(port, "/")
                #expect(response.status == 200)
            }
        }
    }

    @Test func anIncompleteHeadTimesOut() async throws {
        // The guard alone, with a short deadline, in front of nothing.
        let requestGuard = try RequestGuard(
            host: "127.0.0.1", port: 0, upstream: "/nonexistent.sock",
            limits: .init(requestLine: 8192, head: 32768, headDeadline: 0.5, idle: 5, connections: 4))
        requestGuard.start()
        defer { requestGuard.stop() }
        let response = try await rawHTTP(port: requestGuard.port, "GET / HTTP/1.1\r\nHost: x\r\n", timeout: 30)
        #expect(status(response) == 408)
        // A complete head, but nothing behind the guard: 502, not a hang.
        let nothing = try await rawHTTP(port: requestGuard.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(status(nothing) == 502)
    }
}

/// `--host` names one address or nothing is bound: a port written into it, a name or a broken
/// IPv6 address never falls back to listening on every interface.
@Suite struct ListenAddressTests {
    @Test(arguments: ["127.0.0.1:8080", "::zz", "0.0.0.0.0", "example.org", "", "127.1.2.3.4", "[::1", "fe80::1%eth0", " 127.0.0.1"])
    func aHostThatIsNotOneAddressIsRefused(host: String) throws {
        #expect(ListenAddress(host) == nil)
        #expect(throws: (any Error).self) { try RequestGuard(host: host, port: 0, upstream: "/nonexistent") }
    }

    @Test func theBoundAddressIsTheOneAskedFor() throws {
        for (host, expected) in [("127.0.0.1", "127.0.0.1"), ("localhost", "127.0.0.1"), ("127.0.0.2", "127.0.0.2")] {
            let guard_ = try RequestGuard(host: host, port: 0, upstream: "/nonexistent")
            #expect(guard_.boundAddress?.description == expected)
            #expect(guard_.port != 0)
            guard_.stop()
        }
        // IPv6 loopback, where the machine has it.
        if let guard_ = try? RequestGuard(host: "::1", port: 0, upstream: "/nonexistent") {
            #expect(guard_.boundAddress == ListenAddress("::1"))
            #expect(guard_.boundAddress?.description == "::1")
            guard_.stop()
        }
        #expect(ListenAddress("[::1]") == ListenAddress("::1"))
    }

    @Test func theCommandRefusesAPortInTheHost() throws {
        let result = try Fixtures.run(["serve", "--root", Fixtures.validSite.path, "--host", "127.0.0.1:8080", "--port", "0"], timeout: 60)
        #expect(result.status != 0)
        #expect(result.err.contains("'127.0.0.1:8080' is not an IP address to listen on; give the port with --port"), "\(result.err)")
        let zz = try Fixtures.run(["serve", "--root", Fixtures.validSite.path, "--host", "::zz", "--port", "0"], timeout: 60)
        #expect(zz.status != 0)
        #expect(zz.err.contains("'::zz' is not an IP address"), "\(zz.err)")
    }
}
