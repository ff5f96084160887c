import Foundation

/// A linear scale from data values to pixels, with "nice" ticks in steps of 1, 2 or 5 × 10ⁿ
/// that cover the whole domain.
struct LinearScale {
    /// The nice domain: the first and last tick.
    let domain: (min: Double, max: Double)
    let range: (start: Double, end: Double)
    let ticks: [Double]

    /// - Parameters:
    ///   - includeZero: bars must start at zero, so their scales always include it.
    ///   - maxTicks: an upper bound on the number of ticks.
    init(values: [Double], range: (Double, Double), includeZero: Bool = true, maxTicks: Int = 6) {
        var lo = values.min() ?? 0
        var hi = values.max() ?? 1
        if includeZero {
            lo = Swift.min(lo, 0)
            hi = Swift.max(hi, 0)
        }
        if lo == hi {
            // A single value or all zeros: give the scale some room.
            if lo == 0 {
                hi = 1
            } else if lo > 0 {
                lo = includeZero ? 0 : lo * 0.9; hi = hi * 1.1
            } else {
                hi = includeZero ? 0 : hi * 0.9; lo = lo * 1.1
            }
        }
        let ticks = LinearScale.niceTicks(lo, hi, maxTicks: maxTicks)
        self.ticks = ticks
        self.domain = (ticks.first!, ticks.last!)
        self.range = range
    }

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.max - domain.min
        guard span > 0 else { return range.start }
        return range.start + (value - domain.min) / span * (range.end - range.start)
    }

    /// The smallest 1-2-5 step giving at most `maxTicks` ticks from below `lo` to above `hi`.
    static func niceTicks(_ lo: Double, _ hi: Double, maxTicks: Int) -> [Double] {
        let span = hi - lo
        let rough = span / Double(Swift.max(1, maxTicks - 1))
        let magnitude = pow(10, floor(log10(rough)))
        var chosen: [Double] = []
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0] {
            let step = factor * magnitude
            let first = floor(lo / step + 1e-9) * step
            let last = ceil(hi / step - 1e-9) * step
            let count = Int(((last - first) / step).rounded()) + 1
            if count <= maxTicks {
                chosen = (0..<count).map { LinearScale.clean(first + Double($0) * step, step: step) }
                break
            }
        }
        return chosen.isEmpty ? [lo, hi] : chosen
    }

    /// Removes floating-point noise (0.30000000000000004 → 0.3).
    private static func clean(_ value: Double, step: Double) -> Double {
        let digits = Swift.max(0, -Int(floor(log10(step))) + 2)
        let factor = pow(10, Double(digits))
        let cleaned = (value * factor).rounded() / factor
        return cleaned == 0 ? 0 : cleaned
    }
}
