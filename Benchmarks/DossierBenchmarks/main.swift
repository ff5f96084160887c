import DossierKit
import Foundation

// Benchmarks, run on demand in release mode (never in the test run):
//
//     swift run -c release dossier-benchmarks [rows]
//
// Generates a deterministic tender CSV (8 columns, quoted fields with commas and quotes) of
// `rows` rows (default 1,000,000), then times reading it and drawing a chart that aggregates
// it by year and status. Prints wall time per step and the peak resident memory.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now()
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

/// A deterministic CSV of tenders: the same rows on every machine.
func writeTenders(rows: Int, to url: URL) throws {
    let statuses = ["completed", "cancelled", "no_bidders", "not_reported"]
    let regions = ["Almaty", "Astana", "Shymkent", "Turkestan region", "Karaganda region", "Aktobe region"]
    var state: UInt64 = 0x2545F4914F6CDD1D
    func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    var chunk = "id,year,region,customer,title,amount_kzt,status,winner\n"
    for i in 0..<rows {
        let r = next()
        let year = 2013 + Int(r % 10)
        let region = regions[Int((r >> 8) % UInt64(regions.count))]
        let status = statuses[Int((r >> 16) % UInt64(statuses.count))]
        let amount = Int((r >> 24) % 100_000_000) + 100_000
        chunk += "T-\(i),\(year),\(region),\"Akimat of \(region), department \(i % 97)\","
        chunk += "\"Lot \(i): \"\"outreach\"\", videos, and materials\",\(amount),\(status),\"Fund \(i % 1013), LLP\"\n"
        if chunk.utf8.count > 1 << 20 {
            handle.write(Data(chunk.utf8))
            chunk = ""
        }
    }
    handle.write(Data(chunk.utf8))
    try handle.close()
}

let rows = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-bench-\(ProcessInfo.processInfo.processIdentifier)/Data")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
let csv = folder.appendingPathComponent("tenders.csv")

let generate = try seconds { try writeTenders(rows: rows, to: csv) }
let size = (try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? Int) ?? 0
print("generated \(rows) rows, \(size / 1_048_576) MB in \(String(format: "%.2f", generate)) s")

var dataset: Dataset?
let load = try seconds { dataset = try Dataset.load(from: csv) }
print(String(format: "read and typed the CSV:   %.3f s", load))

let spec = """
    type: column
    data: tenders
    x: year
    y: amount_kzt
    series: status
    aggregate: sum
    stack: true
    title: Tender budgets by year and outcome
    """
var chart: RenderedChart?
let draw = try seconds { chart = try ChartRenderer.render(spec: spec, datasets: [dataset!]) }
print(String(format: "aggregated and drew:      %.3f s", draw))
print(String(format: "chart from CSV, total:    %.3f s (target: under 1 s)", load + draw))
print(String(format: "peak memory:              %.0f MB", peakMemoryMB()))
print("chart: \(chart!.html.utf8.count) bytes, \(chart!.csv.split(separator: "\n").count - 1) plotted rows")
