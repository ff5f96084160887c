/// Parses Mustache source into ``CompiledTemplate/Node``s: tags found with the current
/// delimiters, standalone tags (alone on their line) taking their line with them, partials and
/// parents remembering the indentation they stood at.
struct TemplateParser {
    typealias Node = CompiledTemplate.Node

    private let s: [Unicode.Scalar]
    private var i = 0
    private var open: [Unicode.Scalar] = ["{", "{"]
    private var close: [Unicode.Scalar] = ["}", "}"]
    private var line = 1
    private var column = 1
    /// Whether a tag already stands on the current line (then none after it is standalone).
    private var tagOnLine = false
    /// Where the current line counts as blank up to: after a parent tag that had only blanks
    /// before it (a parent writes nothing, so the tags after it may still stand alone).
    private var blankUntil = -1

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    /// A frame of the tree being built: the open section, block or parent and its nodes.
    private struct Frame {
        enum Kind { case root, section(path: [String], transform: String?, inverted: Bool), block, parent(dynamic: Bool, indent: String) }
        var kind: Kind
        var name: String
        var nodes: [Node] = []
        var overrides: [String: [Node]] = [:]
        /// Where the content starts in the source, for a section's raw text.
        var contentStart: Int
        var line: Int
        var column: Int
        /// A parent opened with only blanks before it on its line: those blanks, which become
        /// its indentation when its closing tag ends the line.
        var openBlanks: String? = nil
        /// A block whose tag had only blanks before it on its line: those blanks, and whether
        /// they stayed in the text (the tag was not standalone).
        var blockIndent: String? = nil
        var blockIndentKept = false
        var blockStandalone = false
    }

    private func error(_ message: String, _ l: Int? = nil, _ c: Int? = nil) -> TemplateSyntaxError {
        TemplateSyntaxError(line: l ?? line, column: c ?? column, message: message)
    }

    private func matches(_ pattern: [Unicode.Scalar], at j: Int) -> Bool {
        guard j + pattern.count <= s.count else { return false }
        for k in 0..<pattern.count where s[j + k] != pattern[k] { return false }
        return true
    }

    private mutating func advance(to j: Int) {
        while i < j {
            if s[i] == "\n" {
                line += 1
                column = 1
                tagOnLine = false
                blankUntil = -1
            } else {
                column += 1
            }
            i += 1
        }
    }

    private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    mutating func parse() throws(TemplateSyntaxError) -> [Node] {
        var frames = [Frame(kind: .root, name: "", contentStart: 0, line: 1, column: 1)]
        var text = String.UnicodeScalarView()

        func flushText(_ frames: inout [Frame], _ text: inout String.UnicodeScalarView) {
            guard !text.isEmpty else { return }
            frames[frames.count - 1].nodes.append(.text(String(text)))
            text = String.UnicodeScalarView()
        }

        while i < s.count {
            guard matches(open, at: i) else {
                text.append(s[i])
                advance(to: i + 1)
                continue
            }
            let tagLine = line
            let tagColumn = column
            let tagStart = i
            var j = i + open.count
            // The tag's kind and content.
            var kind: Unicode.Scalar = " "
            if j < s.count, "#^/!=>$<&{".unicodeScalars.contains(s[j]) {
                kind = s[j]
                j += 1
            }
            var closer = close
            if kind == "{" { closer = ["}"] + close }
            if kind == "=" { closer = ["="] + close }
            var end = j
            while end < s.count, !matches(closer, at: end) { end += 1 }
            guard end < s.count else { throw error("tag is not closed with \(String(String.UnicodeScalarView(close)))", tagLine, tagColumn) }
            let content = String(String.UnicodeScalarView(s[j..<end])).trimmingCharacters(in: .whitespaces)
            let tagEnd = end + closer.count

            // Standalone: only blanks before it on its line and after it up to the line's end.
            var standalone = false
            var lineStart = tagStart
            var afterLine = tagEnd
            if "#^/!=>$<".unicodeScalars.contains(kind), !tagOnLine {
                var k = tagStart
                while k > 0, TemplateParser.isBlank(s[k - 1]) { k -= 1 }
                let before = k == 0 || s[k - 1] == "\n" || k == blankUntil
                var m = tagEnd
                while m < s.count, TemplateParser.isBlank(s[m]) { m += 1 }
                var after = false
                if m == s.count {
                    after = true
                } else if s[m] == "\n" {
                    after = true
                    m += 1
                } else if s[m] == "\r", m + 1 < s.count, s[m + 1] == "\n" {
                    after = true
                    m += 2
                }
                if before && after {
                    standalone = true
                    lineStart = k
                    afterLine = m
                }
            }
            var indent = ""
            if standalone {
                // The blanks before the tag leave the text; a partial keeps them as its indent.
                let blanks = tagStart - lineStart
                indent = String(String.UnicodeScalarView(s[lineStart..<tagStart]))
                if blanks > 0 { text.removeLast(blanks) }
            }
            // A parent tag with only blanks before it leaves the line blank for what follows.
            var parentBlank = false
            func inParent(_ depth: Int) -> Bool {
                guard frames.count > depth else { return false }
                if case .parent = frames[frames.count - depth].kind { return true }
                return false
            }
            func closesBlockOfParent() -> Bool {
                guard kind == "/", frames.count > 2, case .block = frames[frames.count - 1].kind else { return false }
                return inParent(2)
            }
            if !standalone, kind == "<" || (kind == "/" && inParent(1)) || (kind == "$" && inParent(1)) || closesBlockOfParent() {
                var k = tagStart
                while k > 0, TemplateParser.isBlank(s[k - 1]) { k -= 1 }
                parentBlank = (k == 0 || s[k - 1] == "\n" || k == blankUntil) && !tagOnLine
            }
            flushText(&frames, &text)
            let contentEnd = tagStart  // where a section's raw text ends, for a closing tag
            advance(to: standalone ? afterLine : tagEnd)
            if parentBlank {
                blankUntil = tagEnd
            } else if !standalone {
                tagOnLine = true
            }

            func nameAndTransform(_ text: String) -> (path: [String], transform: String?) {
                var name = text
                var transform: String?
                if let open = name.firstIndex(of: "("), name.hasSuffix(")") {
                    transform = String(name[..<open]).trimmingCharacters(in: .whitespaces)
                    name = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
                        .trimmingCharacters(in: .whitespaces)
                }
                let path = name == "." || name.isEmpty ? [] : name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                return (path, transform)
            }

            switch kind {
            case "!":
                break
            case "=":
                let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2, !parts[0].contains("="), !parts[1].contains("=") else {
                    throw error("badly formed set-delimiter tag", tagLine, tagColumn)
                }
                open = Array(parts[0].unicodeScalars)
                close = Array(parts[1].unicodeScalars)
            case "#", "^":
                guard !content.isEmpty else { throw error("section has no name", tagLine, tagColumn) }
                let (path, transform) = nameAndTransform(content)
                frames.append(
                    Frame(
                        kind: .section(path: path, transform: transform, inverted: kind == "^"), name: content,
                        contentStart: i, line: tagLine, column: tagColumn))
            case "$":
                var frame = Frame(kind: .block, name: content, contentStart: i, line: tagLine, column: tagColumn)
                var k = tagStart
                while k > 0, TemplateParser.isBlank(s[k - 1]) { k -= 1 }
                if k == 0 || s[k - 1] == "\n" {
                    frame.blockIndent = standalone ? indent : String(String.UnicodeScalarView(s[k..<tagStart]))
                    frame.blockIndentKept = !standalone
                    frame.blockStandalone = standalone
                }
                frames.append(frame)
            case "<":
                let dynamic = content.hasPrefix("*")
                let name = dynamic ? String(content.dropFirst()).trimmingCharacters(in: .whitespaces) : content
                var frame = Frame(
                    kind: .parent(dynamic: dynamic, indent: indent), name: name, contentStart: i, line: tagLine, column: tagColumn)
                if parentBlank {
                    var k = tagStart
                    while k > 0, TemplateParser.isBlank(s[k - 1]) { k -= 1 }
                    frame.openBlanks = String(String.UnicodeScalarView(s[k..<tagStart]))
                }
                frames.append(frame)
            case "/":
                guard frames.count > 1 else { throw error("closing tag '\(content)' with no section open", tagLine, tagColumn) }
                let frame = frames.removeLast()
                let openedAs: String
                switch frame.kind {
                case .parent(let dynamic, _): openedAs = dynamic ? "*" + frame.name : frame.name
                default: openedAs = frame.name
                }
                guard openedAs == content || frame.name == content else {
                    throw error(
                        "section closed with '\(content)' but opened as '\(openedAs)' at line \(frame.line)", tagLine, tagColumn)
                }
                let node: Node
                switch frame.kind {
                case .root: fatalError("the root frame is never closed")
                case .section(let path, let transform, let inverted):
                    let raw = String(String.UnicodeScalarView(s[frame.contentStart..<max(frame.contentStart, contentEnd)]))
                    node = .section(path: path, transform: transform, inverted: inverted, nodes: frame.nodes, raw: raw)
                case .block:
                    var indent = frame.blockIndent
                    // A block whose tag stands alone takes its default content's indentation.
                    if frame.blockStandalone, case .text(let t)? = frame.nodes.first {
                        let own = String(t.prefix { $0 == " " || $0 == "\t" })
                        if !own.isEmpty { indent = own }
                    }
                    // A closing tag alone on its line after the blank-started opening one: the
                    // pair is standalone (`  {{$block}}{{/block}}`).
                    node = .block(name: frame.name, nodes: frame.nodes, indent: indent, kept: frame.blockIndentKept)
                case .parent(let dynamic, var indent):
                    // `  {{<parent}}{{/parent}}` alone on its line: the parent stands indented.
                    if standalone, frame.line == tagLine, let blanks = frame.openBlanks {
                        indent = blanks
                        if !blanks.isEmpty, case .text(let t)? = frames[frames.count - 1].nodes.last, t.hasSuffix(blanks) {
                            frames[frames.count - 1].nodes[frames[frames.count - 1].nodes.count - 1] = .text(String(t.dropLast(blanks.count)))
                        }
                    }
                    node = .parent(name: frame.name, dynamic: dynamic, indent: indent, overrides: frame.overrides)
                }
                // Inside a parent only blocks count: they are its overrides.
                if case .parent = frames[frames.count - 1].kind {
                    if case .block(let name, let nodes, _, _) = node { frames[frames.count - 1].overrides[name] = nodes }
                } else {
                    frames[frames.count - 1].nodes.append(node)
                }
            case ">":
                let dynamic = content.hasPrefix("*")
                let name = dynamic ? String(content.dropFirst()).trimmingCharacters(in: .whitespaces) : content
                if case .parent = frames[frames.count - 1].kind { break }
                frames[frames.count - 1].nodes.append(.partial(name: name, dynamic: dynamic, indent: indent))
            default:
                guard !content.isEmpty else { throw error("tag has no name", tagLine, tagColumn) }
                if case .parent = frames[frames.count - 1].kind { break }
                let (path, transform) = nameAndTransform(content)
                let escaped = kind == " "
                frames[frames.count - 1].nodes.append(.variable(path: path, transform: transform, escaped: escaped))
            }
        }
        if case .parent = frames[frames.count - 1].kind {
            text = String.UnicodeScalarView()
        }
        flushText(&frames, &text)
        if frames.count > 1 {
            let frame = frames[frames.count - 1]
            throw error("section '\(frame.name)' is never closed", frame.line, frame.column)
        }
        return frames[0].nodes
    }
}
