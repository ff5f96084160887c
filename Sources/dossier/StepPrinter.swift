import DossierKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Prints the build's steps. On a terminal each long step gets one line that updates in place
/// (`pages  4,210 of 10,054 · 2,905/s`) and becomes the step's time when it ends; piped or in
/// CI (`CI` set, or `TERM=dumb`) only the finished lines are printed, one per step.
final class StepPrinter: @unchecked Sendable {
    let live: Bool
    private let lock = NSLock()
    private var lastDraw: UInt64 = 0
    private var started: [String: UInt64] = [:]
    private var totals: [String: Int] = [:]
    private var drawn = false
    private let format = NumberFormat(language: "en")

    init(environment: [String: String] = ProcessInfo.processInfo.environment, terminal: Bool = isatty(1) == 1) {
        live = terminal && environment["CI"] == nil && environment["TERM"] != "dumb"
    }

    /// Items of a step done so far, from any thread; redrawn at most every 80 ms.
    func progress(_ step: String, _ done: Int, _ total: Int) {
        lock.withLock {
            let now = DispatchTime.now().uptimeNanoseconds
            if started[step] == nil { started[step] = now }
            totals[step] = total
            guard live, now - lastDraw > 80_000_000 || done == total else { return }
            lastDraw = now
            let elapsed = Double(now - started[step]!) / 1e9
            var line = "\r\u{1B}[2K  \(Self.pad(step)) \(grouped(done)) of \(grouped(total))"
            if elapsed > 0.01 { line += " · \(grouped(Int(Double(done) / elapsed)))/s" }
            FileHandle.standardOutput.write(Data(line.utf8))
            drawn = true
        }
    }

    /// The line a finished step leaves: its time, and how many items at what rate.
    func finished(_ step: String, _ seconds: Double) {
        lock.withLock {
            let total = totals.removeValue(forKey: step)
            started[step] = nil
            FileHandle.standardOutput.write(
                Data(((drawn ? "\r\u{1B}[2K" : "") + line(step, seconds, total) + "\n").utf8))
            drawn = false
        }
    }

    func line(_ step: String, _ seconds: Double, _ total: Int?) -> String {
        var line = "  \(Self.pad(step)) \(Build.duration(seconds))"
        if let total, seconds > 0 { line += " (\(grouped(total)) at \(grouped(Int(Double(total) / seconds)))/s)" }
        return line
    }

    private func grouped(_ n: Int) -> String { format.grouped(Decimal(n)) }

    static func pad(_ step: String) -> String { step.padding(toLength: 16, withPad: " ", startingAt: 0) }
}
