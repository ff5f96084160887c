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

/// The City of Philadelphia's contract registers in `../shared/data/`, exactly as published
/// (38 files: LF, CRLF and bare CR, four not UTF-8, headers that change), read with the
/// schemas of `Examples/philadelphia/` and checked against Python's csv module on the raw
/// files. Skipped where `../shared` is absent.
@Suite struct PhiladelphiaTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../../shared/data/philadelphia-contracts").standardizedFileURL
    static var available: Bool { FileManager.default.fileExists(atPath: shared.path) }

    /// A project with the example's schemas and the registers copied in as they are.
    func project() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Examples/philadelphia/Data").standardizedFileURL
        try FileManager.default.createDirectory(at: dir.path("Data"), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: example.path) where name.hasSuffix(".yml") {
            try FileManager.default.copyItem(at: example.appendingPathComponent(name), to: dir.path("Data/\(name)"))
        }
        try FileManager.default.copyItem(
            at: Self.shared.appendingPathComponent("professional-services"), to: dir.path("Data/professional_services"))
        try FileManager.default.copyItem(at: Self.shared.appendingPathComponent("commodities"), to: dir.path("Data/commodities"))
        return dir
    }

    /// What Python's csv module says of each file: rows, and the sums of the amount column by
    /// fiscal year (from the file name) and by department, over the rows Dossier keeps.
    func python(_ dir: URL) throws -> [String: Any] {
        let script = #"""
            import csv, glob, io, json, os, re, sys
            from decimal import Decimal
            root = sys.argv[1]
            out = {"rows": {}, "fy": {}, "dept": {}}
            for path in sorted(glob.glob(os.path.join(root, "*", "*.csv"))):
                raw = open(path, "rb").read()
                try: text = raw.decode("utf-8-sig")
                except UnicodeDecodeError: text = raw.decode("mac_roman")
                rows = [r for r in csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"))) if r]
                name = os.path.relpath(path, root)
                out["rows"][name] = len(rows) - 1
                if not name.startswith("professional"): continue
                header = [h.strip() for h in rows[0]]
                amt = header.index("amt") if "amt" in header else header.index("contract_amount")
                fy = re.search(r"FY-(\d{4})", name).group(1)
                for r in rows[1:]:
                    v = r[amt].strip().replace(",", "").replace("$", "")
                    negative = v.startswith("(") and v.endswith(")")  # accounting: (450,000.00)
                    try: d = Decimal(v.strip("()"))
                    except Exception: continue
                    if negative: d = -d
                    if len(r) != len(header) and any(c.strip() for c in r[len(header):]): continue
                    out["fy"][fy] = str(Decimal(out["fy"].get(fy, "0")) + d)
                    dept = " ".join(r[header.index("department_name")].split()).lower()
                    out["dept"][dept] = str(Decimal(out["dept"].get(dept, "0")) + d)
            print(json.dumps(out))
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, dir.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test(.enabled(if: PhiladelphiaTests.available, "../shared/data/philadelphia-contracts is absent: skipped"))
    func all38FilesReadAsPythonReadsThem() throws {
        let dir = try project()
        let (datasets, problems) = DatasetLoader.loadAll(Project(root: dir.url))
        #expect(!problems.contains { $0.severity == .error }, "\(problems)")
        let ps = try #require(datasets.first { $0.name == "professional_services" })
        let commodities = try #require(datasets.first { $0.name == "commodities" })
        #expect(ps.files.count == 29)
        #expect(commodities.files.count == 9)
        let expected = try python(dir.path("Data"))
        let rows = expected["rows"] as! [String: Int]
        #expect(rows.count == 38)
        for file in ps.files + commodities.files {
            #expect(file.rows + file.skipped == rows[file.label], "\(file.label)")
        }
        // Totals by fiscal year and by department, over the rows read.
        let amt = try #require(ps.columnIndex("amt"))
        let fileColumn = try #require(ps.columnIndex("file"))
        let department = try #require(ps.columnIndex("department_name"))
        var byYear: [String: Decimal] = [:]
        var byDepartment: [String: Decimal] = [:]
        for r in 0..<ps.rowCount {
            guard let value = ps.data[amt].decimal(at: r) else { continue }
            let label = ps[r, fileColumn].plainText
            let year = String(label[label.range(of: "FY-")!.upperBound...].prefix(4))
            byYear[year, default: 0] += value
            // The example's schema merges departments spelt in other cases: compare case-folded.
            byDepartment[ps[r, department].plainText.lowercased(), default: 0] += value
        }
        let pyYears = (expected["fy"] as! [String: String]).mapValues { Decimal(string: $0)! }
        let pyDepartments = (expected["dept"] as! [String: String]).mapValues { Decimal(string: $0)! }
        #expect(byYear.keys.sorted() == pyYears.keys.sorted())
        // Python sums every amount it can read; Dossier leaves out the few rows skipped for
        // another column (listed in the build's warnings): their amounts are the difference.
        let skippedAmounts = pyYears.values.reduce(0, +) - byYear.values.reduce(0, +)
        #expect(skippedAmounts >= 0)
        #expect(skippedAmounts < Decimal(string: "0.001")! * pyYears.values.reduce(0, +))
        // Every fiscal year's and every department's total is Python's to the cent (FY2013's
        // three rows left out for their end dates have no amount), but for the two spellings
        // the alias file makes one department.
        for (year, total) in pyYears {
            #expect(byYear[year] == total, "FY\(year): \(byYear[year] ?? 0) against Python's \(total)")
        }
        let merged = ["city representative", "city representative z"]
        for (name, total) in pyDepartments where !merged.contains(name) {
            #expect(byDepartment[name] == total, "\(name): \(byDepartment[name] ?? 0) against Python's \(total)")
        }
        #expect(byDepartment[merged[0]] == pyDepartments[merged[0]]! + pyDepartments[merged[1]]!)
        #expect(byDepartment[merged[1]] == nil)
        #expect(byDepartment.count == pyDepartments.count - 1)
        // The near-duplicate report on the vendor names as published (no normalize:) lists
        // case and company-suffix variants.
        let schema = dir.path("Data/professional_services.schema.yml")
        let text = try String(contentsOf: schema, encoding: .utf8).replacingOccurrences(of: "    normalize: true\n", with: "")
        try Data(text.utf8).write(to: schema)
        let (rawSets, _) = DatasetLoader.loadAll(Project(root: dir.url))
        let raw = try #require(rawSets.first { $0.name == "professional_services" })
        let groups = NameCleaning.nearDuplicates(raw, column: try #require(raw.columnIndex("vendor")))
        let normalized = groups.filter { $0.reason == "equal once normalized" }.map { $0.names.map(\.0) }
        #expect(normalized.contains { names in Set(names.map { $0.lowercased() }).count < names.count })  // case only
        #expect(normalized.contains { names in names.contains { $0.hasSuffix("Inc.") } && names.contains { $0.hasSuffix("Inc") } })
    }
}
