import Foundation
import Yams

/// A figure written in an article: computed (`{{= expr | transform }}`) or a typed claim
/// checked against the data (`{{claim 2.8 ≈ expr ± 5%}}`).
struct FigureUse: Sendable {
    enum Kind: Sendable {
        case computed(transform: String?)
        case claim(typed: String, tolerance: Decimal)
    }
    var kind: Kind
    var expression: String
    /// Where the `{{` was written, counted in the body from 1.
    var line: Int
    var column: Int
    /// Where the expression starts inside the tag, for errors inside it.
    var expressionColumn: Int
}

/// One line of `dossier check --figures`.
public struct FigureReport: Sendable {
    public var location: SourceLocation
    public var formula: String
    public var value: String
    public var sources: [String]
    /// For claims: what was typed, and whether it matches.
    public var typed: String?
    public var matches: Bool
}

/// Finds figures in Markdown, puts placeholders in their place for cmark-gfm, and puts the
/// computed values back into the HTML.
enum FigureStage {
    static func placeholder(_ n: Int) -> String { "XDOSSIERFIGURE\(n)X" }

    /// The body with every figure replaced by a placeholder, and the figures in order.
    /// Fenced code blocks are left alone.
    static func extract(_ body: String) throws(LocalError) -> (String, [FigureUse]) {
        guard hasDoubleBrace(body) else { return (body, []) }
        var uses: [FigureUse] = []
        var out: [String] = []
        var inFence = false
        for (l, line) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle() }
            guard !inFence, line.contains("{{") else {
                out.append(String(line))
                continue
            }
            var result = ""
            var rest = Substring(line)
            while let open = rest.range(of: "{{") {
                result += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].range(of: "}}") else {
                    throw LocalError(
                        line: l + 1, column: line.distance(from: line.startIndex, to: open.lowerBound) + 1,
                        "figure is not closed with }}")
                }
                let inner = String(rest[open.upperBound..<close.lowerBound])
                let column = line.distance(from: line.startIndex, to: open.lowerBound) + 1
                if inner.hasPrefix("=") {
                    var expression = String(inner.dropFirst())
                    var transform: String?
                    if let bar = expression.lastIndex(of: "|") {
                        transform = expression[expression.index(after: bar)...].trimmingCharacters(in: .whitespaces)
                        expression = String(expression[..<bar])
                    }
                    if let transform, !NumberFormat.numberTransforms.contains(where: { $0.name == transform }) {
                        throw LocalError(
                            line: l + 1, column: column, "unknown format '\(transform)'",
                            hint: "use one of \(NumberFormat.numberTransforms.map(\.name).joined(separator: ", "))")
                    }
                    let leading = expression.prefix { $0 == " " }.count
                    uses.append(
                        FigureUse(
                            kind: .computed(transform: transform),
                            expression: expression.trimmingCharacters(in: .whitespaces), line: l + 1, column: column,
                            expressionColumn: column + 3 + leading))
                } else if inner.hasPrefix("claim ") {
                    let claim = String(inner.dropFirst(6))
                    let separators = ["≈", "~=", "="]
                    guard let separator = separators.compactMap({ claim.range(of: $0) }).first else {
                        throw LocalError(line: l + 1, column: column, "a claim reads {{claim TYPED ≈ FIGURE ± 5%}}")
                    }
                    let typed = claim[..<separator.lowerBound].trimmingCharacters(in: .whitespaces)
                    var expression = String(claim[separator.upperBound...])
                    var tolerance = Decimal(string: "0.01")!
                    if let pm = expression.range(of: "±") ?? expression.range(of: "+-") {
                        let text = expression[pm.upperBound...].trimmingCharacters(in: .whitespaces)
                            .replacingOccurrences(of: "%", with: "")
                        guard let t = DecimalText.parse(text) else {
                            throw LocalError(
                                line: l + 1, column: column, "tolerance '\(text)' is not a number of per cent")
                        }
                        tolerance = t / 100
                        expression = String(expression[..<pm.lowerBound])
                    }
                    let offset = claim.distance(from: claim.startIndex, to: separator.upperBound)
                    uses.append(
                        FigureUse(
                            kind: .claim(typed: typed, tolerance: tolerance),
                            expression: expression.trimmingCharacters(in: .whitespaces), line: l + 1, column: column,
                            expressionColumn: column + 8 + offset))
                } else {
                    // Not a figure: leave it as written.
                    result += rest[open.lowerBound..<close.upperBound]
                    rest = rest[close.upperBound...]
                    continue
                }
                result += placeholder(uses.count - 1)
                rest = rest[close.upperBound...]
            }
            out.append(result + rest)
        }
        return (out.joined(separator: "\n"), uses)
    }

    /// Whether the text has `{{` anywhere: a byte scan, as Foundation's `contains` took most of
    /// a 10,000-article rebuild.
    static func hasDoubleBrace(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x7B && previous == 0x7B { return true }
            previous = byte
        }
        return false
    }

    /// Reads `Data/figures.yml`: each key a name, each value an expression.
    static func loadNamed(_ project: Project) -> ([String: FigureExpression], [Diagnostic]) {
        for ext in ["yml", "yaml"] {
            let url = project.data.appendingPathComponent("figures.\(ext)")
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let path = project.relative(url)
            do throws(Diagnostic) {
                let text = try SourceFiles.readText(url, relativePath: path)
                var named: [String: FigureExpression] = [:]
                var problems: [Diagnostic] = []
                do throws(LocalError) {
                    guard let root = try YAML.compose(text) else { return ([:], []) }
                    guard case .mapping(let map) = root else {
                        throw root.error("figures.yml must map names to figures")
                    }
                    for pair in map {
                        let name = pair.key.string ?? ""
                        let source = try pair.value.text(name)
                        do throws(LocalError) {
                            named[name] = try FigureParser.parse(source)
                        } catch {
                            problems.append(
                                Diagnostic(
                                    SourceLocation(
                                        path: path, line: pair.value.line,
                                        column: (pair.value.column ?? 1) + (error.column ?? 1) - 1), error.message,
                                    hint: error.hint))
                        }
                    }
                } catch {
                    problems.append(error.diagnostic(in: path))
                }
                return (named, problems)
            } catch {
                return ([:], [error])
            }
        }
        return ([:], [])
    }

    /// A typed quantity: `2.8`, `39 million tenge`, `$100.73 thousand`, `1.7 bn`, `72 per cent`.
    static func quantity(_ typed: String) -> Decimal? {
        let words = typed.lowercased().replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "$", with: " ")
            .replacingOccurrences(of: "₸", with: " ").split(separator: " ")
        var number: Decimal?
        var scale: Decimal = 1
        for word in words {
            if number == nil, let d = DecimalText.parse(String(word)) {
                number = d
                continue
            }
            switch word {
            case "thousand", "k", "тыс", "тыс.": scale = 1_000
            case "million", "m", "mn", "млн": scale = 1_000_000
            case "billion", "bn", "млрд": scale = 1_000_000_000
            case "trillion", "tn": scale = Decimal(string: "1000000000000")!
            default: break
            }
        }
        return number.map { $0 * scale }
    }
}
