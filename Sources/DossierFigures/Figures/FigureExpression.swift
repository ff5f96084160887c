import Foundation

/// An expression computing a figure from the data: `sum(tenders.amount_kzt, year=2017)`,
/// `ratio(budget_2018_2022, budget_2013_2017)`, a named figure, or a number.
package indirect enum FigureExpression: Sendable, CustomStringConvertible {
    case number(Decimal)
    /// A named figure from `Data/figures.yml`.
    case name(String)
    /// `dataset.column` (or a bare `dataset` for `count`).
    case column(dataset: String, column: String?)
    case call(function: String, arguments: [FigureExpression], filters: [(column: String, value: Value)], column: Int)

    package var description: String {
        switch self {
        case .number(let d): return DecimalText.plain(d)
        case .name(let n): return n
        case .column(let d, let c): return c.map { "\(d).\($0)" } ?? d
        case .call(let f, let args, let filters, _):
            let parts = args.map(\.description) + filters.map { "\($0.column)=\($0.value.plainText)" }
            return "\(f)(\(parts.joined(separator: ", ")))"
        }
    }

    static let functions = [
        "sum", "count", "mean", "min", "max", "value", "share", "ratio", "change", "usd_at", "kzt_at", "rate",
    ]
}

/// Parses figure expressions. Errors carry the column inside the expression text.
package struct FigureParser {
    private let chars: [Character]
    private var i = 0

    init(_ text: String) { chars = Array(text) }

    package static func parse(_ text: String) throws(LocalError) -> FigureExpression {
        var parser = FigureParser(text)
        let expression = try parser.expression()
        parser.skipSpace()
        guard parser.i == parser.chars.count else { throw parser.fail("unexpected '\(parser.chars[parser.i])'") }
        return expression
    }

    private func fail(_ message: String) -> LocalError { LocalError(line: 1, column: i + 1, message) }

    private mutating func skipSpace() { while i < chars.count, chars[i] == " " { i += 1 } }

    private mutating func identifier() -> String {
        var out = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "-" {
            out.append(chars[i])
            i += 1
        }
        return out
    }

    mutating func expression() throws(LocalError) -> FigureExpression {
        skipSpace()
        guard i < chars.count else { throw fail("expected a figure") }
        let start = i
        if chars[i].isNumber || chars[i] == "-" {
            var text = ""
            while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "-" {
                text.append(chars[i])
                i += 1
            }
            guard let value = DecimalText.parse(text) else { throw fail("'\(text)' is not a number") }
            return .number(value)
        }
        let name = identifier()
        guard !name.isEmpty else { throw fail("expected a name, a number or a function") }
        skipSpace()
        if i < chars.count, chars[i] == "(" {
            i += 1
            var arguments: [FigureExpression] = []
            var filters: [(String, Value)] = []
            skipSpace()
            if i < chars.count, chars[i] == ")" {
                i += 1
                return .call(function: name, arguments: [], filters: [], column: start + 1)
            }
            while true {
                skipSpace()
                let save = i
                let word = identifier()
                skipSpace()
                if !word.isEmpty, i < chars.count, chars[i] == "=" {
                    i += 1
                    skipSpace()
                    filters.append((word, try literal()))
                } else {
                    i = save
                    arguments.append(try expression())
                }
                skipSpace()
                guard i < chars.count else { throw fail("expected ',' or ')'") }
                if chars[i] == "," {
                    i += 1
                    continue
                }
                if chars[i] == ")" {
                    i += 1
                    break
                }
                throw fail("expected ',' or ')'")
            }
            return .call(function: name, arguments: arguments, filters: filters, column: start + 1)
        }
        if i < chars.count, chars[i] == "." {
            i += 1
            let column = identifier()
            guard !column.isEmpty else { throw fail("expected a column name after '\(name).'") }
            return .column(dataset: name, column: column)
        }
        return .name(name)
    }

    /// A filter's value: a quoted string, a number, or a bare word.
    private mutating func literal() throws(LocalError) -> Value {
        guard i < chars.count else { throw fail("expected a value") }
        if chars[i] == "\"" || chars[i] == "'" {
            let quote = chars[i]
            i += 1
            var text = ""
            while i < chars.count, chars[i] != quote {
                text.append(chars[i])
                i += 1
            }
            guard i < chars.count else { throw fail("unterminated quoted value") }
            i += 1
            return .text(text)
        }
        var text = ""
        while i < chars.count, chars[i] != ",", chars[i] != ")" {
            text.append(chars[i])
            i += 1
        }
        text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw fail("expected a value") }
        return YAML.plainScalar(text)
    }
}
