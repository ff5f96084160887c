import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Byte-level scans over UTF-8 text, for the hot loops of a large build: `memchr` finds a byte
/// many times faster than iterating a `String`'s views. Every byte searched for is ASCII, which
/// never occurs inside a multi-byte UTF-8 sequence, so offsets found are character boundaries.
package enum Bytes {
    /// The 64-bit FNV-1a hash of `bytes`, from `seed` (FNV's offset basis unless given).
    @inlinable
    package static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// How many times `byte` occurs in `bytes`, eight bytes at a time: finding where a chunk
    /// of a CSV file ends counts its quotes, a pass over every byte of the file. Each word is
    /// XORed with the byte repeated, and the high bit of every byte left zero is counted.
    package static func count(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var total = 0
        var i = 0
        while i + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            // A byte's high bit ends up set exactly when the byte is zero: no carry crosses bytes.
            total &+= (~(((word & low7) &+ low7) | word | low7)).nonzeroBitCount
            i += 8
        }
        while i < bytes.count {
            if base[i] == byte { total += 1 }
            i += 1
        }
        return total
    }

    /// Whether the string's UTF-8 is exactly these bytes, compared where the string keeps them.
    package static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == bytes.count else { return false }
        if let same = utf8.withContiguousStorageIfAvailable({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            return same
        }
        return utf8.elementsEqual(bytes)
    }

    /// Offsets of every `byte` in `text`, in order.
    package static func offsets(of byte: UInt8, in text: String) -> [Int] {
        var text = text
        return text.withUTF8 { offsets(of: byte, in: $0) }
    }

    package static func offsets(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>) -> [Int] {
        var found: [Int] = []
        guard let base = buffer.baseAddress else { return found }
        var at = 0
        while at < buffer.count, let hit = memchr(base + at, Int32(byte), buffer.count - at) {
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            found.append(offset)
            at = offset + 1
        }
        return found
    }

    /// The offset of the first `needle` in `buffer` at or after `from`.
    package static func find(_ needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard let first = needle.first, let base = buffer.baseAddress else { return nil }
        var at = from
        while at + needle.count <= buffer.count, let hit = memchr(base + at, Int32(first), buffer.count - at) {
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            guard offset + needle.count <= buffer.count else { return nil }
            var equal = true
            for k in 1..<needle.count where buffer[offset + k] != needle[k] {
                equal = false
                break
            }
            if equal { return offset }
            at = offset + 1
        }
        return nil
    }

    /// The decimal digits of an integer, with `-` when it is negative, appended to `out`.
    /// Concrete rather than generic: a generic one called from another module is not
    /// specialized, and every digit went through protocol witnesses (a tenth of a chart-heavy
    /// build).
    package static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        appendDecimal(UInt64(value.magnitude), to: &out)
    }

    package static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        // Digits are produced last first into a fixed buffer, then appended in order.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        var magnitude = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[24 - count] = 0x30 + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Whether `text` contains `needle`.
    package static func contains(_ needle: String, in text: String) -> Bool {
        var text = text
        let pattern = Array(needle.utf8)
        return text.withUTF8 { find(pattern, in: $0) != nil }
    }
}
