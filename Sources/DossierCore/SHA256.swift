import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4), for the checksums of the data-and-sources page and the fingerprints
/// of assets. Foundation on Linux has no hash functions, and this avoids a dependency for one
/// well-known function; `SHA256Tests` checks it against the standard's test vectors.
package enum SHA256 {
    /// Whether blocks go through the CPU's SHA instructions (CSHA256), about ten times the loop
    /// below, which stays the reference: tests turn this off to compare the two.
    package nonisolated(unsafe) static var accelerated = hasInstructions

    /// Whether this CPU has the SHA instructions (and SSSE3 and SSE4.1).
    package static let hasInstructions = dossier_sha256_accelerated() != 0

    /// The digest as 64 lower-case hex digits.
    package static func hex(_ data: Data) -> String {
        hexText(digest(data))
    }

    private static func hexText(_ digest: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    package static func digest(_ data: Data) -> [UInt8] {
        data.withUnsafeBytes { digest($0) }
    }

    /// The digest of bytes in memory, read where they are.
    package static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var h = initial
        // Whole blocks straight from the data (a dataset of 150 MB is not copied); the last
        // bytes, the 0x80 and the length go through one or two padded blocks.
        let whole = bytes.count / 64 * 64
        if whole > 0 { compress(&h, bytes.baseAddress!, blocks: whole / 64) }
        return finish(&h, rest: UnsafeRawBufferPointer(rebasing: bytes[whole...]), length: bytes.count)
    }

    /// The digest of the file at `path` as 64 hex digits, read a megabyte at a time; nil when
    /// it cannot be read.
    package static func hex(fileAt path: String) -> String? {
        var h = initial
        var length = 0
        var digest: [UInt8] = []
        do throws(ChunkedFile.ChunkError<Never>) {
            try ChunkedFile.forEachChunk(path: path, chunk: 1 << 20, boundary: { $0.count / 64 * 64 }) { bytes, isLast, _ in
                let raw = UnsafeRawBufferPointer(bytes)
                let whole = raw.count / 64 * 64
                if whole > 0 { compress(&h, raw.baseAddress!, blocks: whole / 64) }
                length += raw.count
                if isLast { digest = finish(&h, rest: UnsafeRawBufferPointer(rebasing: raw[whole...]), length: length) }
            }
        } catch {
            return nil
        }
        return hexText(digest)
    }

    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    private static let initial: State = (
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    )

    /// The last bytes (fewer than a block), the 0x80 and the length, then the digest.
    private static func finish(_ h: inout State, rest: UnsafeRawBufferPointer, length: Int) -> [UInt8] {
        var tail = [UInt8](repeating: 0, count: 128)
        if rest.count > 0 { tail.withUnsafeMutableBytes { $0.copyMemory(from: rest) } }
        tail[rest.count] = 0x80
        let blocks = rest.count < 56 ? 1 : 2
        let bitLength = UInt64(length) &* 8
        for i in 0..<8 { tail[blocks * 64 - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i))) }
        tail.withUnsafeBytes { compress(&h, $0.baseAddress!, blocks: blocks) }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for v in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7] {
            out.append(UInt8(v >> 24))
            out.append(UInt8(truncatingIfNeeded: v >> 16))
            out.append(UInt8(truncatingIfNeeded: v >> 8))
            out.append(UInt8(truncatingIfNeeded: v))
        }
        return out
    }

    /// Runs the compression function over `blocks` blocks of 64 bytes at `start`.
    private static func compress(
        _ h: inout State, _ start: UnsafeRawPointer,
        blocks: Int
    ) {
        if accelerated {
            withUnsafeMutableBytes(of: &h) { state in
                dossier_sha256_compress(
                    state.baseAddress!.assumingMemoryBound(to: UInt32.self), start.assumingMemoryBound(to: UInt8.self), blocks)
            }
            return
        }
        do {
            // The round constants, from the table the SHA instructions read too.
            let k = UnsafeBufferPointer(start: dossier_sha256_round_constants(), count: 64)
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for block in 0..<blocks {
                    let p = start + block * 64
                    for i in 0..<16 { w[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
                    for i in 16..<64 {
                        let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                        let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                    }
                    var (a, b, c, d, e, f, g, hh) = h
                    for i in 0..<64 {
                        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
                        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ maj
                        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                    }
                    h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
                }
            }
        }
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }
}
