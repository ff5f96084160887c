import Foundation

/// Where each bar segment starts and ends in value space, for grouped, stacked and 100%
/// stacked bar and column charts.
struct Stacking {
    /// `segments[s][c]`: the extent of series `s` in category `c`, nil when it has no value.
    var segments: [[(from: Double, to: Double)?]]
    /// The values the scale must cover.
    var extent: [Double]
    /// What each segment shows: its value, or its share in a 100% stack.
    var shown: [[Double?]]

    init(_ table: ChartTable, mode: StackMode) {
        let nSeries = table.values.count
        let nCategories = table.categories.count
        var segments = [[(from: Double, to: Double)?]](
            repeating: Array(repeating: nil, count: nCategories), count: nSeries)
        var shown = [[Double?]](repeating: Array(repeating: nil, count: nCategories), count: nSeries)
        var extent: [Double] = [0]
        for c in 0..<nCategories {
            let raw = (0..<nSeries).map { table.values[$0][c].map { NSDecimalNumber(decimal: $0).doubleValue } }
            switch mode {
            case .none:
                for s in 0..<nSeries {
                    guard let v = raw[s] else { continue }
                    segments[s][c] = (0, v)
                    shown[s][c] = v
                    extent.append(v)
                }
            case .stacked, .percent:
                let total = raw.reduce(0.0) { $0 + abs($1 ?? 0) }
                var up = 0.0
                var down = 0.0
                for s in 0..<nSeries {
                    guard var v = raw[s] else { continue }
                    if mode == .percent { v = total == 0 ? 0 : v / total * 100 }
                    shown[s][c] = v
                    if v >= 0 {
                        segments[s][c] = (up, up + v)
                        up += v
                    } else {
                        segments[s][c] = (down, down + v)
                        down += v
                    }
                }
                extent.append(up)
                extent.append(down)
            }
        }
        self.segments = segments
        self.shown = shown
        self.extent = mode == .percent ? [0, 100] : extent
    }
}
