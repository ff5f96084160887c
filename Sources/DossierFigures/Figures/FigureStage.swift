import Foundation
import Yams

/// A figure written in an article: computed (`{{= expr | transform }}`) or a typed claim
/// checked against the data (`{{claim 2.8 ≈ expr ± 5%}}`).
package struct FigureUse: Sendable {
    enum Kind: Sendable {
        case computed(transform: String?)
        /// `disputed`: the text quotes a figure the data contradicts (`≠`), and the build checks
        /// that it still does.
        case claim(typed: String, tolerance: Decimal, disputed: Bool)
    }
    var kind: Kind
    package var expression: String
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
    /// Where the rows come from, and the rates used.
    public var notes: [String] = []
    /// A claim the text marks as contradicted by the data (`≠`).
    public var disputed = false
}

/// Finds figures in Markdown, puts placeholders in their place for cmark-gfm, and puts the
/// computed values back into the HTML.
package enum FigureStage {
    static func placeholder(_ n: Int) -> String { "XDOSSIERFIGURE\(n)X" }

    /// The body with every figure replaced by a placeholder, and the figures in order.
    /// Fenced code blocks are left alone.
    package static func extract(_ body: String) throws(LocalError) -> (String, [FigureUse]) {
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
                    let separators = ["≠", "!=", "≈", "~=", "="]
                    guard let separator = separators.compactMap({ claim.range(of: $0) }).first else {
                        throw LocalError(
                            line: l + 1, column: column, "a claim reads {{claim TYPED ≈ FIGURE ± 5%}}",
                            hint: "or {{claim TYPED ≠ FIGURE}} for a figure the data contradicts")
                    }
                    let disputed = ["≠", "!="].contains(String(claim[separator]))
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
                        guard t >= 0, t <= 100 else {
                            throw LocalError(
                                line: l + 1, column: column, "tolerance '\(text)%' must be from 0% to 100%")
                        }
                        tolerance = t / 100
                        expression = String(expression[..<pm.lowerBound])
                    }
                    let offset = claim.distance(from: claim.startIndex, to: separator.upperBound)
                    uses.append(
                        FigureUse(
                            kind: .claim(typed: typed, tolerance: tolerance, disputed: disputed),
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
        Bytes.contains("{{", in: text)
    }

    /// Reads `Data/figures.yml`: each key a name, each value an expression.
    package static func loadNamed(_ project: Project) -> ([String: FigureExpression], [Diagnostic]) {
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
                                    hint: error.hint, code: .figureSyntax))
                        }
                    }
                } catch {
                    problems.append(error.diagnostic(in: path, code: .figureSyntax))
                }
                return (named, problems)
            } catch {
                return ([:], [error])
            }
        }
        return ([:], [])
    }

    /// Adds the named figures datasets define (schema `figures: {name: id, value: value}`): one
    /// per row, `value(DATASET.VALUE, NAME=row's name)`.
    package static func addDatasetFigures(_ datasets: [Dataset], to named: inout [String: FigureExpression]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for dataset in datasets {
            guard let nameColumn = dataset.meta.figureName, let valueColumn = dataset.meta.figureValue else { continue }
            let schemaPath = (dataset.path as NSString).deletingPathExtension + ".schema.yml"
            let location = SourceLocation(
                path: schemaPath, line: dataset.meta.figuresLine ?? 1, column: dataset.meta.figuresColumn ?? 1)
            var missing = false
            for column in [nameColumn, valueColumn] where dataset.columnIndex(column) == nil {
                problems.append(
                    Diagnostic(
                        location, "figures: dataset '\(dataset.name)' has no column '\(column)'",
                        hint: "its columns: \(dataset.columns.map(\.name).joined(separator: ", "))", code: .figureUnknownColumn))
                missing = true
            }
            guard !missing, let n = dataset.columnIndex(nameColumn) else { continue }
            for row in 0..<dataset.rowCount {
                let name = dataset[row, n].plainText
                guard !name.isEmpty else { continue }
                if named[name] != nil {
                    problems.append(
                        Diagnostic(
                            location,
                            "figure '\(name)' (row \(row + 1) of \(dataset.path)) is already defined",
                            hint: "each named figure needs one definition, in Data/figures.yml or in one dataset", code: .figureDuplicate))
                    continue
                }
                named[name] = .call(
                    function: "value", arguments: [.column(dataset: dataset.name, column: valueColumn)],
                    filters: [FigureFilter(nameColumn, dataset[row, n])], column: 1)
            }
        }
        return problems
    }

    /// A typed quantity: `2.8`, `39 million tenge`, `$100.73 thousand`, `1.7 bn`, `72 per cent`.
    static func quantity(_ typed: String) -> Decimal? { TypedQuantity(typed)?.value }
}
