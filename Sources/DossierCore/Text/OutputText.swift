/// What every generated text file (page, feed, sitemap, chart CSV) may not contain: control
/// characters other than tab, line feed and carriage return (NUL, U+007F, U+0080-U+009F), and
/// Unicode noncharacters (U+FDD0-U+FDEF and U+xFFFE, U+xFFFF). HTML calls them parse errors
/// and XML refuses them, so a title holding U+FFFF would make `feed.xml` malformed. They are
/// removed from the output, the same way in every file.
package enum OutputText {
    /// `text` without the characters above; text without them is returned as it is.
    package static func clean(_ text: String) -> String {
        var text = text
        let dirty = text.withUTF8 { bytes -> Bool in
            for i in bytes.indices {
                let b = bytes[i]
                if b < 0x20 {
                    if b != 0x09 && b != 0x0A && b != 0x0D { return true }
                } else if b == 0x7F || b == 0xC2 || b == 0xEF || b >= 0xF0 {
                    // Only these lead bytes can start a character that is removed.
                    return true
                }
            }
            return false
        }
        guard dirty else { return text }
        var scalars = String.UnicodeScalarView()
        var changed = false
        for scalar in text.unicodeScalars {
            if isRemoved(scalar) {
                changed = true
            } else {
                scalars.append(scalar)
            }
        }
        return changed ? String(scalars) : text
    }

    package static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        if v >= 0x7F && v <= 0x9F { return true }
        if v >= 0xFDD0 && v <= 0xFDEF { return true }
        return v & 0xFFFE == 0xFFFE
    }
}
