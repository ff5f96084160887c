import Foundation
import Testing

@testable import DossierCore
@testable import DossierData
@testable import DossierContent

/// Lines that are not rows of data (issue 31): a totals line is never counted as a payment. It
/// is an error until the schema says what such lines are; with `totals: drop` each is left
/// out and checked against the rows above it, and one that does not add up stays an error.
@Suite struct NonDataLinesTests {
    func read(_ csv: String, schema: String? = nil) throws -> (Dataset?, [String]) {
        let parsed = try schema.map { try Schema.parse($0) }
        let (dataset, problems) = CSVDataset.read(
            Data(csv.utf8), name: "p", path: "Data/p.csv", schema: parsed, schemaPath: "Data/p.schema.yml")
        return (dataset, problems.map(\.headline))
    }

    func total(_ dataset: Dataset?, _ column: String = "amount") -> Decimal? {
        guard let dataset, let c = dataset.columnIndex(column) else { return nil }
        return dataset.data[c].sum(at: Array(0..<dataset.rowCount))
    }

    let payments = "supplier,date,code,amount,kind\nAcme,2013-01-02,008,100.50,R\nBeta,2013-01-03,009,200,C\nGamma,2013-01-04,010,-50.25,R\n"

    @Test func aTotalsLineOfEmptyFieldsIsAnErrorUntilTheSchemaSaysWhatItIs() throws {
        let csv = payments + ",,,250.25,\n"
        let (none, problems) = try read(csv)
        #expect(none == nil)
        #expect(problems == ["Data/p.csv:5:4: error: this line is a total, not a row: amount 250.25 is the sum of the 3 rows above it"])
        // The same with on_error: skip: never read as a payment.
        #expect(try read(csv, schema: "on_error: skip\n").0 == nil)

        let (dropped, notes) = try read(csv, schema: "totals: drop\n")
        #expect(dropped?.rowCount == 3)
        #expect(total(dropped) == Decimal(string: "250.25"))
        #expect(
            notes == [
                "Data/p.csv:5: warning: left out 1 totals line; the first: amount 250.25, the sum of the 3 rows above it",
                "Data/p.csv: warning: 4 lines of data read: 3 rows kept; 1 line that is no row (totals, empty fields, headers)",
            ])

        // Read as data when the schema says so: then it is a row.
        let (asData, quiet) = try read(csv, schema: "totals: data\n")
        #expect(asData?.rowCount == 4 && quiet.isEmpty)
    }

    @Test func aTotalThatDoesNotAddUpIsAnErrorEitherWay() throws {
        let csv = payments + ",,,999,\n"
        for schema in [nil, "totals: drop\n"] {
            let (none, problems) = try read(csv, schema: schema)
            #expect(none == nil)
            #expect(problems == ["Data/p.csv:5:4: error: this line looks like a total (amount 999, the rest empty), but the 3 rows above it sum to 250.25"])
        }
    }

    @Test func labelledTotalsAndSubtotalsInTheNewsroomsLanguages() throws {
        let csv = """
            supplier,date,code,amount,kind
            Acme,2013-01-02,008,100.50,R
            Beta,2013-01-03,009,200,C
            Total,,,300.50,
            Gamma,2013-02-04,010,-50.25,R
            Итого:,,,-50.25,
            Grand total,,,250.25,

            """
        let (dataset, problems) = try read(csv, schema: "totals: drop\n")
        #expect(dataset?.rowCount == 3, "\(problems)")
        #expect(total(dataset) == Decimal(string: "250.25"))
        #expect(
            problems == [
                "Data/p.csv:4: warning: left out 3 totals lines; the first: amount 300.5, the sum of the 2 rows above it",
                "Data/p.csv: warning: 6 lines of data read: 3 rows kept; 3 lines that are no rows (totals, empty fields, headers)",
            ])
    }

    @Test func aLineOfEmptyFieldsIsNoRow() throws {
        let (dataset, problems) = try read(payments + ",,,,\n ,, ,,\n")
        #expect(dataset?.rowCount == 3)
        #expect(
            problems == [
                "Data/p.csv:5: warning: 2 lines have only empty fields: no rows of data, left out",
                "Data/p.csv: warning: 5 lines of data read: 3 rows kept; 2 lines that are no rows (totals, empty fields, headers)",
            ])
        #expect(dataset?.files.map(\.notData) == [2])
    }

    /// Files joined end to end keep their headers: a line that repeats the header is no row.
    @Test func aRepeatedHeaderIsNoRow() throws {
        let csv = payments + "supplier,date,code,amount,kind\nDelta,2013-01-05,011,75,R\n"
        let (dataset, problems) = try read(csv, schema: "columns:\n  amount: number\n  code: text\n")
        #expect(dataset?.rowCount == 4, "\(problems)")
        #expect(total(dataset) == Decimal(string: "325.25"))
        #expect(
            problems == [
                "Data/p.csv:5: warning: 1 line repeats the header: no row of data, left out",
                "Data/p.csv: warning: 5 lines of data read: 4 rows kept; 1 line that is no row (totals, empty fields, headers)",
            ])
    }

    /// Rows that are data stay data: a redacted supplier, a row with a code and an amount, a
    /// two-column file, dates and transaction numbers are no amounts.
    @Test func sparseRowsAreNotTotals() throws {
        let (one, p1) = try read(payments + ",2013-01-05,011,75,R\n")
        #expect(one?.rowCount == 4 && p1.isEmpty, "\(p1)")
        let (two, p2) = try read("name,amount\nA,1\n,2\n")
        #expect(two?.rowCount == 2 && p2.isEmpty, "\(p2)")
        let (three, p3) = try read("id,date,ref,amount,a,b,c\n1,2013-01-02,1301-00001,5,x,y,z\n,2013-01-03,1301-00002,,,,\n")
        #expect(three?.rowCount == 2 && p3.isEmpty, "\(p3)")
    }

    static let leeds = CSVChunkTests.leeds
    static let leedsAvailable = CSVChunkTests.leedsAvailable

    /// A council's year of payments as published: nine of its twelve files end with a totals
    /// line. Undeclared, each is an error at its line; with `totals: drop` the dataset's total
    /// is the sum of the payment lines, counted here from the raw bytes another way.
    @Test(.enabled(if: leedsAvailable, "../shared/data/leeds-payments-2013 is absent: skipped"))
    func leedsTotalsLinesAreFoundAndTheTotalIsThePayments() throws {
        let names = (1...12).map { String(format: "2013-%02d.csv", $0) }
        let inputs = names.map { CSVDataset.Input(path: "Data/payments/\($0)", label: $0, url: Self.leeds.appendingPathComponent($0)) }
        // Independently: every line with a supplier or a date is a payment; the amount is the
        // tenth field of a line split at commas outside quotes.
        var independent = Decimal(0)
        var payments = 0
        for name in names {
            let bytes = try Data(contentsOf: Self.leeds.appendingPathComponent(name))
            let text = String(decoding: bytes, as: UTF8.self)
            for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).dropFirst() {
                var fields: [String] = []
                var current = ""
                var quoted = false
                for ch in line {
                    if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { fields.append(current); current = "" } else { current.append(ch) }
                }
                fields.append(current)
                guard fields.count >= 10, !fields[0].isEmpty else { continue }
                payments += 1
                independent += Decimal(string: fields[9].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        let schema = try Schema.parse("encoding: windows-1252\n")
        let (none, problems) = CSVDataset.read(inputs, name: "payments", path: "Data/payments", schema: schema, schemaPath: "Data/payments.schema.yml")
        #expect(none == nil)
        let errors = problems.filter { $0.severity == .error }
        #expect(errors.count == 9)
        #expect(errors.first?.headline == "Data/payments/2013-01.csv:8274:10: error: this line is a total, not a row: NetAmount 61,252,853.96 is the sum of the 8,272 rows above it")

        let dropping = try Schema.parse("encoding: windows-1252\ntotals: drop\n")
        let (dataset, notes) = CSVDataset.read(inputs, name: "payments", path: "Data/payments", schema: dropping, schemaPath: "Data/payments.schema.yml")
        let d = try #require(dataset, "\(notes)")
        #expect(d.rowCount == payments)
        #expect(total(d, "NetAmount") == independent)
        #expect(notes.filter { $0.code == .dataNotData }.count == 9)
    }
}

/// The draft property (issue 31, item 5): a schema drafted from a file, unedited, passes the
/// check on that file, and reads as many rows as an independent count of its payment lines.
@Suite struct DraftPropertyTests {
    static let shared = CSVChunkTests.leeds.deletingLastPathComponent()

    /// Every CSV file of the real registers in `../shared/data/`.
    static var registers: [URL] {
        guard let walker = FileManager.default.enumerator(at: shared, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension.lowercased() == "csv" }.sorted { $0.path < $1.path }
    }

    /// Lines that hold data, counted without the reader: records split at line breaks outside
    /// quotes, less the header, blank lines, lines of empty fields and lines the draft calls totals.
    func independentRows(_ url: URL, totals: Int) throws -> Int {
        let bytes = try [UInt8](Data(contentsOf: url))
        var quoted = false
        var records: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { quoted.toggle() }
            if !quoted && (b == 0x0A || b == 0x0D) {
                records.append(current)
                current = []
                if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            } else {
                current.append(b)
            }
            i += 1
        }
        if !current.isEmpty { records.append(current) }
        let meaningful = records.filter { record in record.contains { $0 != 0x2C && $0 != 0x20 && $0 != 0x09 && $0 != 0x22 && $0 != 0x3B } }
        return meaningful.count - 1 - totals
    }

    @Test(.enabled(if: CSVChunkTests.leedsAvailable, "../shared/data is absent: skipped"))
    func aDraftAcceptsTheRegisterItCameFrom() throws {
        let files = Self.registers
        #expect(files.count >= 50, "\(files.count) registers")
        try expectDraftsAccept(files)
    }

    /// The sample's and the fixtures' CSV files too.
    @Test func aDraftAcceptsTheSampleItCameFrom() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardizedFileURL
        let folders = ["Data", "Tests/DossierKitTests/Fixtures/valid-site/Data"].map { root.appendingPathComponent($0) }
        let files = try folders.flatMap { folder in
            try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "csv" }
        }
        #expect(files.count >= 6)
        try expectDraftsAccept(files)
    }

    func expectDraftsAccept(_ files: [URL]) throws {
        for url in files {
            guard case .success(let text) = SchemaDraft.draft(fileAt: url, name: "x", date: "2026-12-08") else {
                Issue.record("no draft of \(url.lastPathComponent)")
                continue
            }
            let schema = try Schema.parse(text)
            let (dataset, problems) = CSVDataset.read(
                [CSVDataset.Input(path: url.lastPathComponent, label: url.lastPathComponent, url: url)], name: "x",
                path: url.lastPathComponent, schema: schema, schemaPath: "x.schema.yml")
            let errors = problems.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(url.path): \(errors.prefix(3).map(\.description))\n\(text)")
            guard let dataset else { continue }
            let totals = problems.filter { $0.code == .dataNotData && $0.message.hasPrefix("left out") }.count
            let skipped = dataset.skippedRows
            #expect(dataset.rowCount + skipped == (try independentRows(url, totals: totals)), "\(url.lastPathComponent)")
        }
    }
}

/// Numbers a page prints of the data itself (issue 31, item 6): counts with their group
/// separators and plural forms, and a column's `decimals:` in prose as in tables.
@Suite struct CountsOnPagesTests {
    @Test func countsAreGroupedAndAmountsKeepTheirDecimals() throws {
        let dir = try TemporaryDirectory()
        _ = try Scaffold.initProject(at: dir.url)
        var csv = "supplier,amount\n"
        for i in 0..<12_345 { csv += "S\(i % 7),\(i % 100 == 0 ? "1000" : "12.5")\n" }
        csv += "S1,x\n"
        _ = try dir.write("Data/p.csv", csv)
        _ = try dir.write("Data/p.schema.yml", "on_error: skip\ncolumns:\n  amount: {type: number, currency: GBP, decimals: 2}\n")
        _ = try dir.write(
            "Content/p.md",
            "---\ntitle: P\ndate: 2026-01-01\n---\n\nThe register lists {{= count(p) }} payments; the largest {{= max(p.amount) }}.\n")
        let process = Process()
        process.executableURL = Fixtures.executable
        process.arguments = ["build", "--quiet", "--root", dir.url.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let article = try String(contentsOf: dir.path("Public/p/index.html"), encoding: .utf8)
        #expect(article.contains(">12,345</span> payments; the largest <span class=\"figure\"") || article.contains(">12,345</a> payments"), "\(article)")
        #expect(article.contains(">£1,000.00</"), "decimals: 2 in prose")
        let data = try String(contentsOf: dir.path("Public/data/index.html"), encoding: .utf8)
        #expect(data.contains("<dt>Rows</dt><dd>12,345</dd>"))
        #expect(data.contains("<dd>1 row whose values do not read (the build lists where)</dd>"), "\(data)")
    }
}
