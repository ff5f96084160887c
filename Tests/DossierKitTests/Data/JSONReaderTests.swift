import Foundation
import Testing

@testable import DossierCore
@testable import DossierFormat
@testable import DossierProject
@testable import DossierData
@testable import DossierContent
@testable import DossierMarkdown
@testable import DossierFigures
@testable import DossierTemplates
@testable import DossierSite
@testable import DossierKit

@Suite struct JSONReaderTests {
    @Test func keepsKeyOrderExactNumbersAndPositions() throws {
        let node = try JSONReader.parse("[\n  {\"b\": 0.1, \"a\": 155854000, \"s\": \"Ní \\u00e9\\n\"}\n]")
        guard case .array(let items, _, _) = node, case .object(let pairs, let line, let column) = items[0] else {
            Issue.record("expected an array of one object")
            return
        }
        #expect(pairs.map(\.0) == ["b", "a", "s"])
        #expect(pairs[0].1.value == .number(Decimal(string: "0.1")!))
        #expect(pairs[1].1.value == .integer(155_854_000))
        #expect(pairs[2].1.value == .text("Ní é\n"))
        #expect(line == 2 && column == 3)
        #expect(pairs[1].1.line == 2 && pairs[1].1.column == 19)
    }

    @Test(arguments: [
        ("[1, 2,]", 1, 7, "invalid JSON: unexpected character ']'"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "invalid JSON: expected ',' or '}'"),
        ("[\n {\"a\": tru}]", 2, 8, "invalid JSON: unexpected word, expected 'true'"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "invalid JSON: duplicate key 'a'"),
        ("[01]", 1, 4, "invalid JSON: a number may not start with 0"),
        ("[\"open", 1, 7, "invalid JSON: unterminated string"),
        ("[1] x", 1, 5, "invalid JSON: unexpected text after the JSON value"),
    ])
    func reportsLineAndColumnOfMalformedJSON(text: String, line: Int, column: Int, message: String) {
        #expect {
            try JSONReader.parse(text)
        } throws: { error in
            let e = error as! LocalError
            return e.line == line && e.column == column && e.message == message
        }
    }
}
