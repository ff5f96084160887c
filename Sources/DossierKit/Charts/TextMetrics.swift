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
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
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
            var line = lines[i]
            while line.count > 1 && width(line + "…", size: size) > maxWidth { line.removeLast() }
            lines[i] = line.trimmingCharacters(in: .whitespaces) + "…"
            shortened = true
        }
        return (lines, shortened)
    }
}
