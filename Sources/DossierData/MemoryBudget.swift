import Foundation

/// Refuses a dataset that would not fit in memory, before reading it: a clear error naming the
/// file instead of the machine swapping or the process being killed.
enum MemoryBudget {
    /// Memory a dataset needs per byte of file: the file itself while it is parsed, plus its
    /// columns (measured: a 143 MB, 1,000,000-row CSV peaks at 391 MB).
    static let bytesPerFileByte: Int64 = 3

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

    /// An error when the file at `path` would not fit.
    static func check(_ url: URL, path: String) -> Diagnostic? {
        guard let size = FileStamp.of(url)?.size else { return nil }
        let needed = size * bytesPerFileByte
        let available = available()
        guard needed > available else { return nil }
        return Diagnostic(
            SourceLocation(path: path),
            "dataset is too large to load: \(megabytes(size)) on disk needs about \(megabytes(needed)) of memory, and \(megabytes(available)) is available",
            hint: "split it into smaller files or filter it before building (DOSSIER_MEMORY_MB sets the limit)", code: .dataTooLarge)
    }

    static func megabytes(_ bytes: Int64) -> String {
        let mb = Double(bytes) / 1_048_576
        return mb >= 10 ? "\(Int(mb.rounded())) MB" : String(format: "%.1f MB", mb)
    }
}
