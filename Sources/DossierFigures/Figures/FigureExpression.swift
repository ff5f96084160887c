import Foundation

/// An expression computing a figure from the data: `sum(tenders.amount_kzt, year=2017)`,
/// `ratio(budget_2018_2022, budget_2013_2017)`, a named figure, or a number.
package indirect enum FigureExpression: Sendable, CustomStringConvertible {
    case number(Decimal)
    /// A named figure from `Data/figures.yml`.
    case name(String)
    /// `dataset.column` (or a bare `dataset` for `count`).
    case column(dataset: String, column: String?)
    case call(function: String, arguments: [FigureExpression], filters: [FigureFilter], column: Int)
    /// `a + b`, `a - b`, `a * b`, `a / b`, with the usual precedence and parentheses.
    case binary(op: Character, FigureExpression, FigureExpression, column: Int)

    package var description: String {
        switch self {
        case .number(let d): return DecimalText.plain(d)
        case .name(let n): return n
        case .column(let d, let c): return c.map { "\(d).\($0)" } ?? d
        case .call(let f, let args, let filters, _):
            let parts = args.map(\.description) + filters.map(\.description)
            return "\(f)(\(parts.joined(separator: ", ")))"
        case .binary(let op, let a, let b, _):
            func wrapped(_ e: FigureExpression) -> String {
                if case .binary = e { return "(\(e))" }
                return e.description
            }
            return "\(wrapped(a)) \(op) \(wrapped(b))"
        }
    }

    static let functions = [
        "sum", "count", "count_distinct", "mean", "median", "quantile", "min", "max", "value", "top", "share",
        "ratio", "change", "usd_at", "kzt_at", "rate",
    ]
}

/// A condition on rows in a figure: `year=2017`, `amount>=1000000`, `amount=10000..250000`,
/// `signed=2025-01-01..2025-03-31`, `status in [completed, cancelled]`, `status!=cancelled`.
package struct FigureFilter: Sendable, CustomStringConvertible {
    package enum Op: String, Sendable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case range = "..", oneOf = "in"
    }

    package var column: String
    package var op: Op = .equal
    /// The value compared with, or a range's lower end.
    package var value: Value
    package var upper: Value = .null
    package var values: [Value] = []

    package init(_ column: String, _ value: Value, op: Op = .equal) {
        self.column = column
        self.value = value
        self.op = op
    }

    package var description: String {
        switch op {
        case .range: return "\(column)=\(value.plainText)..\(upper.plainText)"
        case .oneOf: return "\(column) in [\(values.map(\.plainText).joined(separator: ", "))]"
        default: return "\(column)\(op.rawValue)\(value.plainText)"
        }
    }
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

    /// Sums and differences of products and quotients of terms.
    mutating func expression() throws(LocalError) -> FigureExpression {
        var left = try product()
        while true {
            skipSpace()
            guard i < chars.count, chars[i] == "+" || chars[i] == "-" else { return left }
            let op = chars[i]
            let at = i + 1
            i += 1
            left = .binary(op: op, left, try product(), column: at)
        }
    }

    private mutating func product() throws(LocalError) -> FigureExpression {
        var left = try term()
        while true {
            skipSpace()
            guard i < chars.count, chars[i] == "*" || chars[i] == "/" else { return left }
            let op = chars[i]
            let at = i + 1
            i += 1
            left = .binary(op: op, left, try term(), column: at)
        }
    }

    private mutating func term() throws(LocalError) -> FigureExpression {
        skipSpace()
        if i < chars.count, chars[i] == "(" {
            i += 1
            let inner = try expression()
            skipSpace()
            guard i < chars.count, chars[i] == ")" else { throw fail("expected ')'") }
            i += 1
            return inner
        }
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
            var filters: [FigureFilter] = []
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
                if !word.isEmpty, let op = comparison() {
                    skipSpace()
                    filters.append(try filter(word, op))
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

    /// A comparison after a filter's column: `=`, `!=`, `<`, `<=`, `>`, `>=` or ` in `.
    private mutating func comparison() -> FigureFilter.Op? {
        guard i < chars.count else { return nil }
        let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
        for (text, op) in [("!=", FigureFilter.Op.notEqual), ("<=", .lessOrEqual), (">=", .greaterOrEqual)] where two == text {
            i += 2
            return op
        }
        switch chars[i] {
        case "=": i += 1; return .equal
        case "<": i += 1; return .less
        case ">": i += 1; return .greater
        default: break
        }
        if two == "in", i + 2 < chars.count, chars[i + 2] == " " || chars[i + 2] == "[" {
            i += 2
            return .oneOf
        }
        return nil
    }

    /// The value side of a filter: a literal, a range `a..b`, or a list `[a, b]`.
    private mutating func filter(_ column: String, _ op: FigureFilter.Op) throws(LocalError) -> FigureFilter {
        if op == .oneOf {
            guard i < chars.count, chars[i] == "[" else { throw fail("expected a list of values: \(column) in [a, b]") }
            i += 1
            var values: [Value] = []
            while true {
                skipSpace()
                guard i < chars.count else { throw fail("expected ']'") }
                if chars[i] == "]" {
                    i += 1
                    break
                }
                values.append(try literal(until: [",", "]"]))
                skipSpace()
                if i < chars.count, chars[i] == "," { i += 1 }
            }
            var out = FigureFilter(column, .null, op: .oneOf)
            out.values = values
            return out
        }
        // `by=sum(contracts.amount)` (in top): a figure, kept as its text.
        if column == "by", op == .equal {
            let inner = try expression()
            return FigureFilter(column, .text(inner.description), op: .equal)
        }
        let start = i
        let value = try literal()
        if op == .equal, case .text(let text) = value, let dots = text.range(of: ".."), i > start {
            let low = String(text[..<dots.lowerBound]).trimmingCharacters(in: .whitespaces)
            let high = String(text[dots.upperBound...]).trimmingCharacters(in: .whitespaces)
            guard !low.isEmpty, !high.isEmpty else {
                throw LocalError(line: 1, column: start + 1, "a range needs both ends: \(column)=10000..250000")
            }
            var out = FigureFilter(column, YAML.plainScalar(low), op: .range)
            out.upper = YAML.plainScalar(high)
            return out
        }
        return FigureFilter(column, value, op: op)
    }

    /// A filter's value: a quoted string, a number, or a bare word.
    private mutating func literal(until stops: Set<Character> = [",", ")"]) throws(LocalError) -> Value {
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
        while i < chars.count, !stops.contains(chars[i]) {
            text.append(chars[i])
            i += 1
        }
        text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw fail("expected a value") }
        return YAML.plainScalar(text)
    }
}
