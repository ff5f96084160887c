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

@Suite struct CSVParserTests {
    func records(_ text: String) throws -> [CSVParser.Record] {
        var out: [CSVParser.Record] = []
        try CSVParser.parse(text) { (record) throws(LocalError) in out.append(record) }
        return out
    }

    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let rows = try records("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,,3\n")
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
        #expect(rows.map(\.line) == [1, 2, 4])
    }

    @Test func acceptsCRLFAndAMissingFinalNewlineAndABOM() throws {
        let rows = try records("\u{FEFF}a,b\r\n1,2\r\n3,4")
        #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(try records("a,b\n1,\n").map(\.fields) == [["a", "b"], ["1", ""]])
        #expect(try records("a,b\n1,").map(\.fields) == [["a", "b"], ["1", ""]])
    }

    /// Old Mac files end lines with a bare CR: records split there, and lines are counted there
    /// too (blank lines, and line breaks inside quoted fields).
    @Test func bareCRLineEndingsSplitRecordsAndCountLines() throws {
        let rows = try records("a,b\r1,2\r\r\"x\ry\",3\r4,5\r")
        #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"], ["x\ry", "3"], ["4", "5"]])
        #expect(rows.map(\.line) == [1, 2, 4, 6])
        #expect {
            try records("a,b\r1,2\r\r3,\"open\r")
        } throws: { error in
            (error as! LocalError).line == 4
        }
    }

    /// A file that is not UTF-8 is reported at the line of the bad byte, whatever its line ends.
    @Test(arguments: ["\n", "\r\n", "\r"])
    func aBadByteIsReportedOnItsLine(end: String) throws {
        let dir = try TemporaryDirectory()
        var bytes = Array("a,b\(end)1,2\(end)3,".utf8)
        bytes.append(0xCA)
        bytes += Array("\(end)".utf8)
        let url = dir.url.appendingPathComponent("x.csv")
        try Data(bytes).write(to: url)
        #expect {
            try SourceFiles.readText(url, relativePath: "Data/x.csv")
        } throws: { error in
            (error as! Diagnostic).location == SourceLocation(path: "Data/x.csv", line: 3, column: 3)
        }
    }

    @Test func skipsBlankLinesButCountsThem() throws {
        let rows = try records("a\n\n1\n\n\n2\n")
        #expect(rows.map(\.line) == [1, 3, 6])
    }

    @Test func reportsAnUnterminatedQuoteWhereItOpened() {
        #expect {
            try records("a,b\n1,\"open\n2,3\n")
        } throws: { error in
            let e = error as! LocalError
            return e.line == 2 && e.column == 2 && e.message == "unterminated quoted field"
        }
    }

    @Test func reportsStrayQuotes() {
        #expect { try records("a\nab\"c\n") } throws: {
            ($0 as! LocalError).message == "quote inside an unquoted field"
        }
        #expect { try records("a,b\n\"x\"y,1\n") } throws: {
            let e = $0 as! LocalError
            return e.message == "unexpected text after a closing quote" && e.line == 2 && e.column == 1
        }
    }
}
