import Foundation
import Yams

/// Turns titles and file names into URL path segments, and checks slugs written by hand.
package enum Slug {
    /// `Tenders and what became of them` → `tenders-and-what-became-of-them`.
    /// Letters of any script are kept (lower-cased); everything else becomes a single `-`.
    package static func make(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if Slug.isAlphanumeric(scalar) {
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
    package static func fromPath(_ relativeToContent: String) -> String {
        var parts = relativeToContent.split(separator: "/").map(String.init)
        if let last = parts.popLast() {
            parts.append((last as NSString).deletingPathExtension)
        }
        return parts.map(make).filter { !$0.isEmpty }.joined(separator: "/")
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
