/// Escaping text for HTML and XML, as the template engine does for `{{name}}`.
package enum HTMLText {
    /// `<`, `>`, `&`, `"` and `'` as entities; text without them is returned as it is. For XML
    /// (inline SVG) `droppingControls` also drops the control characters XML does not allow
    /// (all below U+0020 but tab and newline).
    package static func escape(_ text: String, droppingControls: Bool = false) -> String {
        func isControl(_ byte: UInt8) -> Bool { droppingControls && byte < 0x20 && byte != 0x09 && byte != 0x0A }
        let clean = text.utf8.allSatisfy { byte in
            byte != 0x26 && byte != 0x3C && byte != 0x3E && byte != 0x22 && byte != 0x27 && !isControl(byte)
        }
        if clean { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        appendEscaped(text, to: &out, droppingControls: droppingControls)
        return String(decoding: out, as: UTF8.self)
    }

    /// What ``escape(_:droppingControls:)`` returns, appended as bytes onto `out`: runs
    /// without anything to escape are copied whole. Every byte replaced is ASCII, never part
    /// of a longer character.
    package static func appendEscaped(_ text: String, to out: inout [UInt8], droppingControls: Bool = false) {
        var text = text
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            let n = buffer.count
            var start = 0
            var i = 0
            while i < n {
                // Eight bytes at once when none of them can need escaping, as most text is.
                if i + 8 <= n, !mayNeedEscaping(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let end = min(i + 8, n)
                while i < end {
                    let byte = buffer[i]
                    let entity: StaticString
                    switch byte {
                    case 0x26: entity = "&amp;"
                    case 0x3C: entity = "&lt;"
                    case 0x3E: entity = "&gt;"
                    case 0x22: entity = "&quot;"
                    case 0x27: entity = "&#39;"
                    case _ where droppingControls && byte < 0x20 && byte != 0x09 && byte != 0x0A: entity = ""
                    default:
                        i += 1
                        continue
                    }
                    if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<i])) }
                    entity.withUTF8Buffer { out.append(contentsOf: $0) }
                    i += 1
                    start = i
                }
            }
            if start < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...])) }
        }
    }

    /// Whether any of the eight bytes of `word` may be one that ``appendEscaped(_:to:droppingControls:)``
    /// replaces or drops: `&`, `<`, `>`, `"`, `'` or a byte below 0x20. It may answer yes for
    /// eight clean bytes (then they are looked at one by one), never no for others.
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & high }
        let below = (word &- 0x2020_2020_2020_2020) & ~word & high
        return below | hasZero(word ^ (ones &* 0x26)) | hasZero(word ^ (ones &* 0x3C)) | hasZero(word ^ (ones &* 0x3E))
            | hasZero(word ^ (ones &* 0x22)) | hasZero(word ^ (ones &* 0x27)) != 0
    }
}
