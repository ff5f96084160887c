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
        for scalar in text.unicodeScalars {
            em += scalar.value < 0x80 ? asciiWidths[Int(scalar.value)] : width(of: scalar)
        }
    }

    /// The widths of the ASCII characters, read from ``width(of:)`` once.
    private static let asciiWidths: [Double] = (0..<0x80).map { width(of: Unicode.Scalar(UInt8($0))) }

    /// Adds the widths of the characters in `bytes[range]`, valid UTF-8, as ``add(_:to:)`` does.
    private static func add(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to em: inout Double) {
        var i = range.lowerBound
        while i < range.upperBound {
            let lead = bytes[i]
            if lead < 0x80 {
                em += asciiWidths[Int(lead)]
                i += 1
                continue
            }
            let count = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1
            var value = UInt32(lead & (lead >= 0xF0 ? 0x07 : lead >= 0xE0 ? 0x0F : 0x1F))
            for k in 1...count { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
            em += Unicode.Scalar(value).map(width(of:)) ?? 0.58
            i += count + 1
        }
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
        measuredLines(text, width: maxWidth, size: size).map(\.text)
    }

    /// ``wrap(_:width:size:)`` with each line's width in ems, summed left to right as
    /// ``width(_:size:)`` sums it. Words are found and measured in the UTF-8 bytes, and a
    /// line is made a string once, when it is complete.
    private static func measuredLines(_ text: String, width maxWidth: Double, size: Double) -> [(text: String, em: Double)] {
        var lines: [(text: String, em: Double)] = []
        var text = text
        text.withUTF8 { bytes in
            var current: [UInt8] = []
            var currentEm = 0.0
            let space = asciiWidths[0x20]
            var i = 0
            while i < bytes.count {
                // Words are the runs between spaces; a line joins them with one space.
                if bytes[i] == 0x20 {
                    i += 1
                    continue
                }
                let start = i
                while i < bytes.count && bytes[i] != 0x20 { i += 1 }
                // The candidate line's width, carried on from the current line's.
                var em = currentEm
                if !current.isEmpty { em += space }
                add(bytes, start..<i, to: &em)
                if current.isEmpty || em * size <= maxWidth {
                    if !current.isEmpty { current.append(0x20) }
                    current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                    currentEm = em
                } else {
                    lines.append((String(decoding: current, as: UTF8.self), currentEm))
                    current.removeAll(keepingCapacity: true)
                    current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                    currentEm = 0
                    add(bytes, start..<i, to: &currentEm)
                }
            }
            if !current.isEmpty || lines.isEmpty { lines.append((String(decoding: current, as: UTF8.self), currentEm)) }
        }
        return lines
    }

    /// Wraps to at most `maxLines` lines, shortening the last with "…". `shortened` tells
    /// whether anything was cut, so the caller can give the full text in a `<title>`.
    static func fit(_ text: String, lines maxLines: Int, width maxWidth: Double, size: Double) -> (
        lines: [String], shortened: Bool
    ) {
        let measured = measuredLines(text, width: maxWidth, size: size)
        var lines = measured.map(\.text)
        var ems = measured.map(\.em)
        var shortened = false
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            ems = Array(ems.prefix(maxLines))
            lines[maxLines - 1] += " …"
            add(" …", to: &ems[maxLines - 1])
            shortened = true
        }
        for i in lines.indices where ems[i] * size > maxWidth {
            // Drop characters from the end until the line and "…" fit: the width of each
            // shorter line is a sum carried on from its start, as measuring it again would be.
            let characters = Array(lines[i])
            var prefixEms = [0.0]
            prefixEms.reserveCapacity(characters.count + 1)
            for character in characters {
                var em = prefixEms[prefixEms.count - 1]
                add(String(character), to: &em)
                prefixEms.append(em)
            }
            var kept = characters.count
            while kept > 1 && (prefixEms[kept] + width(of: "…")) * size > maxWidth { kept -= 1 }
            lines[i] = String(characters[..<kept]).trimmingCharacters(in: .whitespaces) + "…"
            shortened = true
        }
        return (lines, shortened)
    }
}
