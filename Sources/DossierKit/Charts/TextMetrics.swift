import Foundation

/// Estimates how wide text is in the page's sans-serif font, and wraps or shortens it to fit.
///
/// Charts are drawn without a browser, so widths are estimated from character classes,
/// erring on the wide side so that labels never overlap.
enum TextMetrics {
    static func width(_ text: String, size: Double) -> Double {
        var em = 0.0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "i", "l", "j", "'", "|", ".", ",", ":", ";", "!", "í", "ı": em += 0.3
            case "f", "t", "r", "(", ")", "[", "]", "-", " ", "/": em += 0.38
            case "m", "w", "M", "W", "@", "—", "ш", "щ", "ж", "м", "ю", "Ш", "Щ", "Ж", "М", "Ю": em += 0.9
            case "A"..."Z", "А"..."Я", "Ё", "Қ", "Ә", "Ө", "Ұ", "Ү", "Һ", "І", "Ң", "Ғ": em += 0.7
            case "0"..."9", "$", "₸", "€", "%": em += 0.6
            default: em += 0.58
            }
        }
        return em * size
    }

    /// Splits text into lines no wider than `maxWidth`; a word longer than the width gets a
    /// line of its own (and is shortened by ``fit(_:lines:width:size:)`` if need be).
    static func wrap(_ text: String, width maxWidth: Double, size: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if current.isEmpty || width(candidate, size: size) <= maxWidth {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
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
