import Foundation

/// Numbers typed into prose that are neither computed (`{{= … }}`) nor checked claims
/// (`{{claim … }}`): what `dossier check --figures` lists so that no figure is published
/// unnoticed. Years (`2017`, `2018-2022`), days of a month (`3 June`), list numbers and numbers
/// inside code, links and words (`G20`) are not figures.
public enum TypedNumbers {
    public struct Found: Sendable, Equatable {
        public var location: SourceLocation
        public var text: String
    }

    /// Every article of the project (drafts too when asked), in file order.
    public static func find(in project: Project, includeDrafts: Bool) -> [Found] {
        guard let content = ContentLoader.load(project, includeDrafts: includeDrafts).0 else { return [] }
        return content.articles.flatMap { article in
            scan(article.body).map {
                Found(
                    location: SourceLocation(
                        path: article.sourcePath, line: article.bodyLine + $0.line - 1, column: $0.column),
                    text: $0.text)
            }
        }
    }

    /// The typed numbers of one article as problems, at their place in the file.
    package static func problems(_ article: Article, severity: Diagnostic.Severity) -> [Diagnostic] {
        scan(article.body).map { found in
            var diagnostic = Diagnostic(
                SourceLocation(path: article.sourcePath, line: article.bodyLine + found.line - 1, column: found.column),
                "typed number \(found.text) is neither computed nor a checked claim",
                hint: "compute it with {{= … }} or check it with {{claim \(found.text) ≈ … }}", code: .typedNumber)
            diagnostic.severity = severity
            return diagnostic
        }
    }

    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    /// The typed numbers of a Markdown body: line and column (in characters) counted from 1.
    package static func scan(_ body: String) -> [(line: Int, column: Int, text: String)] {
        var found: [(Int, Int, String)] = []
        var fence: String?
        for (l, line) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
                continue
            }
            // A link reference definition is a URL, not prose.
            if trimmed.hasPrefix("["), trimmed.contains("]:"), !trimmed.hasPrefix("[^") { continue }
            let chars = Array(line)
            var skip = [Bool](repeating: false, count: chars.count)
            mask(&skip, chars)
            // An ordered list item's number.
            var i = 0
            while i < chars.count, chars[i] == " " || chars[i] == ">" { i += 1 }
            var j = i
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            if j > i, j < chars.count, chars[j] == "." || chars[j] == ")" { for k in i..<j { skip[k] = true } }

            i = 0
            while i < chars.count {
                guard !skip[i], chars[i].isASCII, chars[i].isNumber else {
                    i += 1
                    continue
                }
                var end = i
                while end < chars.count,
                    (chars[end].isASCII && chars[end].isNumber)
                        || ((chars[end] == "," || chars[end] == ".") && end + 1 < chars.count
                            && chars[end + 1].isASCII && chars[end + 1].isNumber)
                {
                    end += 1
                }
                let text = String(chars[i..<end])
                let before = i > 0 ? chars[i - 1] : " "
                let after = end < chars.count ? chars[end] : " "
                defer { i = end }
                // Part of a word or a name: G20, 3D, COVID-19, No.5.
                if before.isLetter || after.isLetter || before == "_" || after == "_" { continue }
                if isYear(text) { continue }
                // Days of a month: `3 June`, `June 3`.
                if let day = Int(text), (1...31).contains(day),
                    months.contains(word(after: end, in: chars)) || months.contains(word(before: i, in: chars))
                {
                    continue
                }
                found.append((l + 1, i + 1, text))
            }
        }
        return found
    }

    static func isYear(_ text: String) -> Bool {
        text.count == 4 && Int(text).map { (1800...2100).contains($0) } == true
    }

    private static func word(after index: Int, in chars: [Character]) -> String {
        var i = index
        while i < chars.count, chars[i] == " " || chars[i] == "\u{00A0}" { i += 1 }
        var out = ""
        while i < chars.count, chars[i].isLetter {
            out.append(chars[i])
            i += 1
        }
        return out.lowercased()
    }

    private static func word(before index: Int, in chars: [Character]) -> String {
        var i = index - 1
        while i >= 0, chars[i] == " " || chars[i] == "\u{00A0}" { i -= 1 }
        var out = ""
        while i >= 0, chars[i].isLetter {
            out.insert(chars[i], at: out.startIndex)
            i -= 1
        }
        return out.lowercased()
    }

    /// Marks what is not prose: figures and claims, inline code, link destinations, footnote
    /// labels, URLs and HTML tags.
    private static func mask(_ skip: inout [Bool], _ chars: [Character]) {
        func mark(_ from: Int, _ to: Int) { for k in from..<min(to, chars.count) { skip[k] = true } }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next = i + 1 < chars.count ? chars[i + 1] : " "
            if c == "{" && next == "{", let close = find("}}", in: chars, from: i + 2) {
                mark(i, close + 2)
                i = close + 2
            } else if c == "`" {
                var n = 0
                while i + n < chars.count, chars[i + n] == "`" { n += 1 }
                let ticks = String(repeating: "`", count: n)
                let close = find(ticks, in: chars, from: i + n) ?? (chars.count - n)
                mark(i, close + n)
                i = close + n
            } else if c == "]" && next == "(", let close = chars[(i + 2)...].firstIndex(of: ")") {
                mark(i, close + 1)
                i = close + 1
            } else if c == "[" && next == "^", let close = chars[(i + 2)...].firstIndex(of: "]") {
                mark(i, close + 1)
                i = close + 1
            } else if c == "<", let close = chars[(i + 1)...].firstIndex(of: ">"),
                !chars[(i + 1)..<close].contains(" ") || next.isLetter || next == "/"
            {
                mark(i, close + 1)
                i = close + 1
            } else if c == "h", String(chars[i..<min(chars.count, i + 8)]).hasPrefix("http") {
                var end = i
                while end < chars.count, !chars[end].isWhitespace, chars[end] != ")" { end += 1 }
                let word = String(chars[i..<end])
                if word.hasPrefix("http://") || word.hasPrefix("https://") { mark(i, end) }
                i = end
            } else {
                i += 1
            }
        }
    }

    private static func find(_ needle: String, in chars: [Character], from: Int) -> Int? {
        let n = Array(needle)
        guard from <= chars.count - n.count else { return nil }
        for i in from...(chars.count - n.count) where Array(chars[i..<(i + n.count)]) == n { return i }
        return nil
    }
}
