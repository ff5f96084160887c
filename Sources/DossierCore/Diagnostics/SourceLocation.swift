/// A place in a project file, printed as `path:line:column` with the path relative to the project root.
///
/// Lines and columns count from 1. For datasets the line is the line of the file on which the
/// record starts and the column is the 1-based index of the field in that record, so
/// `Data/tenders.csv:41:6` is the sixth field of the record that starts on line 41.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        switch (line, column) {
        case let (line?, column?): return "\(path):\(line):\(column)"
        case let (line?, nil): return "\(path):\(line)"
        default: return path
        }
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        // A place without a line (a whole file) comes after the lines of the same file.
        (lhs.path, lhs.line ?? Int.max, lhs.column ?? 0) < (rhs.path, rhs.line ?? Int.max, rhs.column ?? 0)
    }

    /// The same location moved down by `lines` lines, for text that starts part-way into a file.
    package func shifted(lines: Int) -> SourceLocation {
        var copy = self
        copy.line = line.map { $0 + lines }
        return copy
    }
}
