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
    /// A column from the path may be declared for its label and description (issue 31): it
    /// was an error, "the data has no such column".
    @Test func aColumnFromThePathTakesALabel() throws {
        let (datasets, problems) = try load([
            "Data/q/FY-2019.csv": "vendor,amount\nA,1\n",
            "Data/q/FY-2020.csv": "vendor,amount\nB,2\n",
            "Data/q.schema.yml": "file_column: file\nfile_columns:\n  fy: \"FY-(\\\\d{4})\"\ncolumns:\n  fy: {label: Fiscal year, description: From the file's name}\n  file: {label: Quarterly file}\n",
        ])
        #expect(problems.isEmpty, "\(problems)")
        let q = try #require(datasets.first)
        let fy = try #require(q.columns.first { $0.name == "fy" })
        #expect(fy.label == "Fiscal year" && fy.description == "From the file's name" && fy.type == .integer && fy.unit == "year")
        #expect(q.columns.first { $0.name == "file" }?.label == "Quarterly file")
        #expect(texts(q, "fy") == ["2019", "2020"])
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
        // Also found by it: a header whose quoted form passes YAML's 1,024 characters for a key.
        let long = String(repeating: "\u{05}", count: 250) + "я"
        let wide = Data("\(long),amount\nx,1\n".utf8)
        guard case .success(let longText) = SchemaDraft.draft(wide, name: "x", date: "2026-12-07") else {
            Issue.record("no draft")
            return
        }
        #expect(try Schema.parse(longText).columns.map(\.column.name) == [long, "amount"])
    }
}

extension DataHardeningTests {
    func loadBytes(_ csv: [UInt8], schema: String) throws -> ([Dataset], [Diagnostic]) {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.path("Data"), withIntermediateDirectories: true)
        try Data(csv).write(to: dir.path("Data/t.csv"))
        try Data(schema.utf8).write(to: dir.path("Data/t.schema.yml"))
        return DatasetLoader.loadAll(Project(root: dir.url))
    }

    func utf16(_ text: String, bigEndian: Bool, bom: Bool = false) -> [UInt8] {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 { out += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        return out
    }

    /// A declared encoding is checked against the bytes: each disagreement is a warning at its
    /// line with what to declare, and UTF-16 read as UTF-8 an error.
    @Test func aDeclaredEncodingIsCheckedAgainstTheBytes() throws {
        let text = "name,amount\nПривет,1\nМир,2\n"
        // UTF-8 declared as windows-1251.
        let (read, problems) = try loadBytes(Array(text.utf8), schema: "encoding: windows-1251\n")
        #expect(read.count == 1)
        #expect(
            problems.map(\.headline) == [
                "Data/t.csv:2:1: warning: the file is valid UTF-8, but its schema declares encoding: windows-1251: 'Привет,1' would read as 'РџСЂРёРІРµС‚,1'"
            ])
        // UTF-16LE without a mark, declared big-endian.
        let (_, order) = try loadBytes(utf16(text, bigEndian: false), schema: "encoding: utf-16be\n")
        #expect(order.map(\.headline).contains(
            "Data/t.csv:1:1: warning: the schema declares encoding: utf-16be, but the bytes are in the other order: they look like utf-16le"))
        // A mark that disagrees with the declaration: the mark wins, and the user is told.
        let (marked, bom) = try loadBytes(utf16(text, bigEndian: false, bom: true), schema: "encoding: windows-1251\n")
        #expect(bom.map(\.headline) == [
            "Data/t.csv:1:1: warning: the file starts with a utf-16le byte-order mark, but its schema declares encoding: windows-1251; it is read as utf-16le"
        ])
        let t = try #require(marked.first)
        #expect(texts(t, "name") == ["Привет", "Мир"])
        // NUL bytes in a byte-per-character encoding.
        let (_, nul) = try loadBytes(utf16("name,amount\nCafe,1\n", bigEndian: false), schema: "encoding: windows-1252\n")
        #expect(nul.map(\.headline) == [
            "Data/t.csv:1:1: error: the file has NUL bytes between its letters, which windows-1252 does not have: it looks like utf-16le"
        ])
        // Undeclared UTF-16 without a mark: an error with the hint, not a table of NUL bytes.
        let (none, undeclared) = try loadBytes(utf16("name,amount\nCafe,1\n", bigEndian: true), schema: "title: T\n")
        #expect(none.isEmpty)
        #expect(undeclared.map(\.description) == [
            "Data/t.csv:1:1: error: the file has NUL bytes between its letters: it looks like utf-16be without a byte-order mark\n  hint: declare encoding: utf-16be in its schema, or save it as UTF-8"
        ])
    }
}

extension DataHardeningTests {
    /// Every dataset stays in memory for the whole build: two that fit alone but not together
    /// are refused at once, the second naming what the first takes, by check and build alike.
    @Test func theMemoryBudgetCountsEveryDatasetOfTheBuild() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let row = "2019-01-01,Roads,\"A vendor, quoted\",1000.50\n"
        for name in ["a", "b"] {
            try Data(("date,department,vendor,amount\n" + String(repeating: row, count: 60_000)).utf8)
                .write(to: root.appendingPathComponent("Data/\(name).csv"))
        }
        let one = try #require(MemoryBudget.estimate(root.appendingPathComponent("Data/a.csv")))
        // Room for one of them and the starter's dataset, not for two.
        let limit = String((MemoryBudget.baseline + one + one / 2) / 1_048_576)
        for command in [["check"], ["build", "--quiet"]] {
            let process = Process()
            process.executableURL = Fixtures.executable
            process.arguments = command + ["--root", root.path]
            process.environment = ["DOSSIER_MEMORY_MB": limit]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus != 0)
            #expect(text.contains("Data/b.csv: error: dataset is too large to load:") && text.contains("taken by the datasets read before it"), "\(text)")
            #expect(!text.contains("Data/a.csv: error"), "\(text)")
        }
        // The estimate is of the order measured: 1.5 bytes a byte and 18 a cell.
        let size = Int64(try Data(contentsOf: root.appendingPathComponent("Data/a.csv")).count)
        let cells = Int64(60_001 * 4)
        #expect(abs(one - (size * 3 / 2 + cells * 18)) < one / 20, "\(one) for \(size) bytes and \(cells) cells")
    }
}

extension DataHardeningTests {
    /// Rows with one more delimiter than the header, the extra field empty (2,912 rows of a
    /// council's file), are data: read, with one note for the file. A value in the extra field
    /// stays an error whose hint says what it holds.
    @Test func aTrailingDelimiterIsReadWithANote() throws {
        let (datasets, problems) = try load([
            "Data/p.csv": "supplier,amount\nA,1,\nB,2\nC,3, \n",
            "Data/p.schema.yml": "columns:\n  amount: integer\n",
        ])
        let p = try #require(datasets.first)
        #expect(texts(p, "supplier") == ["A", "B", "C"])
        #expect(texts(p, "amount") == ["1", "2", "3"])
        #expect(
            problems.map(\.headline) == [
                "Data/p.csv:2:3: warning: 2 rows end with a delimiter more than the header has, the field after it empty: read as rows of data"
            ])
        let (none, refused) = try load(["Data/q.csv": "supplier,amount\nA,1,\nB,2,x\n"])
        #expect(none.isEmpty)
        #expect(refused.map(\.description).contains(
            "Data/q.csv:3:3: error: row has 3 fields but the header has 2\n  hint: field 3 holds 'x': quote fields that contain the delimiter"), "\(refused)")
    }
}

extension DataHardeningTests {
    /// Found by the `draft` fuzz target: a byte-order mark inside a header (files joined end to
    /// end) made `-` and `\u{FEFF}-` two columns, which a schema cannot tell apart. It is no
    /// part of a name: the header names one column twice, an error at its place.
    @Test func aByteOrderMarkInsideAHeaderIsNoPartOfAName() throws {
        let (_, problems) = try load(["Data/j.csv": "a,-,\u{FEFF}-\n1,2,3\n"])
        #expect(problems.map(\.headline) == ["Data/j.csv:1:3: error: header names column '-' twice"])
        let (datasets, none) = try load(["Data/k.csv": "a,\u{FEFF}b\n1,2\n"])
        #expect(none.isEmpty)
        #expect(datasets.first?.columns.map(\.name) == ["a", "b"])
    }
}
