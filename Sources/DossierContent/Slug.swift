import Foundation
import Yams

/// Turns titles and file names into URL path segments, and checks slugs written by hand.
package enum Slug {
    /// `Tenders and what became of them` → `tenders-and-what-became-of-them`.
    /// Letters are lower-cased; everything else becomes a single `-`. With `.transliterate` (the
    /// default), Cyrillic letters are written in Latin ones (``transliteration``) and accents are
    /// taken off Latin letters (`Qazaqstan Ýnı` → `qazaqstan-yni`); letters of other scripts, and
    /// all letters with `.unicode`, are kept as they are.
    package static func make(_ text: String, scheme: SlugScheme = .transliterate) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if Slug.isAlphanumeric(scalar) {
                if scheme == .transliterate, scalar.value >= 0x80 {
                    if let latin = transliteration[scalar] {
                        if latin.isEmpty { continue }
                        if pendingDash && !out.isEmpty { out += "-" }
                        pendingDash = false
                        out += latin
                        continue
                    }
                    // A Latin letter with accents: its base letter.
                    if scalar.value < 0x250, scalar.properties.generalCategory == .lowercaseLetter,
                        let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first, base.isASCII
                    {
                        if pendingDash && !out.isEmpty { out += "-" }
                        pendingDash = false
                        out.unicodeScalars.append(base)
                        continue
                    }
                    // A combining accent left by a decomposed letter.
                    if scalar.properties.generalCategory == .nonspacingMark, out.last?.isASCII == true { continue }
                }
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else if scalar == "_" {
                out += "_"
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// Cyrillic letters in Latin ones, for slugs: Russian letters as ICAO Doc 9303 writes them
    /// (Russian passports since 2013: `ж` zh, `х` kh, `ц` ts, `щ` shch, `ю` iu, `я` ia, `ъ` ie,
    /// `ь` left out), Kazakh letters as the Kazakh Latin alphabet of 2021 without its accents
    /// (`ә` a, `ғ` g, `қ` q, `ң` n, `ө` o, `ұ` u, `ү` u, `һ` h, `і` i), and the Ukrainian and
    /// Belarusian `є ї ґ ў`. Lower case only: slugs are lower-cased first.
    package static let transliteration: [Unicode.Scalar: String] = {
        let pairs: [(Character, String)] = [
            ("а", "a"), ("б", "b"), ("в", "v"), ("г", "g"), ("д", "d"), ("е", "e"), ("ё", "e"), ("ж", "zh"),
            ("з", "z"), ("и", "i"), ("й", "i"), ("к", "k"), ("л", "l"), ("м", "m"), ("н", "n"), ("о", "o"),
            ("п", "p"), ("р", "r"), ("с", "s"), ("т", "t"), ("у", "u"), ("ф", "f"), ("х", "kh"), ("ц", "ts"),
            ("ч", "ch"), ("ш", "sh"), ("щ", "shch"), ("ъ", "ie"), ("ы", "y"), ("ь", ""), ("э", "e"), ("ю", "iu"),
            ("я", "ia"),
            ("ә", "a"), ("ғ", "g"), ("қ", "q"), ("ң", "n"), ("ө", "o"), ("ұ", "u"), ("ү", "u"), ("һ", "h"),
            ("і", "i"),
            ("є", "ie"), ("ї", "i"), ("ґ", "g"), ("ў", "u"),
        ]
        var table: [Unicode.Scalar: String] = [:]
        for (letter, latin) in pairs { table[letter.unicodeScalars.first!] = latin }
        return table
    }()

    /// Letters, marks and digits of any script (what Foundation's `CharacterSet.alphanumerics`
    /// holds), from the standard library's Unicode tables: slugs are made on every core at once,
    /// and a `CharacterSet` shared between threads is not safe on Linux.
    package static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let v = scalar.value | 0x20
            return (v >= 0x61 && v <= 0x7A) || (scalar.value >= 0x30 && scalar.value <= 0x39)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
            .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The slug of an article file with no `slug:` key: its path under `Content/` without `.md`,
    /// each folder made a slug of its own.
    package static func fromPath(_ relativeToContent: String, scheme: SlugScheme = .transliterate) -> String {
        var parts = relativeToContent.split(separator: "/").map(String.init)
        if let last = parts.popLast() {
            parts.append((last as NSString).deletingPathExtension)
        }
        return parts.map { make($0, scheme: scheme) }.filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// Each part of `slug` cut to at most `max` bytes, after a whole word (at a `-`) where one
    /// ends late enough, else after a whole character: `a-very-long-name` → `a-very`.
    static func shorten(_ slug: String, to max: Int) -> String {
        slug.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            guard part.utf8.count > max else { return String(part) }
            var cut = ""
            for character in part {
                if cut.utf8.count + character.utf8.count > max { break }
                cut.append(character)
            }
            // Back to the end of the last whole word, unless the cut fell at one.
            let wholeWord = part.dropFirst(cut.count).first == "-"
            if !wholeWord, let dash = cut.lastIndex(of: "-"),
                cut.distance(from: cut.startIndex, to: dash) >= cut.count / 2
            {
                cut = String(cut[..<dash])
            }
            while cut.hasSuffix("-") { cut.removeLast() }
            return cut
        }.joined(separator: "/")
    }

    /// Folders the build writes itself, which an article may not take.
    static let reserved: Set = [
        "assets", "index.html", "404.html", "tags", "authors", "data", "feed.xml", "sitemap.xml", "robots.txt",
    ]

    /// Checks a hand-written slug: relative, no `.` or `..` segments, no odd characters.
    static func validate(_ slug: String, node: Node) throws(LocalError) -> String {
        if slug.hasPrefix("/") || slug.hasPrefix("~") {
            throw node.error("slug '\(slug)' is an absolute path", hint: "write a relative slug such as 'the-budget'")
        }
        let segments = slug.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." || $0 == "." }) {
            throw node.error(
                "slug '\(slug)' would write outside Public/", hint: "a slug may not contain '.' or '..' segments")
        }
        if slug.isEmpty || segments.contains(where: \.isEmpty) {
            throw node.error("slug '\(slug)' has an empty segment")
        }
        for segment in segments
        where !segment.unicodeScalars.allSatisfy({ Slug.isAlphanumeric($0) || "-_.".unicodeScalars.contains($0) }) {
            throw node.error(
                "slug '\(slug)' has characters that do not belong in a URL",
                hint: "use letters, digits, '-', '_' and '/' only")
        }
        if let first = segments.first, reserved.contains(String(first)) {
            throw node.error("slug '\(slug)' is reserved for files the build writes")
        }
        return slug
    }
}
