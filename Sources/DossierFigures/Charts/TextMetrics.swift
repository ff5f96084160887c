import Foundation

/// Estimates how wide text is in the page's sans-serif font, and wraps or shortens it to fit.
///
/// Charts are drawn without a browser, so widths are estimated from character classes,
/// erring on the wide side so that labels never overlap.
enum TextMetrics {
    static func width(_ text: String, size: Double) -> Double {
        var em = 0.0
        add(text, to: &em)
        return em * size
    }

    /// Adds the widths of a text's characters, in ems, to a running sum. Widths are always
    /// summed left to right from zero, so a sum carried on from a shorter text equals the sum of
    /// the longer text, to the last bit.
    static func add<S: StringProtocol>(_ text: S, to em: inout Double) {
        for scalar in text.unicodeScalars { em += width(of: scalar) }
    }

    static func width(of scalar: Unicode.Scalar) -> Double {
        switch scalar {
        case "i", "l", "j", "'", "|", ".", ",", ":", ";", "!", "í", "ı": return 0.3
        case "f", "t", "r", "(", ")", "[", "]", "-", " ", "/": return 0.38
        case "m", "w", "M", "W", "@", "—", "ш", "щ", "ж", "м", "ю", "Ш", "Щ", "Ж", "М", "Ю": return 0.9
        case "A"..."Z", "А"..."Я", "Ё", "Қ", "Ә", "Ө", "Ұ", "Ү", "Һ", "І", "Ң", "Ғ": return 0.7
        case "0"..."9", "$", "₸", "€", "%": return 0.6
        default: return 0.58
        }
    }

    /// Splits text into lines no wider than `maxWidth`; a word longer than the width gets a
    /// line of its own (and is shortened by ``fit(_:lines:width:size:)`` if need be).
    static func wrap(_ text: String, width maxWidth: Double, size: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        var currentEm = 0.0
        // Split at space bytes: splitting the characters cost most of wrapping.
        for bytes in text.utf8.split(separator: 0x20, omittingEmptySubsequences: true) {
            let word = Substring(bytes)
            // The candidate line's width, carried on from the current line's.
            var em = currentEm
            if !current.isEmpty { em += width(of: " ") }
            add(word, to: &em)
            if current.isEmpty || em * size <= maxWidth {
                current = current.isEmpty ? String(word) : current + " " + word
                currentEm = em
            } else {
                lines.append(current)
                current = String(word)
                currentEm = 0
                add(word, to: &currentEm)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// Wraps to at most `maxLines` lines, shortening the last with "…". `shortened` tells
    /// whether anything was cut, so the caller can give the full text in a `<title>`.
    static func fit(_ text: String, lines maxLines: Int, width maxWidth: Double, size: Double) -> (
        lines: [String], shortened: Bool
    ) {
        var lines = wrap(text, width: maxWidth, size: size)
        var shortened = false
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] += " …"
            shortened = true
        }
        for i in lines.indices where width(lines[i], size: size) > maxWidth {
            // Drop characters from the end until the line and "…" fit: the width of each
            // shorter line is a sum carried on from its start, as measuring it again would be.
            let characters = Array(lines[i])
            var ems = [0.0]
            ems.reserveCapacity(characters.count + 1)
            for character in characters {
                var em = ems[ems.count - 1]
                add(String(character), to: &em)
                ems.append(em)
            }
            var kept = characters.count
            while kept > 1 && (ems[kept] + width(of: "…")) * size > maxWidth { kept -= 1 }
            lines[i] = String(characters[..<kept]).trimmingCharacters(in: .whitespaces) + "…"
            shortened = true
        }
        return (lines, shortened)
    }
}
