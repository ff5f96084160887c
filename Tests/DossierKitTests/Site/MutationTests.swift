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

/// Every source file of the fixture site and of the sample, truncated or with bytes changed at
/// random (a fixed seed, so every run checks the same cases), goes through `dossier check` in
/// this process: each must end in a result or located problems, never a trap, and quickly.
/// The same bytes go through every fuzz entry, and so do the inputs the fuzzers once found.
@Suite struct MutationTests {
    struct Case {
        var site: URL
        var file: String
    }

    /// The source files of a site, by path under it.
    static func sources(of site: URL) throws -> [String] {
        var files: [String] = []
        for folder in ["Content", "Data", "Templates"] {
            for (path, _) in try Fixtures.readTree(site.appendingPathComponent(folder)) {
                files.append(folder + "/" + path)
            }
        }
        return files.sorted()
    }

    static func mutate(_ bytes: Data, _ random: inout SplitMix64) -> Data {
        var bytes = [UInt8](bytes)
        guard !bytes.isEmpty else { return Data([UInt8.random(in: 0...255, using: &random)]) }
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
        case 1:
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        default:
            // A piece of the file written again somewhere else in it.
            let start = Int.random(in: 0..<bytes.count, using: &random)
            let piece = bytes[start..<min(bytes.count, start + Int.random(in: 1...64, using: &random))]
            bytes.insert(contentsOf: piece, at: Int.random(in: 0...bytes.count, using: &random))
        }
        return Data(bytes)
    }

    @Test func mutatedSourcesNeverTrapOrHang() throws {
        var random = SplitMix64(seed: 20_261_130)
        let dir = try TemporaryDirectory()
        var cases: [(root: URL, file: String)] = []
        for (name, site) in [("fixture", Fixtures.validSite), ("sample", Fixtures.sampleSite)] {
            let root = dir.path(name)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try Fixtures.copySite(site, to: root)
            cases += try Self.sources(of: root).map { (root, $0) }
        }
        // The starter project, with a dataset as messy as governments publish: files in a
        // folder, a code page, semicolons, local dates and money, words for "no value", skipped
        // rows, columns from the file names, aliases.
        let starter = dir.path("starter")
        _ = try Scaffold.initProject(at: starter)
        let messy: [(String, [UInt8])] = [
            ("Data/regs/2019-Q1.csv", Array("ид;дата;сумма;поставщик\r\n1;01.02.2019;1 234,50 тг;ТОО «Ақ»\r\n2;-;N/A;АО Ромашка\r\n".utf8)),
            ("Data/regs/2019-Q2.csv", Array("ид;дата;amount;поставщик\r3;05.06.2019;(12,5);ТОО «АК»\r".utf8)),
            ("Data/regs.schema.yml", Array("""
                delimiter: semicolon
                null_values: ["-", "N/A"]
                on_error: skip
                rename: {amount: сумма}
                file_columns: {quarter: "Q(\\\\d)"}
                columns:
                  дата: {type: date, format: [DD.MM.YYYY, D.M.YY]}
                  сумма: {type: number, unit: KZT, group_separator: space, decimal_separator: ","}
                  поставщик: {type: text, normalize: true}

                """.utf8)),
            ("Data/regs.aliases.yml", Array("поставщик:\n  ТОО «Ақ»: [ТОО «АК»]\n".utf8)),
            ("Data/old.csv", [0x6E, 0x61, 0x6D, 0x65, 0x0D, 0xC0, 0xEB, 0xEC, 0xE0, 0x0D]),
            ("Data/old.schema.yml", Array("encoding: windows-1251\n".utf8)),
        ]
        for (path, bytes) in messy {
            let url = starter.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        _ = try SiteBuilder(project: Project(root: starter)).render()
        cases += messy.map { (starter, $0.0) } + [(starter, "Data/spending.csv"), (starter, "Data/spending.schema.yml")]
        var outcomes = (built: 0, refused: 0)
        for round in 0..<300 {
            let (root, file) = cases[round % cases.count]
            let url = root.appendingPathComponent(file)
            let original = try Data(contentsOf: url)
            let mutated = Self.mutate(original, &random)
            try mutated.write(to: url)
            defer { try? original.write(to: url) }
            let start = Date()
            do {
                _ = try SiteBuilder(project: Project(root: root)).render()
                outcomes.built += 1
            } catch {
                #expect(!error.diagnostics.isEmpty)
                outcomes.refused += 1
            }
            #expect(Date().timeIntervalSince(start) < 20, "\(file), round \(round), took too long")
            mutated.withUnsafeBytes { bytes in
                for entry in _FuzzEntry.allCases { entry.run(bytes) }
            }
            try original.write(to: url)
        }
        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        #expect(outcomes.built > 10 && outcomes.refused > 10, "\(outcomes)")
    }

    /// The inputs that once crashed or hung Dossier (`Fuzzing/regressions/TARGET/`): each is
    /// now refused with a problem, quickly, or, named `*.accepted.*`, read without one (the
    /// entry's own checks, such as "a drafted schema parses", are what held).
    @Test func pastFuzzingFindingsStayFixed() throws {
        let folder = Fixtures.sampleSite.appendingPathComponent("Fuzzing/regressions")
        var count = 0
        for entry in _FuzzEntry.allCases {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(entry.rawValue).path)) ?? []
            for name in files.sorted() where !name.hasPrefix(".") {
                let data = try Data(contentsOf: folder.appendingPathComponent(entry.rawValue).appendingPathComponent(name))
                let start = Date()
                let problems = data.withUnsafeBytes { entry.run($0) }
                #expect(problems > 0 || name.contains(".accepted."), "\(entry.rawValue)/\(name) was accepted")
                #expect(Date().timeIntervalSince(start) < 5, "\(entry.rawValue)/\(name)")
                count += 1
            }
        }
        #expect(count >= 4)
    }
}
