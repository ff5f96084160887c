import Foundation

/// Refuses a dataset that would not fit in memory, before reading it: a clear error naming the
/// file instead of the machine swapping or the process being killed.
enum MemoryBudget {
    /// Memory a dataset file needs once loaded. A CSV file is read a chunk at a time, so what
    /// counts is its typed columns: a text packed or interned, a code per cell, 8 bytes for a
    /// whole number and 20 for a decimal. Measured (`Benchmarks/large-csv.sh`, peak resident
    /// memory less the starter's own 33 MB, release build, 2026-12-08): 136 MB of long text in
    /// 1.8 million cells took 155 MB; 120 MB of short numbers, dates and names in 12 million
    /// cells, 118 MB; 48 MB of one-digit decimals (`1.5,` is 4 bytes, 20 once read as a
    /// `Decimal`) in 12 million cells, 251 MB. The estimate covers the three, the last with a
    /// tenth to spare. JSON and YAML are read whole: five times their size.
    static let bytesPerFileByte: Int64 = 5
    static let bytesPerFileByteCSV: Double = 1.5
    static let bytesPerCell: Double = 18
    /// What the program takes besides its datasets (the starter's `check` peaks at 33 MB).
    static let baseline: Int64 = 64 * 1_048_576

    /// ``estimate(_:size:)`` of the file as it is on disk, or nil when it is not there.
    static func estimate(_ url: URL) -> Int64? {
        FileStamp.of(url).map { estimate(url, size: $0.size) }
    }

    /// The memory a dataset file of `size` bytes needs, estimated before it is read: for CSV,
    /// its cells counted in its first 256 KB and scaled to its size; for JSON and YAML, a
    /// multiple of its size.
    static func estimate(_ url: URL, size: Int64) -> Int64 {
        guard url.pathExtension.lowercased() == "csv", size > 0 else { return size * bytesPerFileByte }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return size * bytesPerFileByte }
        defer { try? handle.close() }
        let sample = (try? handle.read(upToCount: 1 << 18)) ?? Data()
        guard !sample.isEmpty else { return size * bytesPerFileByte }
        let cells = sample.withUnsafeBytes { raw -> Int in
            let bytes = raw.bindMemory(to: UInt8.self)
            let delimiter = CSVParser.sniffDelimiter(bytes)
            var count = 1
            var quoted = false
            for b in bytes {
                if b == 0x22 { quoted.toggle() } else if !quoted && (b == delimiter || b == 0x0A) { count += 1 }
            }
            return count
        }
        let cellsInFile = Double(cells) / Double(sample.count) * Double(size)
        return Int64(Double(size) * bytesPerFileByteCSV + cellsInFile * bytesPerCell)
    }

    /// The memory the build may use, in bytes: `DOSSIER_MEMORY_MB` when set, else what the
    /// system says is available.
    static func available() -> Int64 {
        if let text = ProcessInfo.processInfo.environment["DOSSIER_MEMORY_MB"], let mb = Int64(text), mb > 0 {
            return mb * 1_048_576
        }
        if let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in info.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                if let kb = line.split(separator: " ").compactMap({ Int64($0) }).first { return kb * 1024 }
            }
        }
        return Int64(ProcessInfo.processInfo.physicalMemory)
    }

    /// An error when the file at `path`, read on its own, would not fit.
    static func check(_ url: URL, path: String) -> Diagnostic? {
        guard let size = FileStamp.of(url)?.size else { return nil }
        return check(path: path, size: size, needed: estimate(url, size: size), used: 0)
    }

    /// An error when a dataset of `size` bytes needing `needed` would not fit beside the `used`
    /// bytes the datasets read before it take.
    static func check(path: String, size: Int64, needed: Int64, used: Int64) -> Diagnostic? {
        let available = available()
        guard baseline + used + needed > available else { return nil }
        let others = used >= 1_048_576 ? " (with \(megabytes(used)) taken by the datasets read before it)" : ""
        return Diagnostic(
            SourceLocation(path: path),
            "dataset is too large to load: \(megabytes(size)) on disk needs about \(megabytes(needed)) of memory, and \(megabytes(available)) is available\(others)",
            hint: "split it into smaller files or filter it before building (DOSSIER_MEMORY_MB sets the limit)", code: .dataTooLarge)
    }

    static func megabytes(_ bytes: Int64) -> String {
        let mb = Double(bytes) / 1_048_576
        return mb >= 10 ? "\(Int(mb.rounded())) MB" : String(format: "%.1f MB", mb)
    }
}
