import Foundation
import Testing

@testable import DossierCore
@testable import DossierData

@Suite struct DataColumnTests {
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
}
