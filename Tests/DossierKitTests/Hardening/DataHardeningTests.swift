import Foundation
import Testing

@testable import DossierCore
@testable import DossierProject
@testable import DossierData
@testable import DossierKit

/// Data read as the user meant it or refused where they wrote it: alias chains followed to
/// their end, and no two columns of one name.
@Suite struct DataHardeningTests {
    func load(_ files: [String: String]) throws -> ([Dataset], [Diagnostic]) {
        let dir = try TemporaryDirectory()
        for (path, content) in files {
            let url = dir.path(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return DatasetLoader.loadAll(Project(root: dir.url))
    }

    func texts(_ dataset: Dataset, _ column: String) -> [String] {
        let c = dataset.columnIndex(column)!
        return (0..<dataset.rowCount).map { dataset[$0, c].plainText }
    }

    @Test func anAliasChainIsFollowedToItsEnd() throws {
        // A ← B and B ← C: C is A too, whichever order the file lists them in.
        for aliases in [
            "vendor:\n  Acme Ltd: [ACME]\n  ACME: [Acme Limited]\n",
            "vendor:\n  ACME: [Acme Limited]\n  Acme Ltd: [ACME]\n",
        ] {
            let (datasets, problems) = try load([
                "Data/c.csv": "vendor,amount\nACME,1\nAcme Limited,2\nAcme Ltd,3\nOther,4\n",
                "Data/c.aliases.yml": aliases,
            ])
            #expect(problems.isEmpty, "\(problems)")
            let c = try #require(datasets.first)
            #expect(texts(c, "vendor") == ["Acme Ltd", "Acme Ltd", "Acme Ltd", "Other"], "\(aliases)")
        }
    }

    @Test func anAliasLoopIsAnErrorAtItsLine() throws {
        let (_, problems) = try load([
            "Data/c.csv": "vendor,amount\nA,1\n",
            "Data/c.aliases.yml": "vendor:\n  A: [B]\n  B: [A]\n",
        ])
        #expect(problems.map(\.headline) == ["Data/c.aliases.yml:3:6: error: the names 'A' → 'B' → 'A' alias each other in a loop"])
    }

    @Test func aColumnFromThePathMayNotTakeAColumnsName() throws {
        let (_, problems) = try load([
            "Data/q/FY-2019.csv": "vendor,year,amount\nA,2019,1\n",
            "Data/q/FY-2020.csv": "vendor,year,amount\nB,2020,2\n",
            "Data/q.schema.yml": "file_column: vendor\nfile_columns:\n  year: \"FY-(\\\\d{4})\"\n",
        ])
        #expect(
            problems.map(\.headline) == [
                "Data/q.schema.yml:1:14: error: column 'vendor' from the file's path has the name of a column of the data",
                "Data/q.schema.yml:3:9: error: column 'year' from the file's path has the name of a column of the data",
            ])
        let (_, twice) = try load([
            "Data/q/FY-2019.csv": "vendor,amount\nA,1\n",
            "Data/q.schema.yml": "file_column: fy\nfile_columns:\n  fy: \"FY-(\\\\d{4})\"\n",
        ])
        #expect(twice.map(\.headline) == ["Data/q.schema.yml:3:7: error: column 'fy' is already taken from the path"])
    }
}

extension DataHardeningTests {
    /// Found by the `draft` fuzz target: a header or value holding a control character drafted
    /// a schema that did not parse. Every character a YAML stream may not hold is escaped.
    @Test func aDraftedSchemaAlwaysParses() throws {
        let csv = Data("na\u{01}me,\"a\u{7F}b\",amount,\"l\u{2028}s\"\nx\u{02}y,\u{1B},1,a\nz,w,2,b\n".utf8)
        guard case .success(let text) = SchemaDraft.draft(csv, name: "x", date: "2026-12-07") else {
            Issue.record("no draft")
            return
        }
        let schema = try Schema.parse(text)
        #expect(schema.columns.map(\.column.name) == ["na\u{01}me", "a\u{7F}b", "amount", "l\u{2028}s"])
        #expect(text.contains("\"na\\u0001me\""))
    }
}
