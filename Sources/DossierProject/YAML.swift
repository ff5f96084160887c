@preconcurrency import CYaml
import Yams

/// Reads YAML through Yams into nodes that remember where they were written.
///
/// Dossier never uses Yams's untyped YAML 1.1 resolution (`NO` → false, `1.10` → 1.1 as a
/// float): plain scalars are typed by ``YAML/value(_:)`` with the rules of YAML 1.2's core schema.
package enum YAML {
    /// Parses one YAML document. Errors carry the line and column inside `text`.
    package static func compose(_ text: String) throws(LocalError) -> Node? {
        do {
            // An explicit encoding: the default one reads the environment on every call. The
            // basic resolver: Dossier types plain scalars itself (below), and Yams's default one
            // ran a regular expression per scalar, a sixth of reading a large site's front matter.
            // Aliases and keys are checked before Yams sees them: Yams expands aliases as it
            // composes, and compares keys that are collections recursively (hashing or sorting
            // one took minutes), so such keys never reach it.
            if needsPrescan(text) { try prescan(text) }
            return try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let error as LocalError {
            throw error
        } catch let error as YamlError {
            throw localError(error)
        } catch {
            throw LocalError("\(error)")
        }
    }

    /// How many nodes aliases may add beyond what the text itself writes: a document whose
    /// aliases repeat aliases ("a billion laughs") would otherwise expand without limit.
    static let aliasAllowance = 100_000

    /// Whether the text could hold an alias, an explicit key (`? `) or a collection written as
    /// a key (`[a]: b`): most front matter holds none, and is not read twice.
    static func needsPrescan(_ text: String) -> Bool {
        var sawAnchor = false
        var sawAlias = false
        var afterCloser = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "?"): return true
            case UInt8(ascii: ":"): if afterCloser { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): afterCloser = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "&"): sawAnchor = true
            case UInt8(ascii: "*"): sawAlias = true
            default: break
            }
            if byte != UInt8(ascii: "]") && byte != UInt8(ascii: "}") { afterCloser = false }
        }
        return sawAnchor && sawAlias
    }

    /// Refuses a document whose values, with every alias expanded, outnumber what its text
    /// could write by itself plus ``aliasAllowance`` (go-yaml's "excessive aliasing"), and a
    /// mapping key that is not plain text (a list, a mapping or an alias: Dossier has no use for
    /// them). Read from libyaml's events, counting each anchor's size once: bounded however deep
    /// aliases nest. Syntax errors are left for Yams to report.
    static func prescan(_ text: String) throws(LocalError) {
        let limit = text.utf8.count + aliasAllowance
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        var failure: LocalError?
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchors: [String: Int] = [:]
            // The size of each open collection, with its anchor; for mappings, how many keys
            // and values have come so far (even: the next node is a key).
            var open: [(anchor: String?, size: Int, mapping: Bool, children: Int)] = []
            var expanded = 0
            /// A node starts: refused where a key is expected unless it is plain text.
            func starts(_ event: yaml_event_t, scalar: Bool) -> Bool {
                guard let parent = open.last, parent.mapping, parent.children % 2 == 0, !scalar else { return true }
                failure = LocalError(
                    line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                    "a YAML key must be plain text, not a list, a mapping or an alias",
                    hint: "write the key as text", code: .yamlSyntax)
                return false
            }
            func ends() { if !open.isEmpty { open[open.count - 1].children += 1 } }
            func add(_ size: Int, _ event: yaml_event_t) -> Bool {
                expanded = min(limit + 1, expanded + size)
                if !open.isEmpty { open[open.count - 1].size = min(limit + 1, open[open.count - 1].size + size) }
                guard expanded <= limit else {
                    failure = LocalError(
                        line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                        "YAML aliases expand to too many values (more than 100,000 beyond the text)",
                        hint: "write the values out, or use fewer nested aliases", code: .yamlAliases)
                    return false
                }
                return true
            }
            func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT: return
                case YAML_SCALAR_EVENT:
                    if let anchor = name(event.data.scalar.anchor) { anchors[anchor] = 1 }
                    guard add(1, event) else { return }
                    ends()
                case YAML_SEQUENCE_START_EVENT:
                    guard starts(event, scalar: false) else { return }
                    open.append((name(event.data.sequence_start.anchor), 1, false, 0))
                case YAML_MAPPING_START_EVENT:
                    guard starts(event, scalar: false) else { return }
                    open.append((name(event.data.mapping_start.anchor), 1, true, 0))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { return }
                    if let anchor = closed.anchor { anchors[anchor] = closed.size }
                    expanded = min(limit + 1, expanded + 1)
                    if !open.isEmpty {
                        open[open.count - 1].size = min(limit + 1, open[open.count - 1].size + closed.size)
                    }
                    ends()
                case YAML_ALIAS_EVENT:
                    guard starts(event, scalar: false) else { return }
                    guard add(name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1, event) else { return }
                    ends()
                default: break
                }
            }
        }
        if let failure { throw failure }
    }

    private static func localError(_ error: YamlError) -> LocalError {
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            if let context { return "\(problem) \(context.text)" }
            return problem
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return LocalError(
                line: mark.line, column: mark.column, "invalid YAML: \(describe(context, problem))", code: .yamlSyntax)
        case let .duplicatedKeysInMapping(duplicates, context):
            return LocalError(
                line: context.mark.line, column: context.mark.column,
                "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in YAML mapping",
                code: .yamlSyntax)
        case let .reader(problem, _, _, _):
            return LocalError("invalid YAML: \(problem)", code: .yamlSyntax)
        default:
            return LocalError("invalid YAML: \(error)", code: .yamlSyntax)
        }
    }

    /// Converts a node to a ``Value`` using YAML 1.2 core-schema rules for plain scalars.
    package static func value(_ node: Node) -> Value {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .text(scalar.string) }
            return plainScalar(scalar.string)
        case .sequence(let seq):
            return .array(seq.map(value))
        case .mapping(let map):
            return .object(map.map { (key: $0.key.string ?? "", value: value($0.value)) })
        case .alias:
            return .null
        }
    }

    package static func plainScalar(_ s: String) -> Value {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = Int(s) { return .integer(i) }
        if let first = s.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= 48 && first <= 57),
            let d = DecimalText.parse(s)
        {
            return .number(d)
        }
        if let d = DateValue(iso: s) { return .date(d) }
        return .text(s)
    }
}

extension Node {
    /// The value stored under `key` in a mapping node.
    package subscript(key key: String) -> Node? {
        guard case .mapping(let map) = self else { return nil }
        return map.first { $0.key.string == key }?.value
    }

    /// Pairs of a mapping node in written order.
    package var pairs: [(String, Node)] {
        guard case .mapping(let map) = self else { return [] }
        return map.map { ($0.key.string ?? "", $0.value) }
    }

    /// The pairs of a mapping node by key, each key one of `known`; the first other key is an
    /// error at that key, `unknown(key)` saying where it was found.
    package func knownPairs(_ known: [String], unknown: (String) -> String) throws(LocalError) -> [String: (
        key: Node, value: Node
    )] {
        var pairs: [String: (key: Node, value: Node)] = [:]
        guard case .mapping(let map) = self else { return pairs }
        for pair in map {
            let key = pair.key.string ?? ""
            guard known.contains(key) else {
                throw pair.key.error(unknown(key), hint: "known keys: \(known.joined(separator: ", "))")
            }
            pairs[key] = (pair.key, pair.value)
        }
        return pairs
    }

    package var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }

    package var line: Int? { mark?.line }
    package var column: Int? { mark?.column }

    /// A local error pointing at this node.
    package func error(_ message: String, hint: String? = nil) -> LocalError {
        LocalError(line: mark?.line, column: mark?.column, message, hint: hint)
    }

    /// The node as text, or an error naming what was expected.
    package func text(_ what: String) throws(LocalError) -> String {
        guard case .scalar(let s) = self else { throw error("\(what) must be text") }
        return s.string
    }

    package func bool(_ what: String) throws(LocalError) -> Bool {
        guard case .scalar = self, case .bool(let b) = YAML.value(self) else {
            throw error("\(what) must be true or false")
        }
        return b
    }

    /// A list of strings; a single string is accepted as a list of one.
    package func strings(_ what: String) throws(LocalError) -> [String] {
        switch self {
        case .scalar(let s): return [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq { out.append(try item.text("each entry of \(what)")) }
            return out
        default: throw error("\(what) must be a list of text")
        }
    }
}
