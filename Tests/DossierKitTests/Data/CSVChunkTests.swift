import Foundation
import Testing

@testable import DossierCore
@testable import DossierData

/// A CSV file is read a chunk at a time (issue 30): wherever the chunks happen to end, in a
/// quoted field with line breaks, between `\r` and `\n`, in blank lines, the dataset and every
/// problem's line are those of the file read whole, from memory and from disk alike.
@Suite struct CSVChunkTests {
    /// Every row's values as text, every problem as printed, and the files' counts.
    func outcome(_ csv: String, schema: String? = nil, chunk: Int, fromDisk: Bool, dir: TemporaryDirectory) throws -> [String] {
        var input: CSVDataset.Input
        if fromDisk {
            let url = dir.path("Data/x-\(chunk).csv")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(csv.utf8).write(to: url)
            input = CSVDataset.Input(path: "Data/x.csv", label: "x.csv", url: url)
        } else {
            input = CSVDataset.Input(path: "Data/x.csv", label: "x.csv", data: Data(csv.utf8))
        }
        input.chunk = chunk
        let parsed = try schema.map { try Schema.parse($0) }
        let (dataset, problems) = CSVDataset.read(
            [input], name: "x", path: "Data/x.csv", schema: parsed, schemaPath: schema == nil ? nil : "Data/x.schema.yml")
        var lines = problems.map(\.description)
        if let dataset {
            lines.append("columns: " + dataset.columns.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ","))
            for r in 0..<dataset.rowCount {
                lines.append((0..<dataset.columns.count).map { dataset[r, $0].plainText }.joined(separator: "|"))
            }
            lines.append("files: " + dataset.files.map { "\($0.rows)/\($0.skipped)" }.joined(separator: ","))
        }
        return lines
    }

    /// The same outcome for every chunk size from 1 byte up, from memory and from disk.
    func expectSameEverywhere(_ csv: String, schema: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let dir = try TemporaryDirectory()
        let whole = try outcome(csv, schema: schema, chunk: 1 << 30, fromDisk: false, dir: dir)
        for chunk in [1, 2, 3, 5, 7, 16, 31, 64, 200] {
            for fromDisk in [false, true] {
                let chunked = try outcome(csv, schema: schema, chunk: chunk, fromDisk: fromDisk, dir: dir)
                #expect(chunked == whole, "chunk \(chunk), from disk: \(fromDisk)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func quotedLineBreaksCRLFAndBlankLinesAcrossChunks() throws {
        try expectSameEverywhere(
            "\u{FEFF}id,name,amount,signed\r\n1,\"Acme\r\nLtd\",10.5,2019-01-02\r\n\r\n2,\"He said \"\"no\"\"\",7,2019-02-03\r3,Plain,,2019-03-04\r\r\r6,Old Mac,1,2019-05-06\r\n\r\n\n4,\"a,b\",1e3,2020-12-31\n5,Last,2,2021-01-01\n\r\r7,Bad,3,2021-13-01\n",
            schema: "columns:\n  id: integer\n  signed: date\n")
    }

    @Test func typesAreGuessedFromEveryChunk() throws {
        // The cell that makes a column text (or a number) is far from the first chunk.
        var csv = "n,code\n"
        for i in 0..<300 { csv += "\(i),\(i % 7)\n" }
        csv += "1.5,X\n"
        try expectSameEverywhere(csv)
    }

    @Test func problemsKeepTheirLinesAcrossChunks() throws {
        var csv = "id,amount,signed\n"
        for i in 0..<50 { csv += "\(i),\"\(i)\n.5\",2019-01-01\n" }
        csv = csv.replacingOccurrences(of: "\"\n", with: "")
        var rows = "id,amount,signed\n"
        for i in 0..<60 { rows += i == 41 ? "41,abc,2019-01-01\n" : (i == 50 ? "50,\"multi\nline\",2019-13-01\n" : "\(i),\(i),2019-01-01\n") }
        try expectSameEverywhere(rows, schema: "columns:\n  id: integer\n  amount: number\n  signed: date\n")
        let dir = try TemporaryDirectory()
        let lines = try outcome(rows, schema: "columns:\n  id: integer\n  amount: number\n  signed: date\n", chunk: 8, fromDisk: true, dir: dir)
        #expect(lines.contains { $0.hasPrefix("Data/x.csv:43:2: error:") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("Data/x.csv:52:2: error:") || $0.hasPrefix("Data/x.csv:52:3: error:") }, "\(lines)")
    }

    @Test func skippedRowsAndTrailingDelimitersAcrossChunks() throws {
        var csv = "a,b\n"
        for i in 0..<40 {
            switch i % 5 {
            case 0: csv += "\(i),x,\n"
            case 1: csv += "\(i)\n"
            case 2: csv += "\(i),notanumber\n"
            default: csv += "\(i),\(i)\n"
            }
        }
        try expectSameEverywhere(csv, schema: "on_error: skip\ncolumns:\n  a: integer\n  b: integer\n")
        try expectSameEverywhere(csv)
    }

    @Test func anUnclosedQuoteIsFoundWhereItOpens() throws {
        let csv = "a,b\n1,2\n3,\"open\n4,5\n6,7\n"
        try expectSameEverywhere(csv)
        let dir = try TemporaryDirectory()
        let lines = try outcome(csv, chunk: 4, fromDisk: true, dir: dir)
        #expect(lines == ["Data/x.csv:3:2: error: unterminated quoted field [data.csv]"] || lines.first?.hasPrefix("Data/x.csv:3:2: error: unterminated quoted field") == true, "\(lines)")
    }

    /// A file in a code page is transcoded a chunk at a time: its letters read as whole, and a
    /// byte the code page lacks is an error at its line in the file.
    @Test func aCodePageIsTranscodedChunkByChunk() throws {
        let dir = try TemporaryDirectory()
        var bytes = Array("supplier,amount\n".utf8)
        for i in 0..<40 {
            bytes += Array("Caf".utf8) + [0xE9] + Array(" \(i),\(i)\r\n".utf8)  // é in windows-1252
        }
        let url = dir.path("x.csv")
        let schema = try Schema.parse("encoding: windows-1252\n")
        func read(_ bytes: [UInt8], chunk: Int, disk: Bool) throws -> [String] {
            try Data(bytes).write(to: url)
            var input = disk ? CSVDataset.Input(path: "Data/x.csv", label: "x.csv", url: url) : CSVDataset.Input(path: "Data/x.csv", label: "x.csv", data: Data(bytes))
            input.chunk = chunk
            let (dataset, problems) = CSVDataset.read([input], name: "x", path: "Data/x.csv", schema: schema, schemaPath: "Data/x.schema.yml")
            return problems.map(\.description) + (dataset.map { d in (0..<d.rowCount).map { d[$0, 0].plainText } } ?? [])
        }
        let whole = try read(bytes, chunk: 1 << 30, disk: false)
        #expect(whole.first == "Café 0" && whole.last == "Café 39")
        for chunk in [1, 9, 64] { #expect(try read(bytes, chunk: chunk, disk: true) == whole, "chunk \(chunk)") }
        // 0x81 is no character in windows-1252: line 31 of the file.
        var broken = bytes
        let at = broken.indices.filter { broken[$0] == 0xE9 }[29]
        broken[at] = 0x81
        let problem = try read(broken, chunk: 1 << 30, disk: false)
        #expect(problem.first?.hasPrefix("Data/x.csv:31:4: error: byte 0x81 is not a character in windows-1252") == true, "\(problem)")
        for chunk in [1, 9, 64] { #expect(try read(broken, chunk: chunk, disk: true) == problem, "chunk \(chunk)") }
    }

    /// Streaming itself: a file many times the chunk size is handed over in chunks no larger
    /// than the chunk (its records are short), so the reader holds a chunk, not the file.
    @Test func aLargeFileIsHandedOverInChunksOfTheChunkSize() throws {
        let dir = try TemporaryDirectory()
        let url = dir.path("big.csv")
        var text = "id,name\n"
        for i in 0..<200_000 { text += "\(i),\"name \(i)\"\n" }
        try Data(text.utf8).write(to: url)
        var largest = 0
        var total = 0
        var chunks = 0
        try ChunkedFile.forEachChunk(path: url.path, chunk: 64 << 10, boundary: CSVParser.recordsEnd) { bytes, _, _ throws(LocalError) in
            largest = max(largest, bytes.count)
            total += bytes.count
            chunks += 1
        }
        #expect(total == text.utf8.count)
        #expect(largest <= 64 << 10)
        #expect(chunks >= text.utf8.count / (64 << 10))
    }

    @Test func aFileChecksumIsTheSameReadInChunks() throws {
        let dir = try TemporaryDirectory()
        for size in [0, 1, 55, 56, 63, 64, 65, 1 << 20, (1 << 20) + 17, 3 << 20] {
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let url = dir.path("f-\(size)")
            try bytes.write(to: url)
            #expect(SHA256.hex(fileAt: url.path) == SHA256.hex(bytes), "size \(size)")
        }
    }

    static let leeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../../shared/data/leeds-payments-2013").standardizedFileURL
    static let leedsAvailable = FileManager.default.fileExists(atPath: leeds.appendingPathComponent("2013-01.csv").path)

    /// The real register, read in small chunks from disk, reads as it does whole.
    @Test(.enabled(if: leedsAvailable, "../shared/data/leeds-payments-2013 is absent: skipped"))
    func leedsPaymentsReadTheSameInSmallChunks() throws {
        let first = "2013-01.csv"
        let folder = Self.leeds
        let url = folder.appendingPathComponent(first)
        let schema = try Schema.parse("encoding: windows-1252\non_error: skip\ntotals: drop\n")
        func read(_ chunk: Int) -> [String] {
            var input = CSVDataset.Input(path: first, label: first, url: url)
            input.chunk = chunk
            let (dataset, problems) = CSVDataset.read([input], name: "p", path: first, schema: schema, schemaPath: "p.schema.yml")
            var lines = problems.map(\.description)
            if let dataset {
                lines.append("\(dataset.rowCount) rows")
                for r in stride(from: 0, to: dataset.rowCount, by: 97) {
                    lines.append((0..<dataset.columns.count).map { dataset[r, $0].plainText }.joined(separator: "|"))
                }
            }
            return lines
        }
        let whole = read(1 << 30)
        #expect(whole.count > 10)
        #expect(read(4096) == whole)
    }
}

extension CSVChunkTests {
    /// A draft from disk reads the file a chunk at a time and says what a draft of its bytes
    /// in memory says; a byte that is not UTF-8 past the first megabyte (a council's file,
    /// mostly UTF-8 with a few windows-1252 letters) still makes it declare a code page.
    @Test func aDraftFromDiskIsTheDraftOfItsBytes() throws {
        let dir = try TemporaryDirectory()
        var text = "id;signed;supplier;amount;code\n"
        for i in 0..<60_000 { text += "\(i);2019-\(i % 12 + 1)-0\(i % 9 + 1);Supplier \(i % 400);\(i % 1000).5;0\(i % 90)\n" }
        let url = dir.path("p.csv")
        try Data(text.utf8).write(to: url)
        guard case .success(let fromDisk) = SchemaDraft.draft(fileAt: url, name: "p", date: "2026-12-08"),
            case .success(let inMemory) = SchemaDraft.draft(Data(text.utf8), name: "p", date: "2026-12-08")
        else {
            Issue.record("no draft")
            return
        }
        #expect(fromDisk == inMemory)
        #expect(fromDisk.contains("delimiter: semicolon") && !fromDisk.contains("encoding:"))

        var bytes = Array(text.utf8)
        bytes += Array("60000;2019-01-01;Caf".utf8) + [0xE9] + Array(";1.5;012\n".utf8)
        try Data(bytes).write(to: url)
        guard case .success(let codePage) = SchemaDraft.draft(fileAt: url, name: "p", date: "2026-12-08") else {
            Issue.record("no draft")
            return
        }
        #expect(codePage.contains("encoding: windows-1252"), "\(codePage)")
        #expect(bytes.count > 1 << 20)
    }
}

extension CSVChunkTests {
    /// The draft's sample, taken as the file is read: at most 20,000 rows, at least half that,
    /// every one a multiple of the final step, spread to the end of the file.
    @Test func theDraftSampleSpreadsOverTheWholeFile() throws {
        for rows in [5, 20_000, 20_001, 123_457] {
            var text = "n\n"
            for i in 0..<rows { text += "\(i)\n" }
            var shape = CSVDataset.Shape(delimiter: UInt8(ascii: ","), skipBadRows: false)
            var sample = SchemaDraft.Sample()
            try CSVDataset.forEachChunk(.memory(Data(text.utf8)), chunk: 4096) { bytes throws(LocalError) in
                let first = shape.rows
                let fields = try shape.scan(bytes)
                sample.take(bytes, fields, firstRow: first, columns: 1)
            }
            let taken = sample.rows.map { Int($0[0])! }
            #expect(taken.count <= SchemaDraft.sampleRows && taken.count >= min(rows, SchemaDraft.sampleRows / 2), "\(rows) rows")
            #expect(taken.allSatisfy { $0 % sample.step == 0 } && taken == taken.sorted())
            #expect(taken.last! >= rows - sample.step, "\(rows) rows: the last taken is \(taken.last!)")
        }
    }
}

extension CSVChunkTests {
    /// Where the whole records of a chunk end, found from the back, is where a scan from the
    /// front that follows every quote finds it.
    @Test func recordsEndAgreesWithAScanFromTheFront() {
        func reference(_ bytes: [UInt8]) -> Int? {
            var quoted = false
            var end: Int?
            for (i, b) in bytes.enumerated() {
                if b == 0x22 {
                    quoted.toggle()
                } else if !quoted && (b == 0x0A || (b == 0x0D && i + 1 < bytes.count && bytes[i + 1] != 0x0A)) {
                    end = i + 1
                }
            }
            return end
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet: [UInt8] = Array("a,\"\n\r".utf8)
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 58)
            var bytes: [UInt8] = []
            for k in 0..<length { bytes.append(alphabet[Int((state >> UInt64(k % 50)) % 5)]) }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let found = bytes.withUnsafeBufferPointer { CSVParser.recordsEnd($0) }
            #expect(found == reference(bytes), "\(bytes)")
        }
    }
}

extension CSVChunkTests {
    /// Counting a byte 32 at a time counts what a loop over every byte counts, at every length
    /// and alignment, past the 255 blocks after which a lane's count is added up.
    @Test func countingAByteInBlocksCountsEveryOne() {
        var state: UInt64 = 7
        for length in [0, 1, 31, 32, 33, 64, 255 * 32 - 1, 255 * 32, 255 * 32 + 1, 40_000] {
            var bytes: [UInt8] = []
            for _ in 0..<length + 3 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(state >> 60 < 3 ? 0x22 : UInt8(truncatingIfNeeded: state >> 40))
            }
            for offset in 0..<3 {
                let slice = Array(bytes[offset..<offset + length])
                let naive = slice.filter { $0 == 0x22 }.count
                #expect(slice.withUnsafeBufferPointer { Bytes.count(0x22, in: $0) } == naive, "length \(length)")
                let all = [UInt8](repeating: 0x22, count: length)
                #expect(all.withUnsafeBufferPointer { Bytes.count(0x22, in: $0) } == length)
            }
        }
    }
}
