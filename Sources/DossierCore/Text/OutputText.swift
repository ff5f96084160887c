/// What every generated text file (page, feed, sitemap, chart CSV) may not contain: control
/// characters other than tab, line feed and carriage return (NUL, U+007F, U+0080-U+009F), and
/// Unicode noncharacters (U+FDD0-U+FDEF and U+xFFFE, U+xFFFF). HTML calls them parse errors
/// and XML refuses them, so a title holding U+FFFF would make `feed.xml` malformed. They are
/// removed from the output, the same way in every file.
package enum OutputText {
    /// `text` without the characters above; text without them is returned as it is.
    package static func clean(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            removing(bytes).map { String(decoding: $0, as: UTF8.self) }
        } ?? text
    }

    /// ``clean(_:)`` over UTF-8 bytes (a page as it goes to the disk).
    package static func clean(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { removing($0) } ?? bytes
    }

    /// The bytes without the removed characters, or nil when there is none to remove.
    private static func removing(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        // The bytes of the first character to remove, if any: most pages have none, and
        // are returned untouched after one pass over their bytes.
        guard let first = firstRemoved(bytes) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var start = 0
        var i = first
        while i < bytes.count {
            if let length = removedLength(bytes, from: i) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                i += length
                start = i
            } else {
                i += 1
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        return out
    }

    /// Where the first removed character starts, if there is one.
    private static func firstRemoved(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        return startTable.withUnsafeBufferPointer { table -> Int? in
            var i = 0
            while i < n {
                if i + 8 <= n {
                    // Eight bytes at once when they are all printable ASCII (0x20-0x7E), as most
                    // of a page is. The test may answer "maybe" for a clean word, never "clean"
                    // for another.
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let below = (word &- 0x2020_2020_2020_2020) & ~word & high  // a byte under 0x20
                    let delete = word ^ 0x7F7F_7F7F_7F7F_7F7F
                    let deletes = (delete &- 0x0101_0101_0101_0101) & ~delete & high  // a byte 0x7F
                    if (word & high) | below | deletes == 0 {
                        i += 8
                        continue
                    }
                    // Then, without a branch per byte, whether any of them can start a removed
                    // character at all: line feeds and letters of other scripts (`₸`, `ж`) cannot.
                    var starts: UInt8 = 0
                    for k in 0..<8 { starts |= table[Int(truncatingIfNeeded: word >> (8 * UInt64(k))) & 0xFF] }
                    if starts == 0 {
                        i += 8
                        continue
                    }
                }
                for j in i..<min(i + 8, n) where table[Int(bytes[j])] != 0 {
                    if removedLength(bytes, from: j) != nil { return j }
                }
                i += 8
            }
            return nil
        }
    }

    /// 1 for each byte that can start a removed character: a control other than tab, line
    /// feed and carriage return, 0x7F, 0xC2 (U+0080-U+00BF), 0xEF (U+F000-U+FFFF) and 0xF0-0xFF
    /// (the other planes).
    static let startTable: [UInt8] = (0...255).map { b in
        (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F || b == 0xC2 || b == 0xEF || b >= 0xF0 ? 1 : 0
    }

    /// The length in bytes of the removed character at `i` (valid UTF-8), or nil if the
    /// character there stays.
    private static func removedLength(_ bytes: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        let b = bytes[i]
        if b < 0x20 { return b != 0x09 && b != 0x0A && b != 0x0D ? 1 : nil }
        if b == 0x7F { return 1 }
        let n = bytes.count
        // U+0080-U+009F: C2 80-9F.
        if b == 0xC2, i + 1 < n, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { return 2 }
        if b == 0xEF, i + 2 < n {
            // U+FDD0-U+FDEF: EF B7 90-AF. U+FFFE, U+FFFF: EF BF BE, EF BF BF.
            if bytes[i + 1] == 0xB7, bytes[i + 2] >= 0x90, bytes[i + 2] <= 0xAF { return 3 }
            if bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF { return 3 }
        }
        // U+xFFFE, U+xFFFF of the other planes: F0-F4, then x F/BF/BE-BF (the low bits 1111).
        if b >= 0xF0, i + 3 < n, bytes[i + 1] & 0x0F == 0x0F, bytes[i + 2] == 0xBF,
            bytes[i + 3] == 0xBE || bytes[i + 3] == 0xBF
        {
            return 4
        }
        return nil
    }

    package static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        if v >= 0x7F && v <= 0x9F { return true }
        if v >= 0xFDD0 && v <= 0xFDEF { return true }
        return v & 0xFFFE == 0xFFFE
    }
}
