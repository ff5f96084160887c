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
    case section(@Sendable (String) -> String)

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

/// A value that renders itself and offers transforms (`{{iso(page.date)}}`).
package protocol TemplateCustom {
    var renderText: String { get }
    var isNull: Bool { get }
    func transform(_ name: String) -> TemplateValue?
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
        case block(name: String, nodes: [Node])
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
        guard let template = template(name) else { return "" }
        var out = TemplateOutput()
        var renderer = TemplateRenderer(library: self)
        renderer.render(template.nodes, stack: [context], overrides: [], into: &out)
        return out.string
    }
}

/// The bytes of a page as they are written.
struct TemplateOutput {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(16_384) }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// HTML-escaped: `&`, `<`, `>`, `"`, `'` (as `&#39;`).
    mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var start = 0
            for (i, byte) in buffer.enumerated() {
                let entity: StaticString
                switch byte {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<i])) }
                entity.withUTF8Buffer { bytes.append(contentsOf: $0) }
                start = i + 1
            }
            if start < buffer.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...])) }
        }
    }

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
            if case .map(let map) = context, let v = map[first] {
                value = v
                found = true
                break
            }
        }
        guard found else { return .null }
        for part in path.dropFirst() {
            guard case .map(let map) = value, let v = map[part] else { return .null }
            value = v
        }
        return value
    }

    static func resolve(_ path: [String], transform: String?, _ stack: [TemplateValue]) -> TemplateValue {
        let value = lookup(path, stack)
        guard let transform else { return value }
        switch value {
        case .custom(let c): return c.transform(transform) ?? .null
        case .list(let items):
            switch transform {
            case "count": return .text(String(items.count))
            case "empty": return .bool(items.isEmpty)
            case "first": return items.first ?? .null
            case "last": return items.last ?? .null
            case "reversed": return .list(items.reversed())
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
        case .list, .map, .section: return ("", false)
        }
    }

    /// `overrides`: the blocks of the parents being rendered, outermost first.
    mutating func render(
        _ nodes: [CompiledTemplate.Node], stack: [TemplateValue], overrides: [[String: [CompiledTemplate.Node]]],
        into out: inout TemplateOutput
    ) {
        var stack = stack
        for node in nodes {
            switch node {
            case .text(let t): out.append(t)
            case .variable(let path, let transform, let escaped):
                let (text, escape) = TemplateRenderer.text(TemplateRenderer.resolve(path, transform: transform, stack))
                if escaped && escape { out.appendEscaped(text) } else { out.append(text) }
            case .section(let path, let transform, let inverted, let children, let raw):
                let value = TemplateRenderer.resolve(path, transform: transform, stack)
                if inverted {
                    if !value.isTruthy { render(children, stack: stack, overrides: overrides, into: &out) }
                    continue
                }
                switch value {
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        render(children, stack: stack, overrides: overrides, into: &out)
                        stack.removeLast()
                    }
                case .section(let function):
                    out.append(function(raw))
                case .bool(let b):
                    if b { render(children, stack: stack, overrides: overrides, into: &out) }
                default:
                    guard value.isTruthy else { continue }
                    stack.append(value)
                    render(children, stack: stack, overrides: overrides, into: &out)
                    stack.removeLast()
                }
            case .partial(let name, let dynamic, let indent):
                let resolved = dynamic ? TemplateRenderer.text(TemplateRenderer.lookup(name.split(separator: ".").map(String.init), stack)).0 : name
                guard depth < 100, let partial = library.template(resolved, indent: indent) else { continue }
                depth += 1
                render(partial.nodes, stack: stack, overrides: overrides, into: &out)
                depth -= 1
            case .block(let name, let children):
                // The outermost override of this block wins; else its own content.
                if let override = overrides.first(where: { $0[name] != nil })?[name] {
                    render(override, stack: stack, overrides: overrides, into: &out)
                } else {
                    render(children, stack: stack, overrides: overrides, into: &out)
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
