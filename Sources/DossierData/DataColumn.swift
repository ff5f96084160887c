import Foundation

/// The values of one dataset column, stored compactly by type: whole numbers as `Int`,
/// decimals as `Decimal`, and text as a pool of distinct strings with one small code per row,
/// so that a column of a million repeated statuses holds four strings.
public struct DataColumn: Sendable {
    enum Storage: Sendable {
        case integers([Int])
        case numbers([Decimal])
        /// `codes[i]` indexes `pool`; -1 is an empty cell.
        case texts(pool: TextPool, codes: [Int32])
        /// Dates the same way: a register of a million rows on a few hundred days.
        case dates(pool: [DateValue], codes: [Int32])
        /// Anything else (dates, booleans, nested JSON), one value per row.
        case values([Value])
    }

    var storage: Storage
    /// For integer and number columns: which rows are empty. Empty when none is.
    var missing: [Bool]

    public var count: Int {
        switch storage {
        case .integers(let a): return a.count
        case .numbers(let a): return a.count
        case .texts(_, let codes): return codes.count
        case .dates(_, let codes): return codes.count
        case .values(let a): return a.count
        }
    }

    /// The value in row `i`.
    public subscript(i: Int) -> Value {
        switch storage {
        case .integers(let a): return !missing.isEmpty && missing[i] ? .null : .integer(a[i])
        case .numbers(let a): return !missing.isEmpty && missing[i] ? .null : .number(a[i])
        case .texts(let pool, let codes):
            let code = codes[i]
            return code < 0 ? .null : .text(pool[Int(code)])
        case .dates(let pool, let codes):
            let code = codes[i]
            return code < 0 ? .null : .date(pool[Int(code)])
        case .values(let a): return a[i]
        }
    }

    /// The number in row `i`, without building a ``Value``.
    package func decimal(at i: Int) -> Decimal? {
        switch storage {
        case .integers(let a): return !missing.isEmpty && missing[i] ? nil : Decimal(a[i])
        case .numbers(let a): return !missing.isEmpty && missing[i] ? nil : a[i]
        case .values(let a): return a[i].decimal
        case .texts, .dates: return nil
        }
    }

    /// Numbers each distinct value of the given rows in order of first appearance: `codes[i]`
    /// is the group of `rows[i]`, `values[g]` the value of group `g`. Text and whole-number
    /// columns are grouped without building a ``Value`` per row.
    package func groups(_ rows: [Int]) -> (codes: [Int32], values: [Value]) {
        var codes = [Int32](repeating: 0, count: rows.count)
        var values: [Value] = []
        switch storage {
        case .texts(let pool, let poolCodes) where rows.count * 16 < pool.count:
            // A few rows of a column with many distinct texts (one entity's lots of a million):
            // a table of the pool's size would be cleared for every call.
            var dense: [Int32: Int32] = [:]
            for (i, r) in rows.enumerated() {
                let slot = poolCodes[r] + 1  // slot 0 is the empty cell
                if let code = dense[slot] {
                    codes[i] = code
                } else {
                    let code = Int32(values.count)
                    dense[slot] = code
                    values.append(slot == 0 ? .null : .text(pool[Int(slot) - 1]))
                    codes[i] = code
                }
            }
        case .texts(let pool, let poolCodes):
            var dense = [Int32](repeating: -1, count: pool.count + 1)
            for (i, r) in rows.enumerated() {
                let slot = Int(poolCodes[r]) + 1  // slot 0 is the empty cell
                if dense[slot] < 0 {
                    dense[slot] = Int32(values.count)
                    values.append(slot == 0 ? .null : .text(pool[slot - 1]))
                }
                codes[i] = dense[slot]
            }
        case .integers(let ints) where missing.isEmpty:
            var dense: [Int: Int32] = [:]
            for (i, r) in rows.enumerated() {
                let n = ints[r]
                if let code = dense[n] {
                    codes[i] = code
                } else {
                    let code = Int32(values.count)
                    dense[n] = code
                    values.append(.integer(n))
                    codes[i] = code
                }
            }
        default:
            var dense: [Value: Int32] = [:]
            for (i, r) in rows.enumerated() {
                let v = self[r]
                if let code = dense[v] {
                    codes[i] = code
                } else {
                    let code = Int32(values.count)
                    dense[v] = code
                    values.append(v)
                    codes[i] = code
                }
            }
        }
        return (codes, values)
    }

    /// The whole number in row `i` of an integer column without empty cells, for fast sums.
    package var integers: [Int]? {
        if case .integers(let a) = storage, missing.isEmpty { return a }
        return nil
    }

    /// The sum of the numbers at `rows` (empty cells left out), or nil when there is none. An
    /// integer column is summed as integers while they fit, as adding decimals one by one was
    /// a percent of building 100,000 pages made from data.
    package func sum(at rows: [Int]) -> Decimal? {
        if case .integers(let a) = storage {
            var total = 0
            var any = false
            var overflow = false
            for r in rows where missing.isEmpty || !missing[r] {
                let (next, over) = total.addingReportingOverflow(a[r])
                if over {
                    overflow = true
                    break
                }
                total = next
                any = true
            }
            if !overflow { return any ? Decimal(total) : nil }
        }
        let values = rows.compactMap { decimal(at: $0) }
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    /// A column of arbitrary values, stored by the narrowest storage that holds them.
    package init(_ values: [Value], type: ColumnType) {
        missing = []
        switch type {
        case .integer:
            var ints = [Int](repeating: 0, count: values.count)
            var missing = [Bool](repeating: false, count: values.count)
            var anyMissing = false
            for (i, v) in values.enumerated() {
                if case .integer(let n) = v { ints[i] = n } else { missing[i] = true; anyMissing = true }
            }
            storage = .integers(ints)
            self.missing = anyMissing ? missing : []
        case .number:
            var numbers = [Decimal](repeating: 0, count: values.count)
            var missing = [Bool](repeating: false, count: values.count)
            var anyMissing = false
            for (i, v) in values.enumerated() {
                if let d = v.decimal { numbers[i] = d } else { missing[i] = true; anyMissing = true }
            }
            storage = .numbers(numbers)
            self.missing = anyMissing ? missing : []
        case .text:
            var pool = StringInterner()
            let codes = values.map { v -> Int32 in
                if case .text(let s) = v { return pool.code(for: s) }
                return -1
            }
            storage = .texts(pool: TextPool(pool.strings), codes: codes)
        default:
            storage = .values(values)
        }
    }

    /// A column of `count` empty cells: a file of a many-file dataset without this column.
    static func empty(_ type: ColumnType, count: Int) -> DataColumn {
        switch type {
        case .integer: return DataColumn(storage: .integers(Array(repeating: 0, count: count)), missing: Array(repeating: true, count: count))
        case .number: return DataColumn(storage: .numbers(Array(repeating: 0, count: count)), missing: Array(repeating: true, count: count))
        case .text: return DataColumn(storage: .texts(pool: TextPool(), codes: Array(repeating: -1, count: count)))
        default: return DataColumn(storage: .values(Array(repeating: .null, count: count)))
        }
    }

    /// `values[i]` repeated `counts[i]` times, one after the other: a column made from the
    /// files' paths, one value per file.
    static func repeating(_ values: [Value], counts: [Int], type: ColumnType) -> DataColumn {
        let total = counts.reduce(0, +)
        switch type {
        case .integer:
            var ints: [Int] = []
            var missing: [Bool] = []
            ints.reserveCapacity(total)
            for (value, n) in zip(values, counts) {
                let whole: Int? = if case .integer(let i) = value { i } else { nil }
                if whole == nil && missing.isEmpty { missing = Array(repeating: false, count: ints.count) }
                ints.append(contentsOf: repeatElement(whole ?? 0, count: n))
                if !missing.isEmpty { missing.append(contentsOf: repeatElement(whole == nil, count: n)) }
            }
            return DataColumn(storage: .integers(ints), missing: missing)
        default:
            var pool = StringInterner()
            var codes: [Int32] = []
            codes.reserveCapacity(total)
            for (value, n) in zip(values, counts) {
                let code: Int32 = if case .text(let text) = value { pool.code(for: text) } else { -1 }
                codes.append(contentsOf: repeatElement(code, count: n))
            }
            return DataColumn(storage: .texts(pool: TextPool(pool.strings), codes: codes))
        }
    }

    /// Only the given rows, in order.
    func keeping(_ rows: [Int]) -> DataColumn {
        let missing = self.missing.isEmpty ? [] : rows.map { self.missing[$0] }
        switch storage {
        case .integers(let a): return DataColumn(storage: .integers(rows.map { a[$0] }), missing: missing)
        case .numbers(let a): return DataColumn(storage: .numbers(rows.map { a[$0] }), missing: missing)
        case .texts(let pool, let codes): return DataColumn(storage: .texts(pool: pool, codes: rows.map { codes[$0] }))
        case .dates(let pool, let codes): return DataColumn(storage: .dates(pool: pool, codes: rows.map { codes[$0] }))
        case .values(let a): return DataColumn(storage: .values(rows.map { a[$0] }))
        }
    }

    /// The columns one after the other, all of one type (the parts of a many-file dataset).
    static func concatenate(_ parts: [DataColumn]) -> DataColumn {
        guard let first = parts.first else { return DataColumn(storage: .values([])) }
        if parts.count == 1 { return first }
        let anyMissing = parts.contains { !$0.missing.isEmpty }
        let missing = anyMissing ? parts.flatMap { $0.missing.isEmpty ? Array(repeating: false, count: $0.count) : $0.missing } : []
        switch first.storage {
        case .integers:
            return DataColumn(storage: .integers(parts.flatMap { if case .integers(let a) = $0.storage { return a }; return [] }), missing: missing)
        case .numbers:
            return DataColumn(storage: .numbers(parts.flatMap { if case .numbers(let a) = $0.storage { return a }; return [] }), missing: missing)
        case .texts:
            var pool = StringInterner()
            var codes: [Int32] = []
            codes.reserveCapacity(parts.reduce(0) { $0 + $1.count })
            for part in parts {
                guard case .texts(let strings, let partCodes) = part.storage else { continue }
                let map = strings.map { pool.code(for: $0) }
                codes.append(contentsOf: partCodes.map { $0 < 0 ? -1 : map[Int($0)] })
            }
            return DataColumn(storage: .texts(pool: TextPool(pool.strings), codes: codes))
        case .dates, .values:
            return DataColumn(storage: .values(parts.flatMap { part in (0..<part.count).map { part[$0] } }))
        }
    }

    /// A text column with its strings replaced (`rename(index, old)` is the new spelling), merging
    /// strings that become equal.
    func renamingTexts(_ rename: (Int, String) -> String) -> DataColumn {
        guard case .texts(let strings, let codes) = storage else { return self }
        var pool = StringInterner()
        let map = strings.enumerated().map { pool.code(for: rename($0, $1)) }
        return DataColumn(storage: .texts(pool: TextPool(pool.strings), codes: codes.map { $0 < 0 ? -1 : map[Int($0)] }))
    }

    init(storage: Storage, missing: [Bool] = []) {
        self.storage = storage
        self.missing = missing
    }
}

/// Interns strings: each distinct string is stored once and named by a code.
struct StringInterner {
    private(set) var strings: [String] = []
    private var codes: [String: Int32] = [:]

    mutating func code(for text: String) -> Int32 {
        if let code = codes[text] { return code }
        let code = Int32(strings.count)
        strings.append(text)
        codes[text] = code
        return code
    }
}
