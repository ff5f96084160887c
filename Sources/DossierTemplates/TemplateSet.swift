import Foundation

/// The site's Mustache templates, loaded once per build, checked, and compiled for Dossier's
/// own engine (``TemplateLibrary``).
public struct TemplateSet: Sendable {
    let library: TemplateLibrary
    /// Template names (`article`, `partials/head`), sorted.
    public let names: [String]
    /// The text of each template, by name.
    let texts: [String: String]

    /// The interface words of `Templates/i18n/` (``InterfaceFiles``).
    public var interface = InterfaceFiles()

    /// Every name any template looks up, each part of a dotted name on its own.
    public var lookedUp: Set<String> {
        var names = Set(self.names.flatMap { usage(of: $0).names })
        // `$t.KEY` in the charts of templates.
        for text in texts.values { names.formUnion(TemplateSet.wordKeys(in: text)) }
        return names
    }

    /// The keys of `$t.KEY` in a template chart's text (`title: $t.funding_title`).
    static func wordKeys(in text: String) -> [String] {
        // Checked as bytes: Foundation's search, per chart on every page, showed in profiles.
        guard Bytes.contains("$t.", in: text) else { return [] }
        return text.components(separatedBy: "$t.").dropFirst().map {
            String($0.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        }.filter { !$0.isEmpty }
    }

    /// Templates every site needs.
    static let required = ["home", "article"]

    /// The ids the templates write as they are (`<main id="main">`), which a heading in an
    /// article must not take. Found once, when the templates load.
    package let literalIDs: Set<String>

    static func literalIDs(in texts: some Sequence<String>) -> Set<String> {
        var ids: Set<String> = []
        for text in texts {
            for piece in text.components(separatedBy: " id=\"").dropFirst() {
                guard let end = piece.firstIndex(of: "\"") else { continue }
                let id = piece[..<end]
                if !id.isEmpty && !id.contains("{") { ids.insert(String(id)) }
            }
        }
        return ids
    }

    init(library: TemplateLibrary, names: [String], texts: [String: String] = [:]) {
        self.library = library
        self.names = names
        self.texts = texts
        self.literalIDs = TemplateSet.literalIDs(in: texts.values)
    }

    /// What a page rendered with `name` can read, found by reading the template and every
    /// partial and layout it reaches: whether it lists `articles`, reads `data`, draws charts;
    /// and a signature of all those texts, for caches.
    package struct Usage: Sendable {
        package var articles: Bool
        package var data: Bool
        /// Datasets that `{{#chart}}` sections of the templates read.
        package var chartData: Set<String>
        /// Whether every chart of a generated page's dataset (`data: $data`) is filtered on the
        /// page's key (`$column: $key`): then the page shows no row but its own.
        package var chartsKeyedToPage: Bool = false
        /// Whether a `{{#chart}}` plots named figures (`figures:`).
        package var chartsFigures: Bool = false
        package var signature: Int
        /// Every name the templates look up, each part of a dotted name on its own
        /// (`page.related.title` → `page`, `related`, `title`).
        var names: Set<String> = []

        /// Whether some template looks up `key`; a context may leave out what none reads.
        package func uses(_ key: String) -> Bool { names.contains(key) }
    }

    /// Where the spec of a `{{#chart}}` section was written: the template (the page's own, or a
    /// layout or partial it uses) and the line its first line is on.
    package func locate(chartSpec spec: String, from name: String) -> (path: String, line: Int)? {
        for template in templates(usedBy: name) {
            guard let text = texts[template] else { continue }
            var searchFrom = text.startIndex
            while let tag = text.range(of: "{{#chart}}", range: searchFrom..<text.endIndex) {
                var start = tag.upperBound
                if text[start...].hasPrefix("\r\n") {
                    start = text.index(start, offsetBy: 2)
                } else if text[start...].hasPrefix("\n") {
                    start = text.index(after: start)
                }
                if text[start...].hasPrefix(spec) {
                    let line = text[..<start].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                    return ("Templates/\(template).mustache", line)
                }
                searchFrom = tag.upperBound
            }
        }
        return nil
    }

    /// The template `name` and every layout and partial it uses, directly or not: the page's
    /// own first, then breadth first, each once.
    func templates(usedBy name: String) -> [String] {
        var seen: Set<String> = []
        var order: [String] = []
        var queue = [name]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard seen.insert(next).inserted, let text = texts[next] else { continue }
            order.append(next)
            queue += TemplateSet.references(in: text).map(\.name).sorted()
        }
        return order
    }

    package func usage(of name: String) -> Usage {
        let seen = templates(usedBy: name)
        var hasher = Hasher()
        var all = ""
        for template in seen.sorted() {
            hasher.combine(template)
            hasher.combine(texts[template])
            all += texts[template] ?? ""
        }
        var chartData: Set<String> = []
        var keyed = true
        var figures = false
        for section in all.components(separatedBy: "{{#chart}}").dropFirst() {
            let spec = section.components(separatedBy: "{{/chart}}")[0]
            if spec.split(separator: "\n").contains(where: { $0.hasPrefix("figures:") }) { figures = true }
            for line in spec.split(separator: "\n") where line.hasPrefix("data:") {
                let data = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                chartData.insert(data)
                let lines = spec.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                if data == "$data", !lines.contains("$column: $key") { keyed = false }
            }
        }
        let names = TemplateSet.variableNames(in: all)
        return Usage(
            articles: names.contains { $0 == "articles" || $0.hasPrefix("articles.") },
            data: names.contains { $0 == "data" || $0.hasPrefix("data.") },
            chartData: chartData, chartsKeyedToPage: keyed, chartsFigures: figures, signature: hasher.finalize(),
            names: Set(names.flatMap { $0.split(separator: ".").map(String.init) }))
    }

    /// Loads `Templates/**/*.mustache`, reporting every syntax error and every partial or
    /// layout named but missing, at `Templates/x.mustache:LINE:COL`.
    package static func load(_ project: Project) -> (TemplateSet?, [Diagnostic]) {
        var bag = DiagnosticBag()
        let library = TemplateLibrary()
        var sources: [(name: String, path: String, text: String)] = []
        for url in SourceFiles.list(in: project.templates, extensions: ["mustache"]) {
            let path = project.relative(url)
            let name = String(path.dropFirst("Templates/".count).dropLast(".mustache".count))
            do {
                let text = try SourceFiles.readText(url, relativePath: path)
                sources.append((name, path, text))
                switch compile(text, path: path) {
                case .success(let template): library.register(template, named: name)
                case .failure(let problem): bag.append(problem)
                }
            } catch {
                bag.append(error)
            }
        }
        let names = Set(sources.map(\.name))
        // Each template's `{{>` and `{{<` tags, read once for both checks below.
        let referenced = Dictionary(
            sources.map { ($0.name, references(in: $0.text)) }, uniquingKeysWith: { a, _ in a })
        for source in sources {
            for reference in referenced[source.name] ?? [] where !names.contains(reference.name) {
                let what = reference.isLayout ? "layout" : "partial"
                bag.append(
                    Diagnostic(
                        SourceLocation(path: source.path, line: reference.line, column: reference.column),
                        "\(what) '\(reference.name)' does not exist",
                        hint: hint(for: reference.name, among: names), code: .templateMissingPartial))
            }
        }
        bag.append(contentsOf: cycles(sources, referenced: referenced))
        for name in required where !names.contains(name) {
            bag.append(
                Diagnostic(
                    SourceLocation(path: "Templates/\(name).mustache"), "template '\(name)' is missing",
                    hint: "every site needs Templates/home.mustache and Templates/article.mustache", code: .templateMissing))
        }
        let (interface, interfaceProblems) = InterfaceFiles.load(project)
        bag.append(contentsOf: interfaceProblems)
        guard bag.isEmpty else { return (nil, bag.items) }
        let texts = Dictionary(sources.map { ($0.name, $0.text) }, uniquingKeysWith: { a, _ in a })
        var set = TemplateSet(library: library, names: names.sorted(), texts: texts)
        set.interface = interface
        return (set, [])
    }

    /// Partials and layouts that include themselves, directly or through others: rendering
    /// them would recurse until the stack overflows. One error per cycle, at the reference
    /// that closes it.
    static func cycles(_ sources: [(name: String, path: String, text: String)], referenced: [String: [Reference]])
        -> [Diagnostic]
    {
        var edges: [String: [(target: String, path: String, reference: Reference)]] = [:]
        for source in sources {
            edges[source.name] = (referenced[source.name] ?? []).map {
                (target: $0.name, path: source.path, reference: $0)
            }
        }
        var problems: [Diagnostic] = []
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var path: [String] = []
        func visit(_ name: String) {
            state[name] = 1
            path.append(name)
            for edge in edges[name] ?? [] {
                switch state[edge.target] {
                case 1:
                    let loop = path[path.lastIndex(of: edge.target)!...] + [edge.target]
                    let what = edge.reference.isLayout ? "layout" : "partial"
                    problems.append(
                        Diagnostic(
                            SourceLocation(path: edge.path, line: edge.reference.line, column: edge.reference.column),
                            "\(what) '\(edge.target)' includes itself (\(loop.joined(separator: " → "))), which would never end",
                            hint: "a partial may not include itself, directly or through others", code: .templateCycle))
                case nil where edges[edge.target] != nil: visit(edge.target)
                default: break
                }
            }
            path.removeLast()
            state[name] = 2
        }
        for source in sources.sorted(by: { $0.name < $1.name }) where state[source.name] == nil { visit(source.name) }
        return problems
    }

    /// Parses one template, or says where its syntax is wrong.
    static func compile(_ text: String, path: String) -> Result<CompiledTemplate, Diagnostic> {
        if let (line, column) = tooDeep(text) {
            return .failure(
                Diagnostic(
                    SourceLocation(path: path, line: line, column: column),
                    "sections nest more than \(maxDepth) deep here", hint: "close some sections before opening more", code: .templateTooDeep))
        }
        do throws(TemplateSyntaxError) {
            return .success(try CompiledTemplate(text))
        } catch {
            return .failure(
                Diagnostic(SourceLocation(path: path, line: error.line, column: error.column), error.message, code: .templateSyntax))
        }
    }

    /// How deep sections, inverted sections, blocks and parents may nest: the parser recurses
    /// once per level, and tens of thousands of levels overflow its stack.
    static let maxDepth = 100

    /// The line and column of the first tag that opens a section deeper than ``maxDepth``.
    static func tooDeep(_ text: String) -> (Int, Int)? {
        var depth = 0
        var line = 1
        var column = 1
        var previous: Unicode.Scalar = " "
        var afterBraces = false
        for scalar in text.unicodeScalars {
            if afterBraces {
                afterBraces = false
                if "#^$<".unicodeScalars.contains(scalar) {
                    depth += 1
                    if depth > maxDepth { return (line, column - 2) }
                } else if scalar == "/" {
                    depth = max(0, depth - 1)
                }
            }
            if scalar == "{" && previous == "{" { afterBraces = true }
            previous = scalar == "{" && previous == "{" ? " " : scalar
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    /// The syntax problems of one template (none, or the first).
    package static func parseProblems(_ text: String, path: String) -> [Diagnostic] {
        if case .failure(let problem) = compile(text, path: path) { return [problem] }
        return []
    }

    /// Renders a template with a context of dictionaries.
    package func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(name, .dictionary(context))
    }

    package func renderBytes(_ name: String, _ context: [String: Any]) -> [UInt8] {
        library.renderBytes(name, .dictionary(context))
    }

    /// The names in a template's tags: `{{#articles}}`, `{{ iso(page.date) }}` → `articles`,
    /// `page.date`.
    package static func variableNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        for piece in text.components(separatedBy: "{{").dropFirst() {
            guard let end = piece.range(of: "}}") else { continue }
            var tag = piece[..<end.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let first = tag.first, !"!>=<$".contains(first) else { continue }
            if "#^/&{".contains(first) { tag.removeFirst() }
            tag = tag.trimmingCharacters(in: CharacterSet(charactersIn: " }"))
            if let open = tag.firstIndex(of: "("), let close = tag.lastIndex(of: ")"), open < close {
                tag = String(tag[tag.index(after: open)..<close])
            }
            names.insert(tag)
        }
        return names
    }

    package struct Reference {
        package var name: String
        package var isLayout: Bool
        package var line: Int
        package var column: Int
    }

    /// Finds `{{> name}}` and `{{< name}}` tags. Templates that change delimiters with
    /// `{{=<% %>=}}` are scanned with the default delimiters only.
    package static func references(in text: String) -> [Reference] {
        var found: [Reference] = []
        var line = 1
        var column = 1
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "{", i + 2 < scalars.count, scalars[i + 1] == "{",
                scalars[i + 2] == ">" || scalars[i + 2] == "<"
            {
                let isLayout = scalars[i + 2] == "<"
                var j = i + 3
                while j < scalars.count, scalars[j] == " " { j += 1 }
                var name = ""
                while j < scalars.count, scalars[j] != "}", scalars[j] != " " {
                    name.unicodeScalars.append(scalars[j])
                    j += 1
                }
                if !name.isEmpty, !name.hasPrefix("*") {
                    found.append(Reference(name: name, isLayout: isLayout, line: line, column: column))
                }
            }
            if scalars[i] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        return found
    }

    private static func hint(for name: String, among names: Set<String>) -> String {
        let close = names.sorted().filter {
            $0.hasSuffix("/" + name) || name.hasSuffix("/" + $0) || $0.lowercased() == name.lowercased()
        }
        if let first = close.first { return "did you mean '\(first)'?" }
        return "templates are named by their path under Templates/ without .mustache, e.g. 'partials/head'"
    }
}
