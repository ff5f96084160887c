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

/// Data as publishers leave it: code pages, other delimiters, money with separators and signs,
/// dates in local orders, words for "no value", rows that do not read, many files, names spelt
/// many ways.
@Suite struct MessyDataTests {
    func load(_ files: [String: Any]) throws -> ([Dataset], [Diagnostic]) {
        let dir = try TemporaryDirectory()
        for (path, content) in files {
            let url = dir.path(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if let bytes = content as? [UInt8] { try Data(bytes).write(to: url) } else { try Data((content as! String).utf8).write(to: url) }
        }
        return DatasetLoader.loadAll(Project(root: dir.url))
    }

    func texts(_ dataset: Dataset, _ column: String) -> [String] {
        let c = dataset.columnIndex(column)!
        return (0..<dataset.rowCount).map { dataset[$0, c].plainText }
    }

    // MARK: Encodings

    @Test func readsEachDeclaredEncodingAndByteOrderMarks() throws {
        let header = Array("name,n\n".utf8)
        let cases: [(String, [UInt8], String)] = [
            ("windows-1252", header + [0x43, 0x61, 0x66, 0xE9, 0x2C, 0x31, 0x0A], "Café"),
            ("iso-8859-1", header + [0x43, 0x61, 0x66, 0xE9, 0x2C, 0x31, 0x0A], "Café"),
            ("windows-1251", header + [0xC0, 0xEB, 0xEC, 0xE0, 0xF2, 0xFB, 0x2C, 0x31, 0x0A], "Алматы"),
            ("koi8-r", header + [0xE1, 0xCC, 0xCD, 0xC1, 0xD4, 0xD9, 0x2C, 0x31, 0x0A], "Алматы"),
            ("macintosh", header + [0x50, 0x41, 0xCA, 0x28, 0x2C, 0x31, 0x0D], "PA\u{00A0}("),
        ]
        for (encoding, bytes, expected) in cases {
            let (datasets, problems) = try load([
                "Data/t.csv": bytes, "Data/t.schema.yml": "encoding: \(encoding)\ncolumns:\n  name: text\n",
            ])
            #expect(problems.isEmpty, "\(encoding): \(problems)")
            #expect(datasets.first.map { texts($0, "name") } == [expected], "\(encoding)")
        }
        // Byte-order marks need no declaration: UTF-8 and UTF-16 in both orders.
        var le: [UInt8] = [0xFF, 0xFE]
        var be: [UInt8] = [0xFE, 0xFF]
        for unit in "name,n\r\nТоо «Ақ»,2\r\n".utf16 {
            le += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            be += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        for bytes in [le, be, [0xEF, 0xBB, 0xBF] + Array("name,n\nТоо «Ақ»,2\n".utf8)] {
            let (datasets, problems) = try load(["Data/t.csv": bytes])
            #expect(problems.isEmpty)
            #expect(datasets.first?.columns.map(\.name) == ["name", "n"])
            #expect(datasets.first.map { texts($0, "name") } == ["Тоо «Ақ»"])
        }
    }

    @Test func aFileNotInItsEncodingIsAnErrorAtItsByte() throws {
        // Undeclared: not UTF-8, with the place and a guess at the code page.
        var (_, problems) = try load(["Data/t.csv": Array("name\nok\nCaf".utf8) + [0xE9, 0x0A]])
        #expect(problems.map(\.headline) == ["Data/t.csv:3:4: error: file is not valid UTF-8 (byte 0xE9)"])
        #expect(problems.first?.hint?.contains("encoding: windows-1252") == true)
        // Declared windows-1252, but 0x81 is no character in it.
        (_, problems) = try load([
            "Data/t.csv": Array("name\nok\nab".utf8) + [0x81, 0x0A], "Data/t.schema.yml": "encoding: cp1252\n",
        ])
        #expect(problems.map(\.headline) == ["Data/t.csv:3:3: error: byte 0x81 is not a character in windows-1252"])
        (_, problems) = try load(["Data/t.csv": "a\n1\n", "Data/t.schema.yml": "encoding: ebcdic\n"])
        #expect(problems.first?.headline == "Data/t.schema.yml:1:11: error: unknown encoding 'ebcdic'")
    }

    // MARK: Delimiters and line endings

    @Test func sniffsOrTakesTheDelimiter() throws {
        var (datasets, problems) = try load(["Data/t.csv": "name;amount\n\"A;B\";1\nC;2\n"])
        #expect(problems.isEmpty)
        #expect(datasets.first?.columns.map(\.name) == ["name", "amount"])
        #expect(datasets.first.map { texts($0, "name") } == ["A;B", "C"])
        (datasets, problems) = try load(["Data/t.csv": "name\tamount\nA, Inc\t1\n"])
        #expect(datasets.first.map { texts($0, "name") } == ["A, Inc"])
        // Declared: the header's commas do not outvote it.
        (datasets, problems) = try load(["Data/t.csv": "a,b|c\n1,2|3\n", "Data/t.schema.yml": "delimiter: pipe\n"])
        #expect(datasets.first?.columns.map(\.name) == ["a,b", "c"])
    }

    // MARK: Values by the schema

    @Test func readsMoneyWithSeparatorsSignsAndParentheses() throws {
        let (datasets, problems) = try load([
            "Data/t.csv": "usd,kzt\n\"$5,227,100.00\",\"1 234 567,89 ₸\"\n\"(1,234)\",\"-12,5 тг\"\n\"-$7.5\",KZT 3\n\"USD 10\",\n",
            "Data/t.schema.yml": """
                columns:
                  usd: {type: number, unit: USD, group_separator: ","}
                  kzt: {type: number, unit: KZT, group_separator: space, decimal_separator: ","}
                """,
        ])
        #expect(problems.isEmpty, "\(problems)")
        let t = try #require(datasets.first)
        #expect((0..<4).map { t[$0, 0] } == [.number(Decimal(string: "5227100")!), .number(-1234), .number(Decimal(string: "-7.5")!), .number(10)])
        #expect((0..<4).map { t[$0, 1] } == [.number(Decimal(string: "1234567.89")!), .number(Decimal(string: "-12.5")!), .number(3), .null])
    }

    @Test func numberReadingEdges() {
        var reading = ValueReading()
        reading.groupSeparator = ","
        #expect(reading.number("12,345,678,901,234,567,890.12", unit: nil) == Decimal(string: "12345678901234567890.12"))
        #expect(reading.number("1,234", unit: nil) == 1234)
        #expect(reading.number("1234,567", unit: nil) == nil)
        #expect(reading.number("12,34", unit: nil) == nil)
        #expect(reading.number(",123", unit: nil) == nil)
        #expect(reading.number("1,234.", unit: nil) == 1234)
        #expect(reading.number(".5", unit: nil) == Decimal(string: "0.5"))
        #expect(reading.number("", unit: nil) == nil)
        #expect(reading.number("$5", unit: "USD") == 5)
        #expect(reading.number("US$ 5", unit: "USD") == 5)
        #expect(reading.number("−5", unit: nil) == -5)
        #expect(reading.number("5 €", unit: "USD") == nil)
        reading.groupSeparator = " "
        reading.decimalSeparator = ","
        #expect(reading.number("1\u{00A0}234\u{202F}567,5", unit: nil) == Decimal(string: "1234567.5"))
        #expect(reading.number("1.5", unit: nil) == nil)
    }

    @Test func aValueThatDoesNotReadNamesItsPlaceAndTheFormat() throws {
        var (_, problems) = try load([
            "Data/t.csv": "amt\n\"223,795.00\"\n", "Data/t.schema.yml": "columns:\n  amt: number\n",
        ])
        #expect(problems.map(\.headline) == ["Data/t.csv:2:1: error: value '223,795.00' in column 'amt' is not a number"])
        #expect(problems.first?.hint == "the value groups its thousands: declare group_separator: \",\" for the column")
        (_, problems) = try load([
            "Data/t.csv": "amt\n$12\n", "Data/t.schema.yml": "columns:\n  amt: number\n",
        ])
        #expect(problems.first?.hint?.contains("unit: USD") == true)
        (_, problems) = try load([
            "Data/t.csv": "id,amt\n1,\"1,2,3\"\n",
            "Data/t.schema.yml": "columns:\n  amt: {type: number, unit: USD, group_separator: \",\"}\n",
        ])
        #expect(problems.map(\.headline) == ["Data/t.csv:2:2: error: value '1,2,3' in column 'amt' is not a number"])
        #expect(problems.first?.hint == "expected a number with ',' between thousands and '.' for decimals, e.g. $1,234.5")
    }

    @Test func readsDatesInTheDeclaredFormats() throws {
        let (datasets, problems) = try load([
            "Data/t.csv": "us,compact,ru\n3/31/2015,20130215,01.02.2019\n12/1/19,20200229,31.12.2020\n,,2020-05-06\n",
            "Data/t.schema.yml": """
                columns:
                  us: {type: date, format: [M/D/YYYY, M/D/YY]}
                  compact: {type: date, format: YYYYMMDD}
                  ru: {type: date, format: DD.MM.YYYY}
                """,
        ])
        #expect(problems.isEmpty, "\(problems)")
        let t = try #require(datasets.first)
        #expect(texts(t, "us") == ["2015-03-31", "2019-12-01", ""])
        #expect(texts(t, "compact") == ["2013-02-15", "2020-02-29", ""])
        #expect(texts(t, "ru") == ["2019-02-01", "2020-12-31", "2020-05-06"])
        let (_, bad) = try load([
            "Data/t.csv": "d\n20190231\n", "Data/t.schema.yml": "columns:\n  d: {type: date, format: YYYYMMDD}\n",
        ])
        #expect(bad.map(\.headline) == ["Data/t.csv:2:1: error: value '20190231' in column 'd' is not a date"])
        #expect(bad.first?.hint == "expected YYYYMMDD (or YYYY-MM-DD)")
        let (_, badFormat) = try load(["Data/t.csv": "d\n1\n", "Data/t.schema.yml": "columns:\n  d: {type: date, format: MM/YYYY}\n"])
        #expect(badFormat.first?.message == "date format 'MM/YYYY' needs a year, a month and a day")
    }

    @Test func nullValuesAreEmptyCells() throws {
        let (datasets, problems) = try load([
            "Data/t.csv": "name,amt,end\nA,N/A,0\nN/A,-,2020-01-01\nB,5,\n",
            "Data/t.schema.yml": """
                null_values: ["N/A", "-"]
                columns:
                  amt: number
                  end: {type: date, null_values: ["0"]}
                """,
        ])
        #expect(problems.isEmpty, "\(problems)")
        let t = try #require(datasets.first)
        #expect(texts(t, "name") == ["A", "", "B"])
        #expect((0..<3).map { t[$0, 1] } == [.null, .null, .number(5)])
        #expect(texts(t, "end") == ["", "2020-01-01", ""])
    }

    @Test func onErrorSkipLeavesOutRowsThatDoNotReadAndCountsThem() throws {
        let (datasets, problems) = try load([
            "Data/t.csv": "name,amt\nA,1\nB,x\nC,2,extra\nD,3\nE,\"1.2.3\"\n",
            "Data/t.schema.yml": "on_error: skip\nmax_skipped: 3\ncolumns:\n  amt: number\n",
        ])
        let t = try #require(datasets.first)
        #expect(texts(t, "name") == ["A", "D"])
        #expect(t.skippedRows == 3)
        #expect(t.files.map(\.rows) == [2])
        #expect(problems.allSatisfy { $0.severity == .warning && ($0.code == .dataSkippedRows || $0.code == .dataLedger) })
        #expect(
            problems.map(\.headline).sorted() == [
                "Data/t.csv: warning: 5 lines of data read: 2 rows kept; 3 rows left out by on_error: skip",
                "Data/t.csv:3:2: warning: skipped 2 rows whose values do not read; the first: value 'x' in column 'amt' is not a number",
                "Data/t.csv:4:3: warning: skipped 1 row of the wrong shape; the first: row has 3 fields but the header has 2",
            ])
    }

    /// `on_error: skip` has a ceiling: 1% of the rows unless `max_skipped:` says a count or a
    /// share; past it the build fails, saying the rows and the money left out. Every skip
    /// warning says the money its rows hold.
    @Test func skippingRowsHasACeiling() throws {
        var csv = "name,amt,signed\n"
        for i in 0..<200 { csv += "N\(i),\(i).50,2013-01-02\n" }
        csv += "Late,1000.25,2013-13-01\nLater,99.25,31/12/2013\nWorse,77.25,never\n"
        let columns = "columns:\n  amt: {type: number, currency: GBP}\n  signed: date\n"
        let (none, refused) = try load(["Data/t.csv": csv, "Data/t.schema.yml": "on_error: skip\n" + columns])
        #expect(none.isEmpty)
        #expect(refused.map(\.headline).contains(
            "Data/t.schema.yml: error: on_error: skip left out 3 of 203 rows (1.48%; amt 1,176.75), more than max_skipped allows (1% of the rows)"), "\(refused.map(\.headline))")
        #expect(refused.map(\.headline).contains(
            "Data/t.csv:202:3: warning: skipped 3 rows whose values do not read (amt 1,176.75 left out); the first: value '2013-13-01' in column 'signed' is not a date"))
        for ceiling in ["3", "2%"] {
            let (kept, notes) = try load(["Data/t.csv": csv, "Data/t.schema.yml": "on_error: skip\nmax_skipped: \(ceiling)\n" + columns])
            #expect(kept.first?.rowCount == 200, "\(ceiling): \(notes.map(\.headline))")
        }
        let (_, two) = try load(["Data/t.csv": csv, "Data/t.schema.yml": "on_error: skip\nmax_skipped: 2\n" + columns])
        #expect(two.contains { $0.severity == .error && $0.message.contains("more than max_skipped allows (2 rows)") })
        let (_, bad) = try load(["Data/t.csv": csv, "Data/t.schema.yml": "on_error: skip\nmax_skipped: some\n" + columns])
        #expect(bad.map(\.headline) == ["Data/t.schema.yml:2:14: error: max_skipped 'some' is neither a number of rows nor a share such as 0.5%"])
    }

    // MARK: Many files

    @Test func filesWithRenameAndAFileColumnAreOneDataset() throws {
        let (datasets, problems) = try load([
            "Data/q/2019-Q1.csv": "vendor,contract_amount\nA,1\nB,2\n",
            "Data/q/2019-Q2.csv": "vendor,amt,status\r\nC,3,open\r\n",
            "Data/q/2019-Q3.csv": "amt,vendor,status\r4,D,closed\r",
            "Data/contracts.schema.yml": """
                files: ["q/*.csv"]
                rename: {contract_amount: amt}
                file_column: quarter
                file_columns:
                  year: "(\\\\d{4})-Q"
                  q: "Q(\\\\d)"
                columns:
                  amt: integer
                  status: text
                """,
        ])
        #expect(problems.isEmpty, "\(problems)")
        let t = try #require(datasets.first { $0.name == "contracts" })
        #expect(datasets.count == 1)
        #expect(t.columns.map(\.name) == ["vendor", "amt", "status", "quarter", "year", "q"])
        #expect(texts(t, "year") == ["2019", "2019", "2019", "2019"])
        #expect(t.columns[4].type == .integer && t.columns[4].unit == "year")
        #expect(texts(t, "q") == ["1", "1", "2", "3"])
        // Pages from data may take only some rows.
        let spec = try DataPagesSpec.parse("data: contracts\nkey: vendor\nfilter: {q: [2, 3]}\n", folder: "v", path: "Content/v/_pages.yml")
        let (pages, pageProblems) = DataPages.expand(spec, datasets: ["contracts": t])
        #expect(pageProblems.isEmpty)
        #expect(pages?.entities.map(\.title) == ["C", "D"])
        #expect(texts(t, "vendor") == ["A", "B", "C", "D"])
        #expect(texts(t, "amt") == ["1", "2", "3", "4"])
        #expect(texts(t, "status") == ["", "", "open", "closed"])
        #expect(texts(t, "quarter") == ["q/2019-Q1.csv", "q/2019-Q1.csv", "q/2019-Q2.csv", "q/2019-Q3.csv"])
        #expect(t.files.map(\.rows) == [2, 1, 1])
    }

    /// The pages `yaml` (a `_pages.yml` over dataset `c`) makes, each as `slug title rows`
    /// (and its signature), expected without problems.
    private func pageEntities(_ c: Dataset, _ yaml: String, signatures: Bool) throws -> [String] {
        let spec = try DataPagesSpec.parse(yaml, folder: "v", path: "Content/v/_pages.yml")
        let (pages, problems) = DataPages.expand(spec, datasets: ["c": c])
        #expect(problems.isEmpty, "\(problems)")
        return (pages?.entities ?? []).map {
            "\($0.slug) \($0.title) \($0.rows)" + (signatures ? " \(pages!.signature(of: $0))" : "")
        }
    }

    /// Pages of every row are grouped by the key column's codes; pages of some rows by their
    /// values. Both must make the same pages: repeats, empty keys, and one name written in two
    /// normalization forms (one page, as equal text).
    @Test func groupingEveryRowByCodeMakesThePagesGroupingByValueMakes() throws {
        let nfc = "\u{419}од LLP"
        let nfd = "\u{418}\u{306}од LLP"
        let rows = [
            ("Beta", "1"), ("Alpha", "2"), ("", "3"), ("Beta", "4"), (nfd, "5"), ("Gamma", "6"), (nfc, "7"),
            ("Alpha", "8"), ("", "9"), ("Gamma", "10"),
        ]
        let csv = "vendor,amount,all\n" + rows.map { "\"\($0.0)\",\($0.1),y\n" }.joined()
        let (datasets, problems) = try load(["Data/c.csv": csv])
        #expect(problems.isEmpty, "\(problems)")
        let c = try #require(datasets.first)
        func entities(_ yaml: String) throws -> [String] { try pageEntities(c, yaml, signatures: true) }
        let byCode = try entities("data: c\nkey: vendor\n")
        let byValue = try entities("data: c\nkey: vendor\nfilter: {all: [y]}\n")
        #expect(byCode == byValue)
        #expect(byCode.count == 4)
        #expect(byCode.contains { $0.contains("[4, 6]") })  // both spellings of one name: one page
    }

    /// A key column whose first rows all differ is not interned as it is read: it has one text
    /// per row, which `DataPages.merged` tells apart by bytes when all are ASCII. The pages must
    /// be those grouping by value makes, with each name's rows in order.
    @Test func aKeyColumnReadWithATextPerRowMakesThePagesGroupingByValueMakes() throws {
        let names = 5_000
        var csv = "vendor,amount,all\n"
        for r in 0..<6_000 { csv += r % 997 == 5 ? "\"\",\(r),y\n" : "\"Fund \(r % names), LLP\",\(r),y\n" }
        let (datasets, problems) = try load(["Data/c.csv": csv])
        #expect(problems.isEmpty, "\(problems)")
        let c = try #require(datasets.first)
        func entities(_ yaml: String) throws -> [String] { try pageEntities(c, yaml, signatures: false) }
        let byCode = try entities("data: c\nkey: vendor\n")
        #expect(byCode == (try entities("data: c\nkey: vendor\nfilter: {all: [y]}\n")))
        // Rows 1002, 1999, 2996, 3993 and 4990 are empty, and they were their names' only rows.
        #expect(byCode.count == names - 5)
        #expect(byCode.contains("fund-1-llp Fund 1, LLP [1, 5001]"))
        #expect(byCode.contains("fund-5-llp Fund 5, LLP [5005]"))  // row 5 is empty
        #expect(byCode.contains("fund-987-llp Fund 987, LLP [987]"))  // row 5987 is empty
    }

    /// `DataPages.merged` groups values as a dictionary of ``Value``s does, on its table of
    /// ASCII texts (past several growths of the table) and on the dictionary it uses otherwise:
    /// one name in two normalization forms, and the Kelvin sign, which is canonically a `K`.
    @Test func mergedGroupsValuesAsTheirEqualityDoes() {
        func reference(_ values: [Value]) -> (ids: [Int32], firsts: [Value]) {
            var index: [Value: Int32] = [:]
            var ids: [Int32] = []
            var firsts: [Value] = []
            for value in values {
                if value.isNull { ids.append(-1); continue }
                if let id = index[value] { ids.append(id); continue }
                index[value] = Int32(firsts.count)
                ids.append(Int32(firsts.count))
                firsts.append(value)
            }
            return (ids, firsts)
        }
        var generator = SystemRandomNumberGenerator()
        let ascii: [Value] = (0..<40_000).map { _ in
            let n = Int.random(in: 0..<12_000, using: &generator)
            return n % 101 == 0 ? .null : .text("Name \(n)")
        }
        let unicode: [Value] = ascii.prefix(500) + [.text("\u{419}од"), .text("\u{418}\u{306}од"), .text("K"), .text("\u{212A}"), .integer(3), .integer(3)]
        for values in [ascii, unicode, Array(ascii.prefix(10))] {
            let (ids, firsts) = DataPages.merged(values)
            let expected = reference(values)
            #expect(ids == expected.ids)
            #expect(firsts == expected.firsts)
        }
        #expect(DataPages.merged(unicode).firsts.count == reference(Array(ascii.prefix(500))).firsts.count + 3)
    }

    @Test func aFolderIsADatasetAndAnUndeclaredExtraColumnNamesBothFiles() throws {
        var (datasets, problems) = try load([
            "Data/spend/a.csv": "year,amount\n2019,1\n", "Data/spend/b.csv": "year,amount\n2020,2\n",
        ])
        #expect(problems.isEmpty)
        #expect(datasets.map(\.name) == ["spend"])
        #expect(datasets.first?.rowCount == 2)
        (datasets, problems) = try load([
            "Data/spend/a.csv": "year,amount\n2019,1\n", "Data/spend/b.csv": "year,amount,note\n2020,2,x\n",
        ])
        #expect(
            problems.map(\.headline) == [
                "Data/spend/b.csv:1:3: error: column 'note' is in Data/spend/b.csv but not in Data/spend/a.csv"
            ])
        (_, problems) = try load(["Data/x.schema.yml": "files: [nothing/*.csv]\n"])
        #expect(problems.first?.headline == "Data/x.schema.yml:1:8: error: files: nothing/*.csv matches no CSV file inside Data/")
    }

    // MARK: Names

    @Test func aliasesAndNormalizationGiveOneSpellingPerName() throws {
        let (datasets, problems) = try load([
            "Data/c.csv": """
                vendor,amt
                ACME Pty Ltd,1
                Acme Pty. Limited,2
                ACME PTY LTD,3
                Office of Sport,4
                Office Of Sport ,5
                Bolt  Corp,6
                Bolt Corporation,7
                Zeta,8
                """,
            "Data/c.schema.yml": "columns:\n  vendor: {type: text, normalize: true}\n",
            "Data/c.aliases.yml": "vendor:\n  Bolt Corporation: [Bolt  Corp]\n",
        ])
        #expect(problems.isEmpty, "\(problems)")
        let t = try #require(datasets.first)
        #expect(
            texts(t, "vendor") == [
                "ACME Pty Ltd", "ACME Pty Ltd", "ACME Pty Ltd", "Office of Sport", "Office of Sport", "Bolt Corporation",
                "Bolt Corporation", "Zeta",
            ])
    }

    @Test func nearDuplicatesAreReportedWithTheirRows() throws {
        let (datasets, problems) = try load([
            "Data/c.csv": "vendor\nYouth Services Inc\nYouth Services Inc\n\"Youth Service, Inc\"\nACME INC\nAcme Inc.\nCUA 5 LLC\nCUA 9 LLC\n"
        ])
        let t = try #require(datasets.first, "\(problems)")
        let groups = NameCleaning.nearDuplicates(t, column: 0)
        #expect(groups.map(\.reason) == ["1 letter apart", "equal once normalized"])
        #expect(groups[0].names.map(\.0) == ["Youth Services Inc", "Youth Service, Inc"])
        #expect(groups[0].names.map(\.1) == [2, 1])
        #expect(groups[1].names.map(\.0) == ["ACME INC", "Acme Inc."])
        // A warning when a cleaned column still has some.
        let (_, warned) = try load([
            "Data/c.csv": "vendor\nYouth Services Inc\n\"Youth Service, Inc\"\n",
            "Data/c.schema.yml": "columns:\n  vendor: {type: text, normalize: [trim, spaces]}\n",
        ])
        #expect(warned.map(\.code) == [.dataNearDuplicates])
        #expect(warned.first?.severity == .warning)
    }

    // MARK: Currencies

    @Test func formatsAnyCurrency() {
        let format = NumberFormat()
        #expect(format.apply("money", to: Decimal(string: "42377.5")!, unit: "USD") == "$42,377.50")
        #expect(format.apply("money", to: 1_263_937, unit: "AUD") == "A$1,263,937")
        #expect(format.apply("money", to: 1_500, unit: "AUD", decimals: 2) == "A$1,500.00")
        #expect(format.apply("money_short", to: 1_639_045_606, unit: "AUD") == "A$1.6\u{00A0}bn")
        #expect(format.apply("money_words", to: 1_639_045_606, unit: "AUD") == "A$1.64 billion")
        #expect(format.apply("money", to: 20, unit: "EUR") == "€20")
        #expect(format.apply("money", to: 20, unit: "GBP") == "£20")
        #expect(format.apply("money", to: 20, unit: "RUB") == "20\u{00A0}₽")
        #expect(format.apply("money", to: 20, unit: "XOF") == "20\u{00A0}XOF")
        #expect(format.defaultTransform(unit: "AUD") == "money")
        #expect(NumberFormat.currencyMismatch("tenge_short", unit: "AUD") == "format 'tenge_short' writes KZT, but the value is in AUD")
        #expect(NumberFormat.currencyMismatch("tenge_short", unit: "KZT") == nil)
        #expect(NumberFormat.currencyMismatch("money_short", unit: "AUD") == nil)
    }

    @Test func claimsReadEveryCurrency() {
        let cases: [(String, String)] = [
            ("A$1.64 billion", "AUD"), ("AU$1.64 billion", "AUD"), ("AUD 1.64 billion", "AUD"),
            ("1.64 billion Australian dollars", "AUD"), ("€5 million", "EUR"), ("5 million EUR", "EUR"),
            ("£3 million", "GBP"), ("5 млн руб.", "RUB"), ("5 млн ₽", "RUB"), ("39 млн тг", "KZT"), ("39 million ₸", "KZT"),
        ]
        for (text, code) in cases {
            #expect(TypedQuantity(text)?.unit == code, "\(text)")
        }
        #expect(TypedQuantity("A$1.64 billion")?.value == Decimal(string: "1640000000"))
        // "$" alone is the dollar of the figure's currency.
        let dollars = TypedQuantity("$1.64 billion")!
        #expect((try? dollars.check(Decimal(string: "1639045606.97")!, unit: "AUD", tolerance: 0.01).get()) != nil)
        // A mismatch names a conversion only where a rate exists.
        if case .failure(let error) = TypedQuantity("€5 million")!.check(5_000_000, unit: "AUD", tolerance: 0.01) {
            #expect(error.message == "the claim is in Euros, but the figure is in Australian dollars")
            #expect(error.hint?.contains("usd_at") == false)
        } else {
            Issue.record("a claim in euros passed against Australian dollars")
        }
        if case .failure(let error) = TypedQuantity("$5 million")!.check(5_000_000, unit: "KZT", tolerance: 0.01) {
            #expect(error.hint?.contains("usd_at") == true)
        } else {
            Issue.record("a claim in dollars passed against tenge")
        }
    }

    // MARK: Starting points

    @Test func initWritesAProjectThatBuildsAndMatchesTheStarterExample() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("new-investigation")
        let paths = try Scaffold.initProject(at: root)
        #expect(paths.contains("Content/site.yml") && paths.contains("Data/spending.schema.yml"))
        let site = try SiteBuilder(project: Project(root: root)).render()
        let story = try #require(site.files.first { $0.path == "first-story/index.html" })
        let html = String(decoding: story.bytes, as: UTF8.self)
        #expect(html.contains("$1,447,628"))
        #expect(html.contains("<svg"))
        // Vendors spelt two ways are one.
        #expect(!html.contains("Asphalt Works Limited"))
        #expect(throws: Scaffold.Exists.self) { try Scaffold.initProject(at: root) }
        // The embedded files are Examples/starter/ (run .ci/embed-starter.py after editing it).
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Examples/starter").standardizedFileURL
        for (path, text) in Scaffold.starterFiles {
            #expect(try String(contentsOf: example.appendingPathComponent(path), encoding: .utf8) == text, "\(path)")
        }
    }

    @Test func aFormatOfAnotherCurrencyIsAnErrorAtItsLine() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        func build(_ body: String) -> [String] {
            let text = "---\ntitle: T\ndate: 2026-01-01\n---\n\n" + body + "\n"
            try? Data(text.utf8).write(to: root.appendingPathComponent("Content/first-story.md"))
            do {
                _ = try SiteBuilder(project: Project(root: root)).render()
                return []
            } catch {
                return error.diagnostics.map { $0.headline + ($0.hint.map { " | " + $0 } ?? "") }
            }
        }
        #expect(
            build("In all {{= sum(spending.amount) | tenge_short }}.") == [
                "Content/first-story.md:6:12: error: figure: format 'tenge_short' writes KZT, but the value is in USD | use money, money_short or money_words, which follow the value's currency"
            ])
        #expect(build("In all {{= sum(spending.amount) | money_words }}.") == [])
        #expect(
            build("```chart\ntype: bar\ndata: spending\nx: department\ny: amount\naggregate: sum\nformat: usd_short\n```\n\n```chart\ntype: bar\ndata: spending\nx: department\ny: amount\naggregate: sum\nformat: tenge\n```") == [
                "Content/first-story.md:21:1: error: chart: format 'tenge' writes KZT, but the value is in USD | use money or money_short, which follow the column's currency"
            ])
        // A claim in another currency: no conversion is proposed between euros and dollars.
        #expect(
            build("In all {{claim €1.4 million ≈ sum(spending.amount) ± 5%}}.") == [
                "Content/first-story.md:6:8: error: claim '€1.4 million' does not match sum(spending.amount) = $1,447,628.00: the claim is in Euros, but the figure is in US dollars | write the claim in US dollars, e.g. with its sign or code"
            ])
        #expect(build("In all {{claim US$1.45 million ≈ sum(spending.amount) ± 1%}}.") == [])
    }

    @Test func aRebuildSeesEveryFileOfAFolderDataset() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let spending = root.appendingPathComponent("Data/spending.csv")
        let folder = root.appendingPathComponent("Data/spending")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: spending, to: folder.appendingPathComponent("2025.csv"))
        let project = Project(root: root)
        let cache = BuildCache()
        func total() throws -> String? {
            let site = try SiteBuilder(project: project).render(cache: cache)
            return site.figures.first { $0.formula == "sum(spending.amount)" }?.value
        }
        #expect(try total() == "$1,447,628.00")
        // A new file in the folder joins the dataset; an edited one changes it.
        try Data("date,department,vendor,amount\n2026-01-05,Roads,Asphalt Works Ltd,\"$100.00\"\n".utf8)
            .write(to: folder.appendingPathComponent("2026.csv"))
        #expect(try total() == "$1,447,728.00")
        try Data("date,department,vendor,amount\n2026-01-05,Roads,Asphalt Works Ltd,\"$300.00\"\n".utf8)
            .write(to: folder.appendingPathComponent("2026.csv"))
        #expect(try total() == "$1,447,928.00")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("2026.csv"))
        #expect(try total() == "$1,447,628.00")
    }

    @Test func theSampleTemplatesBuildWithoutTheSampleDatasets() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Templates")
            .standardizedFileURL
        try FileManager.default.removeItem(at: root.appendingPathComponent("Templates"))
        try FileManager.default.copyItem(at: sample, to: root.appendingPathComponent("Templates"))
        let site = try SiteBuilder(project: Project(root: root)).render()
        #expect(site.warnings.map(\.headline) == ["Templates/home.mustache:9:1: warning: chart in a template left out: dataset 'budgets' does not exist"])
        #expect(site.warnings.map(\.code) == [.chartMissingDataset])
    }

    @Test func newDatasetFromAFileDraftsASchemaThatReadsIt() throws {
        let dir = try TemporaryDirectory()
        let csv = "id,department,vendor,amount,start,end,status\r"
            + (1...6).map { i in "C\(i),Water,\"Acme, Inc.\",\"$1,2\(i)4.50\",\(i)/3/2019,2019120\(i),\(i % 2 == 0 ? "open" : "closed")\r" }.joined()
            + "C7,Parks,Bolt,N/A,7/3/19,,open\r"
        let source = try dir.write("incoming/register.csv", csv)
        let project = Project(root: dir.url)
        let written = try Scaffold.draftDataset(in: project, name: "register", from: source, date: "2026-11-30")
        #expect(written == ["Data/register.csv", "Data/register.schema.yml"])
        let schema = try String(contentsOf: dir.path("Data/register.schema.yml"), encoding: .utf8)
        #expect(schema.contains("id: text  # every row has its own value: a candidate key"))
        #expect(schema.contains("amount: {type: number, unit: USD, group_separator: \",\"}  # 1 of 7 rows empty"))
        #expect(schema.contains("start: {type: date, format: [M/D/YYYY, M/D/YY]}\n"))
        #expect(schema.contains("end: {type: date, format: YYYYMMDD}"))
        #expect(schema.contains("status: {type: text, values: [closed, open]}"))
        #expect(schema.contains("null_values: [\"N/A\"]"))
        let (datasets, problems) = DatasetLoader.loadAll(project)
        #expect(problems.isEmpty, "\(problems)")
        #expect(datasets.first?.rowCount == 7)
        #expect(throws: Scaffold.Exists.self) {
            try Scaffold.draftDataset(in: project, name: "register", from: source, date: "2026-11-30")
        }
    }

    // MARK: Provenance that scales

    @Test func aFigureCitesAtMostThreeRowSources() {
        let many = FigureValue(value: 1, sources: ["notices"], notes: (1...40).map { "source: https://n.example/\($0)" } + ["converted at 1"])
        #expect(many.citedNotes == ["converted at 1", "source: https://n.example/1", "source: https://n.example/2", "source: https://n.example/3", "and 37 more sources, listed on the data page"])
        let few = FigureValue(value: 1, sources: ["notices"], notes: ["source: a", "source: b"])
        #expect(few.citedNotes == ["source: a", "source: b"])
    }
}
