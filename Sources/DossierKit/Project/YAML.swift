import Yams

/// Reads YAML through Yams into nodes that remember where they were written.
///
/// Dossier never uses Yams's untyped YAML 1.1 resolution (`NO` → false, `1.10` → 1.1 as a
/// float): plain scalars are typed by ``YAML/value(_:)`` with the rules of YAML 1.2's core schema.
enum YAML {
    /// Parses one YAML document. Errors carry the line and column inside `text`.
    static func compose(_ text: String) throws(LocalError) -> Node? {
        do {
            // An explicit encoding: the default one reads the environment on every call. The
            // basic resolver: Dossier types plain scalars itself (below), and Yams's default one
            // ran a regular expression per scalar, a sixth of reading a large site's front matter.
            let node = try Yams.compose(yaml: text, .basic, .default, .utf8)
            if let node { try checkSize(node, textSize: text.utf8.count) }
            return node
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

    /// Refuses a document whose nodes, with every alias expanded, outnumber what its text
    /// could write by itself plus ``aliasAllowance`` (go-yaml's "excessive aliasing"). The
    /// count stops as soon as it passes the limit, so the check is bounded however deep the
    /// aliases nest.
    static func checkSize(_ root: Node, textSize: Int) throws(LocalError) {
        var budget = textSize + aliasAllowance
        var stack = [root]
        while let node = stack.popLast() {
            budget -= 1
            if budget < 0 {
                throw LocalError(
                    line: node.mark?.line, column: node.mark?.column,
                    "YAML aliases expand to too many values (more than 100,000 beyond the text)",
                    hint: "write the values out, or use fewer nested aliases")
            }
            switch node {
            case .scalar, .alias: break
            case .sequence(let seq): stack.append(contentsOf: seq)
            case .mapping(let map):
                for pair in map {
                    stack.append(pair.key)
                    stack.append(pair.value)
                }
            }
        }
    }

    private static func localError(_ error: YamlError) -> LocalError {
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            if let context { return "\(problem) \(context.text)" }
            return problem
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return LocalError(line: mark.line, column: mark.column, "invalid YAML: \(describe(context, problem))")
        case let .duplicatedKeysInMapping(duplicates, context):
            return LocalError(
                line: context.mark.line, column: context.mark.column,
                "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in YAML mapping")
        case let .reader(problem, _, _, _):
            return LocalError("invalid YAML: \(problem)")
        default:
            return LocalError("invalid YAML: \(error)")
        }
    }

    /// Converts a node to a ``Value`` using YAML 1.2 core-schema rules for plain scalars.
    static func value(_ node: Node) -> Value {
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

    static func plainScalar(_ s: String) -> Value {
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
    subscript(key key: String) -> Node? {
        guard case .mapping(let map) = self else { return nil }
        return map.first { $0.key.string == key }?.value
    }

    /// Pairs of a mapping node in written order.
    var pairs: [(String, Node)] {
        guard case .mapping(let map) = self else { return [] }
        return map.map { ($0.key.string ?? "", $0.value) }
    }

    /// The pairs of a mapping node by key, each key one of `known`; the first other key is an
    /// error at that key, `unknown(key)` saying where it was found.
    func knownPairs(_ known: [String], unknown: (String) -> String) throws(LocalError) -> [String: (
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

    var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }

    var line: Int? { mark?.line }
    var column: Int? { mark?.column }

    /// A local error pointing at this node.
    func error(_ message: String, hint: String? = nil) -> LocalError {
        LocalError(line: mark?.line, column: mark?.column, message, hint: hint)
    }

    /// The node as text, or an error naming what was expected.
    func text(_ what: String) throws(LocalError) -> String {
        guard case .scalar(let s) = self else { throw error("\(what) must be text") }
        return s.string
    }

    func bool(_ what: String) throws(LocalError) -> Bool {
        guard case .scalar = self, case .bool(let b) = YAML.value(self) else {
            throw error("\(what) must be true or false")
        }
        return b
    }

    /// A list of strings; a single string is accepted as a list of one.
    func strings(_ what: String) throws(LocalError) -> [String] {
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
