/// One problem found in a project's sources, reported as `path:line:col: error: message`.
public struct Diagnostic: Error, Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var location: SourceLocation
    public var message: String
    /// A short suggestion printed on a second line, when one helps.
    public var hint: String?
    public var severity: Severity = .error
    /// What kind of problem this is; settings act on it.
    public var code: DiagnosticCode

    public init(_ location: SourceLocation, _ message: String, hint: String? = nil, code: DiagnosticCode) {
        self.location = location
        self.message = message
        self.hint = hint
        self.code = code
    }

    /// The same problem as a warning.
    public var asWarning: Diagnostic {
        var copy = self
        copy.severity = .warning
        return copy
    }

    /// The first line of the report, which is what tests and editors match on.
    public var headline: String { "\(location): \(severity.rawValue): \(message)" }

    public var description: String {
        guard let hint else { return headline }
        return headline + "\n  hint: " + hint
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.location, lhs.message) < (rhs.location, rhs.message)
    }
}

/// A problem found inside a piece of text before the caller knows which file the text came from.
///
/// Stages throw this; the loader that read the file turns it into a ``Diagnostic``.
package struct LocalError: Error, Sendable {
    package var line: Int?
    package var column: Int?
    package var message: String
    package var hint: String?
    /// Set where the problem is more particular than its stage (`yaml.syntax` in front matter).
    package var code: DiagnosticCode?

    package init(line: Int? = nil, column: Int? = nil, _ message: String, hint: String? = nil, code: DiagnosticCode? = nil) {
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        self.code = code
    }

    /// The problem in the file at `path`, with the stage's code unless it has its own.
    package func diagnostic(in path: String, lineOffset: Int = 0, code stageCode: DiagnosticCode) -> Diagnostic {
        Diagnostic(
            SourceLocation(path: path, line: line.map { $0 + lineOffset }, column: column),
            message, hint: hint, code: code ?? stageCode)
    }
}

/// The error a build throws when any step found problems: every problem, sorted by place.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    /// The same problem found on many pages (a template's chart on every page made from data)
    /// is reported once.
    public init(_ diagnostics: [Diagnostic]) {
        var unique: [Diagnostic] = []
        for diagnostic in diagnostics.sorted() where unique.last != diagnostic { unique.append(diagnostic) }
        self.diagnostics = unique
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects problems across files so that one build reports all of them.
package struct DiagnosticBag: Sendable {
    package private(set) var items: [Diagnostic] = []

    package init(_ items: [Diagnostic] = []) { self.items = items }

    package mutating func append(_ diagnostic: Diagnostic) { items.append(diagnostic) }
    package mutating func append(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }

    package var isEmpty: Bool { items.isEmpty }

    /// Throws a ``BuildFailure`` holding everything collected so far, if anything was.
    package func throwIfAny() throws(BuildFailure) {
        if !items.isEmpty { throw BuildFailure(items) }
    }
}
