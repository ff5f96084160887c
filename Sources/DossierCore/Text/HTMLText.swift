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
            var start = 0
            for i in 0..<buffer.count {
                let byte = buffer[i]
                let entity: StaticString
                switch byte {
                case 0x26: entity = "&amp;"
                case 0x3C: entity = "&lt;"
                case 0x3E: entity = "&gt;"
                case 0x22: entity = "&quot;"
                case 0x27: entity = "&#39;"
                case _ where droppingControls && byte < 0x20 && byte != 0x09 && byte != 0x0A: entity = ""
                default: continue
                }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<i])) }
                entity.withUTF8Buffer { out.append(contentsOf: $0) }
                start = i + 1
            }
            if start < buffer.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...])) }
        }
    }
}
