import Foundation

/// The type of a dataset column.
public enum ColumnType: String, Sendable, CaseIterable {
    case text, integer, number, date, boolean
}

/// A column of a dataset, as declared in its schema or inferred from its values.
public struct Column: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    /// A human label for tables and charts; the name when none is given.
    public var label: String
    /// A unit or currency code: `KZT`, `USD`, `%`, `lots`.
    public var unit: String?
    public var required: Bool
    /// The only values allowed, when the schema lists them.
    public var allowed: [String]?
    public var description: String?
    /// Digits after the decimal separator when the column's amounts are shown (`decimals: 2`).
    public var decimals: Int?
    /// `source` for a column that says where each row comes from (a document, page or URL):
    /// figures, charts and entity pages cite it.
    public var role: String?

    public init(
        name: String, type: ColumnType, label: String? = nil, unit: String? = nil, required: Bool = false,
        allowed: [String]? = nil, description: String? = nil
    ) {
        self.name = name
        self.type = type
        self.label = label ?? name
        self.unit = unit
        self.required = required
        self.allowed = allowed
        self.description = description
    }

    public var isNumeric: Bool { type == .integer || type == .number }
}

/// Where a dataset comes from and under what terms, from its schema.
public struct DatasetMeta: Sendable {
    public var title: String?
    public var sourceName: String?
    public var sourceURL: String?
    public var retrieved: DateValue?
    public var licence: String?
    public var notes: String?
    /// Named figures the dataset defines: one per row, named by `figureName`, valued by
    /// `figureValue` (schema `figures: {name: id, value: value}`), and where that was declared.
    public var figureName: String?
    public var figureValue: String?
    package var figuresLine: Int?
    package var figuresColumn: Int?

    /// No metadata (the stages above build tables of their own, such as a page's figures).
    package init() {}
}

/// One file a dataset was read from.
public struct DatasetFile: Sendable, Hashable {
    /// Relative to the project root.
    public var path: String
    /// Its path inside `Data/`: what the file column says.
    public var label: String
    /// Rows read, and rows left out by `on_error: skip`.
    public var rows: Int
    public var skipped: Int
    /// Lines left out as no rows of data: totals lines (`totals: drop`) and lines of empty
    /// fields. With `rows` and `skipped`, every line of the file after its header.
    public var notData = 0
    public var url: URL?
    public var byteCount = 0
    public var sha256: String?

    package init(path: String, label: String, rows: Int, skipped: Int) {
        self.path = path
        self.label = label
        self.rows = rows
        self.skipped = skipped
    }
}

/// A table of typed values read from `Data/NAME.csv`, `.json`, `.yml` or `.yaml`, stored
/// column by column.
public struct Dataset: Sendable {
    /// The file name without its extension; how templates and charts refer to it.
    public var name: String
    /// The file, relative to the project root.
    public var path: String
    public var columns: [Column]
    /// The values, one ``DataColumn`` per column, in column order.
    public var data: [DataColumn]
    public var rowCount: Int
    public var meta: DatasetMeta
    /// Whether a `NAME.schema.yml` declared the columns.
    public var hasSchema: Bool
    /// The SHA-256 of the file, as 64 hex digits, when the site build asked for it.
    public var sha256: String?
    /// The file itself, for the copy on the data-and-sources page.
    public var sourceURL: URL?
    public var byteCount: Int = 0
    /// The files read, in order (one for a dataset of one file).
    public var files: [DatasetFile] = []
    /// Rows left out because their values did not read (`on_error: skip`).
    public var skippedRows: Int { files.reduce(0) { $0 + $1.skipped } }
    /// What reading it warned of (rows skipped, likely duplicate names): said again when a
    /// rebuild takes the dataset from its cache.
    package var warnings: [Diagnostic] = []
    /// Changes whenever the file or its schema changes: what caches of later stages key on.
    package var signature: Int = 0
    /// The memory its files were estimated to need when it was read (``MemoryBudget``): what
    /// a rebuild that takes it from its cache counts against the budget.
    package var memoryNeeded: Int64 = 0

    /// A table built by a stage above this one (a page's figures as a chart's data).
    package init(
        name: String, path: String, columns: [Column], data: [DataColumn], rowCount: Int, meta: DatasetMeta,
        hasSchema: Bool
    ) {
        self.name = name
        self.path = path
        self.columns = columns
        self.data = data
        self.rowCount = rowCount
        self.meta = meta
        self.hasSchema = hasSchema
    }

    /// The index of a column by name.
    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The column that says where each row comes from (`role: source`), if there is one.
    package var sourceColumn: Int? { columns.firstIndex { $0.role == "source" } }

    /// The distinct non-empty values of the source column among `rows`, in order of first use.
    package func rowSources(_ rows: [Int]) -> [String] {
        guard let s = sourceColumn else { return [] }
        var seen = Set<String>()
        return rows.map { self[$0, s].plainText }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The value at a row and column.
    public subscript(row: Int, column: Int) -> Value { data[column][row] }

    /// Every row as a list of values, in column order. This builds every value: large
    /// datasets are better read column by column.
    public var rows: [[Value]] {
        (0..<rowCount).map { r in data.map { $0[r] } }
    }
}

extension Dataset {
    /// The key of a column's label in a language's words: `label_DATASET_COLUMN`, each name's
    /// characters other than letters, digits and `_` written as `_` (`label_budgets_period`).
    public static func labelKey(dataset: String, column: String) -> String {
        func clean(_ text: String) -> String {
            String(text.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        }
        return "label_" + clean(dataset) + "_" + clean(column)
    }

    /// The dataset with its columns' labels in a page's language, where its words have them
    /// (`Templates/i18n/ru.yml`: `label_budgets_period: Период`); the rows are shared, not copied.
    public func relabeled(_ words: Words) -> Dataset {
        guard words.hasLabels else { return self }
        var copy = self
        for c in copy.columns.indices {
            if let label = words.table[Dataset.labelKey(dataset: name, column: copy.columns[c].name)] {
                copy.columns[c].label = label
            }
        }
        return copy
    }
}
