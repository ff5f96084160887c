import Foundation
import Testing

@testable import DossierCore
@testable import DossierData

@Suite struct DataColumnTests {
    /// Texts packed end to end read back as written: across the megabyte blocks, a text with a
    /// block of its own, empty and multi-byte texts, after texts kept as strings.
    @Test func packedTextsReadBackAsWritten() {
        var pool = TextPool(["kept", "Алматы"])
        var want = ["kept", "Алматы"]
        for i in 0..<40_000 {
            let text =
                switch i % 5 {
                case 0: String(repeating: "описание \(i) ", count: i % 13)
                case 1: ""
                case 2: "x"
                case 3: String(repeating: "long", count: i == 3 ? 70_000 : 40)
                default: "Supplier \(i) Ltd — «Ай»"
                }
            pool.appendPacked(text)
            want.append(text)
        }
        #expect(pool.count == want.count)
        #expect(Array(pool) == want)
    }

    /// A CSV column of nearly all distinct texts is packed after its first rows, and reads the
    /// same as one kept as strings.
    @Test func aColumnOfDistinctTextsIsPackedAndReadsTheSame() throws {
        var csv = "id,description,kind\n"
        for i in 0..<70_000 { csv += "\(i),\"Contract \(i) for the supply of \(i % 3 == 0 ? "goods, \"\"various\"\"" : "works")\",K\(i % 4)\n" }
        let (dataset, problems) = CSVDataset.read(Data(csv.utf8), name: "x", path: "Data/x.csv", schema: nil, schemaPath: nil)
        #expect(problems.isEmpty)
        let d = try #require(dataset)
        let c = try #require(d.columnIndex("description"))
        for r in [0, 1, 3, 65_535, 65_536, 65_537, 69_999] {
            #expect(d[r, c] == .text("Contract \(r) for the supply of \(r % 3 == 0 ? "goods, \"various\"" : "works")"), "row \(r)")
        }
        #expect(d[69_998, try #require(d.columnIndex("kind"))] == .text("K2"))
    }

    /// A text column with many distinct values, grouped over a few rows (an entity's lots) and
    /// over many (a listing): the sparse and the dense tables number groups the same way.
    @Test func groupsOfFewRowsOfManyTextsMatchTheDenseTable() {
        let texts: [Value] = (0..<5_000).map { i in i % 97 == 0 ? .null : .text("Lot \(i % 1_700)") }
        let column = DataColumn(texts, type: .text)
        func expected(_ rows: [Int]) -> (codes: [Int32], values: [Value]) {
            var seen: [Value: Int32] = [:]
            var values: [Value] = []
            let codes = rows.map { r -> Int32 in
                if let code = seen[texts[r]] { return code }
                seen[texts[r]] = Int32(values.count)
                values.append(texts[r])
                return Int32(values.count - 1)
            }
            return (codes, values)
        }
        for count in [0, 1, 3, 10, 40, 106, 107, 500, 5_000] {
            // Rows spread over the column, with repeats once count passes the distinct texts.
            var rows = (0..<count).map { ($0 * 7_919 + 13) % texts.count }
            rows.append(contentsOf: [0, 97, 1_700, 1_701].prefix(count == 0 ? 0 : 4))
            let (codes, values) = column.groups(rows)
            let want = expected(rows)
            #expect(codes == want.codes, "\(count) rows")
            #expect(values == want.values, "\(count) rows")
        }
    }

    /// Sums over some rows: integers as integers while they fit, else as decimals; empty
    /// cells left out; nothing to add is nil. Each the same as adding the decimals.
    @Test func sumsOverRowsAreTheDecimalSums() {
        func decimalSum(_ column: DataColumn, _ rows: [Int]) -> Decimal? {
            let values = rows.compactMap { column.decimal(at: $0) }
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        let ints: [Value] = (0..<200).map { i in i % 7 == 0 ? .null : .integer(i * 1_000_003 - 50_000_000) }
        let numbers: [Value] = (0..<200).map { i in i % 5 == 0 ? .null : .number(Decimal(i) / 8) }
        let huge: [Value] = [.integer(Int.max), .integer(Int.max), .integer(-3), .null]
        for (values, type) in [(ints, ColumnType.integer), (numbers, .number), (huge, .integer)] {
            let column = DataColumn(values, type: type)
            let lists = [[], [0], [0, 7, 14], Array(0..<values.count), [3, 1, 2, 1], Array(stride(from: 1, to: values.count, by: 3))]
            for rows in lists.map({ $0.filter { $0 < values.count } }) {
                #expect(column.sum(at: rows) == decimalSum(column, rows), "\(type) \(rows.prefix(5))")
            }
        }
        // Past Int.max: the decimal sum, not a wrapped one.
        let column = DataColumn(huge, type: .integer)
        #expect(column.sum(at: [0, 1]) == Decimal(Int.max) * 2)
        #expect(DataColumn([.text("a")], type: .text).sum(at: [0]) == nil)
    }
}
