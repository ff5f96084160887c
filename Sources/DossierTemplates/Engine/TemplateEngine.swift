import Foundation

/// Dossier's own Mustache engine (issue 16): templates are parsed once into trees of typed
/// nodes, partials and parents are resolved by name at render time from a library, and pages
/// render over ``TemplateValue``s (no `Any`, no dynamic casts) into one UTF-8 byte buffer with a
/// byte-level escaper. It follows the Mustache specification: interpolation, sections,
/// inverted sections, comments, set delimiters, partials with standalone indentation, and the
/// optional inheritance (`{{<parent}}`, `{{$block}}`) and dynamic names (`{{>*name}}`).
/// Lambdas are not part of it; Dossier's one lambda, `{{#chart}}`, is a ``TemplateValue/section``.
package enum TemplateValue {
    case null
    case bool(Bool)
    case text(String)
    /// Text written as it is, never escaped (pre-rendered HTML).
    case html(String)
    case list([TemplateValue])
    case map([String: TemplateValue])
    /// A value with its own text, truth and transforms (a number, a date).
    case custom(any TemplateCustom)
    /// A section that receives its raw text (`{{#chart}}…{{/chart}}`) and returns HTML.
    case section(TemplateSectionFunction)
    /// A context built as dictionaries of Swift values (Dossier's page contexts today), read
    /// lazily: only what a template looks up is turned into a value.
    case dictionary([String: Any])

    /// A Swift value as a template value: text, numbers (as their digits), booleans,
    /// dictionaries, arrays, optionals, custom values and section functions.
    package static func bridge(_ any: Any) -> TemplateValue {
        // The commonest types by their exact type first: each failed cast below (to an enum, a
        // protocol, a collection of another element type) costs more than these comparisons.
        let type = type(of: any)
        if type == String.self { return .text(any as! String) }
        if type == [String: Any].self { return .dictionary(any as! [String: Any]) }
        if type == Bool.self { return .bool(any as! Bool) }
        if type == TemplateNumber.self { return .custom(any as! TemplateNumber) }
        if type == [[String: Any]].self { return .list((any as! [[String: Any]]).map { .dictionary($0) }) }
        if type == Int.self { return .text(String(any as! Int)) }
        if type == TemplateSectionFunction.self { return .section(any as! TemplateSectionFunction) }
        if type == [String].self { return .list((any as! [String]).map { .text($0) }) }
        if type == NSNull.self { return .null }
        switch any {
        case let v as TemplateValue: return v
        case let s as String: return .text(s)
        case let d as [String: Any]: return .dictionary(d)
        case let b as Bool: return .bool(b)
        case let n as Int: return .text(String(n))
        case let c as any TemplateCustom: return .custom(c)
        case let f as TemplateSectionFunction: return .section(f)
        case let items as [[String: Any]]: return .list(items.map { .dictionary($0) })
        case let items as [String]: return .list(items.map { .text($0) })
        case let items as [Any]: return .list(items.map(bridge))
        case let h as TemplateHTML: return .html(h.html)
        // A key that is there but holds nothing: found, so the search stops, and false.
        case is NSNull: return .null
        default:
            // An optional inside `Any` (`file.sha256 as Any`): nothing, or what it holds.
            let mirror = Mirror(reflecting: any)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else { return .null }
                return bridge(wrapped)
            }
            return .text(String(describing: any))
        }
    }

    /// Whether a section over this value renders (and an inverted one does not).
    var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .list(let items): return !items.isEmpty
        case .custom(let c): return !c.isNull
        default: return true
        }
    }
}

/// A section whose content is handed over as text: `{{#chart}}spec{{/chart}}`.
package struct TemplateSectionFunction {
    /// The section's HTML as UTF-8 bytes, appended to the page as they are.
    package let bytes: (String) -> [UInt8]
    package init(_ bytes: @escaping (String) -> [UInt8]) { self.bytes = bytes }
}

/// Pre-rendered HTML in a dictionary context, written unescaped.
package struct TemplateHTML {
    package let html: String
    package init(_ html: String) { self.html = html }
}

/// A value that renders itself and offers transforms (`{{iso(page.date)}}`).
package protocol TemplateCustom {
    var renderText: String { get }
    var isNull: Bool { get }
    func templateTransform(_ name: String) -> TemplateValue?
}

/// A parse error at a line and column of the template.
package struct TemplateSyntaxError: Error, Equatable {
    package var line: Int
    package var column: Int
    package var message: String
}

/// One template, parsed.
package struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(path: [String], transform: String?, escaped: Bool)
        case section(path: [String], transform: String?, inverted: Bool, nodes: [Node], raw: String)
        case partial(name: String, dynamic: Bool, indent: String)
        /// `indent`: the blanks before the tag when only blanks precede it on its line (or, when
        /// the tag stands alone, its default content's own indentation); `kept`: whether those
        /// blanks stay in the text before it (then the first line of an override has them).
        case block(name: String, nodes: [Node], indent: String?, kept: Bool)
        case parent(name: String, dynamic: Bool, indent: String, overrides: [String: [Node]])
    }

    let nodes: [Node]
    /// The source, for partials that must be parsed again with an indentation.
    let source: String

    package init(_ source: String) throws(TemplateSyntaxError) {
        self.source = source
        var parser = TemplateParser(Array(source.unicodeScalars))
        nodes = try parser.parse()
    }

    init(nodes: [Node], source: String) {
        self.nodes = nodes
        self.source = source
    }
}

/// A set of named templates that refer to each other as partials and parents.
package final class TemplateLibrary: @unchecked Sendable {
    private var templates: [String: CompiledTemplate] = [:]
    private var indented: [String: CompiledTemplate] = [:]
    private let lock = NSLock()

    package init() {}

    package func register(_ template: CompiledTemplate, named name: String) {
        lock.lock()
        templates[name] = template
        lock.unlock()
    }

    package func template(_ name: String) -> CompiledTemplate? {
        lock.lock()
        defer { lock.unlock() }
        return templates[name]
    }

    /// A partial with every line of its source indented, parsed once per indentation.
    func template(_ name: String, indent: String) -> CompiledTemplate? {
        guard !indent.isEmpty else { return template(name) }
        let key = name + "\u{0}" + indent
        lock.lock()
        if let cached = indented[key] {
            lock.unlock()
            return cached
        }
        let base = templates[name]
        lock.unlock()
        guard let base else { return nil }
        var text = ""
        var atLineStart = true
        for character in base.source {
            if atLineStart { text += indent }
            text.append(character)
            atLineStart = character == "\n"
        }
        guard let parsed = try? CompiledTemplate(text) else { return nil }
        lock.lock()
        indented[key] = parsed
        lock.unlock()
        return parsed
    }

    /// Renders a template with a context.
    package func render(_ name: String, _ context: TemplateValue) -> String {
        String(decoding: renderBytes(name, context), as: UTF8.self)
    }

    /// ``render(_:_:)`` as the UTF-8 bytes it writes, which a page keeps until the disk.
    package func renderBytes(_ name: String, _ context: TemplateValue) -> [UInt8] {
        guard let template = template(name) else { return [] }
        var out = TemplateOutput()
        var renderer = TemplateRenderer(library: self)
        renderer.render(template.nodes, stack: [context], overrides: [], into: &out)
        return out.bytes
    }
}

/// The bytes of a page as they are written.
struct TemplateOutput {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(32_768) }  // a page with a chart and a table is 16-20 KB

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// HTML-escaped: `&`, `<`, `>`, `"`, `'` (as `&#39;`).
    mutating func appendEscaped(_ text: String) { HTMLText.appendEscaped(text, to: &bytes) }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

struct TemplateRenderer {
    let library: TemplateLibrary
    /// How deep partials go before rendering stops (a partial that includes itself).
    var depth = 0

    init(library: TemplateLibrary) { self.library = library }

    /// The value a dotted name resolves to: its first part in the nearest context that has it,
    /// the rest inside that.
    static func lookup(_ path: [String], _ stack: [TemplateValue]) -> TemplateValue {
        guard let first = path.first else { return stack.last ?? .null }
        var value: TemplateValue = .null
        var found = false
        for context in stack.reversed() {
            if let v = child(first, of: context) {
                value = v
                found = true
                break
            }
        }
        guard found else { return .null }
        for part in path.dropFirst() {
            guard let v = child(part, of: value) else { return .null }
            value = v
        }
        return value
    }

    /// The value of `name` in a map, or nil when it has none (an optional holding nothing is
    /// a value: it stops the search up the stack, as in swift-mustache).
    static func child(_ name: String, of context: TemplateValue) -> TemplateValue? {
        switch context {
        case .map(let map): return map[name]
        case .dictionary(let d):
            guard let v = d[name] else { return nil }
            return TemplateValue.bridge(v)
        default: return nil
        }
    }

    /// Where a section over a list is: for `first()`, `last()`, `index()`, `even()`, `odd()`.
    struct Position {
        var index: Int
        var count: Int
    }

    static func resolve(
        _ path: [String], transform: String?, _ stack: [TemplateValue], position: Position? = nil
    ) -> TemplateValue {
        if path.isEmpty, let transform, let position {
            switch transform {
            case "first": return .bool(position.index == 0)
            case "last": return .bool(position.index == position.count - 1)
            case "index": return .text(String(position.index))
            case "even": return .bool(position.index & 1 == 0)
            case "odd": return .bool(position.index & 1 == 1)
            default: break
            }
        }
        let value = lookup(path, stack)
        guard let transform else { return value }
        switch value {
        case .custom(let c): return c.templateTransform(transform) ?? .null
        case .list(let items):
            switch transform {
            case "count": return .text(String(items.count))
            case "empty": return .bool(items.isEmpty)
            case "first": return items.first ?? .null
            case "last": return items.last ?? .null
            case "reversed": return .list(items.reversed())
            case "sorted":
                // Texts and numbers in order of their text; other items as they are.
                return .list(items.sorted { TemplateRenderer.text($0).0 < TemplateRenderer.text($1).0 })
            default: return .null
            }
        case .text(let s):
            switch transform {
            case "uppercased": return .text(s.uppercased())
            case "lowercased": return .text(s.lowercased())
            case "capitalized": return .text(s.capitalized)
            case "empty": return .bool(s.isEmpty)
            default: return .null
            }
        default: return .null
        }
    }

    static func text(_ value: TemplateValue) -> (String, escape: Bool) {
        switch value {
        case .null: return ("", false)
        case .bool(let b): return (b ? "true" : "false", false)
        case .text(let s): return (s, true)
        case .html(let s): return (s, false)
        case .custom(let c): return (c.renderText, true)
        case .list, .map, .section, .dictionary: return ("", false)
        }
    }

    /// `overrides`: the blocks of the parents being rendered, outermost first.
    mutating func render(
        _ nodes: [CompiledTemplate.Node], stack: [TemplateValue], overrides: [[String: [CompiledTemplate.Node]]],
        position: Position? = nil, into out: inout TemplateOutput
    ) {
        var stack = stack
        for node in nodes {
            switch node {
            case .text(let t): out.append(t)
            case .variable(let path, let transform, let escaped):
                let (text, escape) = TemplateRenderer.text(TemplateRenderer.resolve(path, transform: transform, stack, position: position))
                if escaped && escape { out.appendEscaped(text) } else { out.append(text) }
            case .section(let path, let transform, let inverted, let children, let raw):
                let value = TemplateRenderer.resolve(path, transform: transform, stack, position: position)
                if inverted {
                    if !value.isTruthy { render(children, stack: stack, overrides: overrides, position: position, into: &out) }
                    continue
                }
                switch value {
                case .list(let items):
                    for (index, item) in items.enumerated() {
                        stack.append(item)
                        render(
                            children, stack: stack, overrides: overrides, position: Position(index: index, count: items.count),
                            into: &out)
                        stack.removeLast()
                    }
                case .section(let function):
                    out.bytes.append(contentsOf: function.bytes(raw))
                case .bool(let b):
                    if b { render(children, stack: stack, overrides: overrides, position: position, into: &out) }
                default:
                    guard value.isTruthy else { continue }
                    stack.append(value)
                    render(children, stack: stack, overrides: overrides, position: position, into: &out)
                    stack.removeLast()
                }
            case .partial(let name, let dynamic, let indent):
                let resolved = dynamic ? TemplateRenderer.text(TemplateRenderer.lookup(name.split(separator: ".").map(String.init), stack)).0 : name
                guard depth < 100, let partial = library.template(resolved, indent: indent) else { continue }
                depth += 1
                render(partial.nodes, stack: stack, overrides: overrides, position: position, into: &out)
                depth -= 1
            case .block(let name, let children, let indent, let kept):
                // The outermost override of this block wins; else its own content. Inside the
                // override that override is spent: a block of the same name within it shows its
                // own content (or an override from further in), so that it cannot recurse forever.
                if let level = overrides.firstIndex(where: { $0[name] != nil }) {
                    let override = overrides[level][name]!
                    var within = overrides
                    within[level][name] = nil
                    guard let indent else {
                        render(override, stack: stack, overrides: within, position: position, into: &out)
                        continue
                    }
                    // Re-indented: the override's own indentation out, the block's in.
                    var inner = TemplateOutput()
                    render(override, stack: stack, overrides: within, position: position, into: &inner)
                    TemplateRenderer.reindent(inner.bytes, to: indent, firstKept: kept, into: &out)
                } else {
                    render(children, stack: stack, overrides: overrides, position: position, into: &out)
                }
            case .parent(let name, let dynamic, let indent, let blocks):
                let resolved = dynamic ? TemplateRenderer.text(TemplateRenderer.lookup(name.split(separator: ".").map(String.init), stack)).0 : name
                guard depth < 100, let parent = library.template(resolved, indent: indent) else { continue }
                depth += 1
                render(parent.nodes, stack: stack, overrides: overrides + [blocks], into: &out)
                depth -= 1
            }
        }
    }
}

extension TemplateRenderer {
    /// Writes `text` with the indentation of its first non-blank line taken off every line and
    /// `indent` put on every non-empty line (but the first when its indentation is already in
    /// the output). Text whose indentation is already `indent`'s is written as it is.
    static func reindent(_ text: [UInt8], to indent: String, firstKept: Bool, into out: inout TemplateOutput) {
        // The blanks that start the first line holding anything else, found without splitting
        // the text into lines (a page's main block is most of the page).
        var own: ArraySlice<UInt8> = []
        var lineStart = 0
        while lineStart < text.count {
            var end = lineStart
            while end < text.count && (text[end] == 0x20 || text[end] == 0x09) { end += 1 }
            if end < text.count && text[end] != 0x0A {
                own = text[lineStart..<end]
                break
            }
            lineStart = end + 1
        }
        let add = Array(indent.utf8)
        if own.elementsEqual(add) && !firstKept || add.isEmpty && own.isEmpty {
            out.bytes.append(contentsOf: text)
            return
        }
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            if n > 0 { out.bytes.append(UInt8(ascii: "\n")) }
            var body = line[...]
            if body.starts(with: own) { body = body.dropFirst(own.count) }
            if !body.isEmpty, !(n == 0 && firstKept) { out.bytes.append(contentsOf: add) }
            out.bytes.append(contentsOf: body)
        }
    }
}
