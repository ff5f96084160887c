import Foundation

/// Horizontal bars, for long labels such as lot titles: each label sits on its own line(s)
/// above its bar, so it never has to be cut to fit beside it. Grouped, stacked or 100%.
enum BarChart: ChartDrawer {
    /// What the wide and the narrow drawing share, worked out once per chart: the stacking,
    /// the colours, the value labels and each bar's tooltip.
    final class Shared {
        let stacking: Stacking
        let seriesPaints: [(className: String, fill: String?)]
        let categoryPaints: [(className: String, fill: String?)]
        /// The value label beside each category's bar (group), or "".
        let labels: [String]
        /// `tooltips[s][c]`: `category · series: value`, for each segment drawn.
        let tooltips: [[String]]
        /// `values[s][c]`: the label at the end of each bar of a grouped chart, or nil.
        let values: [[String?]]

        init(_ chart: ChartContext) {
            let table = chart.table
            let mode = chart.spec.stack
            stacking = Stacking(table, mode: mode)
            seriesPaints = chart.paints(table.seriesKeys, distinct: true)
            categoryPaints = chart.paints(table.categoryKeys, distinct: false)
            let stacking = self.stacking
            labels = table.categories.indices.map {
                ColumnChart.valueText(chart, stacking, $0, mode: mode == .percent ? .none : mode)
            }
            let format: (Double) -> String = {
                mode == .percent ? chart.percent($0) : chart.short(Decimal(string: String($0)) ?? 0)
            }
            tooltips = table.values.indices.map { s in
                table.categories.indices.map { c in
                    guard stacking.segments[s][c] != nil else { return "" }
                    let name = table.isMultiSeries ? "\(table.categories[c]) · \(table.series[s])" : table.categories[c]
                    let value =
                        mode == .percent
                        ? chart.percent(stacking.shown[s][c] ?? 0) : table.values[s][c].map(chart.exact) ?? ""
                    return "\(name): \(value)"
                }
            }
            values = table.values.indices.map { s in
                table.categories.indices.map { c in
                    guard mode == .none && table.isMultiSeries, stacking.segments[s][c] != nil,
                        let v = stacking.shown[s][c]
                    else { return nil }
                    return format(v)
                }
            }
        }
    }

    static func draw(_ chart: ChartContext, layout: ChartLayout) -> (body: SVG, height: Double) {
        let table = chart.table
        let mode = chart.spec.stack
        let shared = chart.shared(Shared.self) { Shared(chart) }
        let stacking = shared.stacking
        let width = layout.width
        let size = layout.fontSize
        var svg = SVG()

        let seriesPaints = shared.seriesPaints
        let categoryPaints = shared.categoryPaints
        var y = 4.0
        y += Legend.series(chart, paints: seriesPaints, into: &svg, layout: layout)
        let labels = shared.labels
        let labelRoom = mode == .percent ? 0 : (labels.map { TextMetrics.width($0, size: size - 1) }.max() ?? 0) + 8
        let hasNegative = stacking.extent.contains { $0 < 0 }
        let scale = LinearScale(
            values: stacking.extent, range: (hasNegative ? labelRoom : 0, width - labelRoom),
            maxTicks: layout.narrow ? 4 : 6)
        let zero = scale(0)
        let barHeight = mode == .none && table.isMultiSeries ? max(8, 20 / Double(table.values.count) + 4) : 18
        let groupHeight = mode == .none ? barHeight * Double(table.values.count) : barHeight

        var baselines = SVG(capacity: 1_024)
        for c in table.categories.indices {
            let key = table.categoryKeys[c]
            let fitted = TextMetrics.fit(table.categories[c], lines: 2, width: width, size: size)
            let highlight = chart.isHighlighted(key)
            svg.lines(
                fitted.lines, x: 0, y: y + size, lineHeight: layout.lineHeight,
                className: highlight ? "label highlight" : "label", title: fitted.shortened ? table.categories[c] : nil)
            y += Double(fitted.lines.count) * layout.lineHeight + 4
            // The zero line, one segment per bar group so it never crosses a label.
            baselines.line(x1: zero, x2: zero, y1: y - 2, y2: y + groupHeight + 2, className: "baseline")
            for s in table.values.indices {
                guard let segment = stacking.segments[s][c] else { continue }
                let paint = table.isMultiSeries ? seriesPaints[s] : categoryPaints[c]
                let x0 = scale(min(segment.from, segment.to))
                let x1 = scale(max(segment.from, segment.to))
                let barY = y + (mode == .none ? barHeight * Double(s) : 0)
                svg.rect(
                    x: x0, y: barY, width: max(0.5, x1 - x0), height: barHeight - (mode == .none && table.isMultiSeries ? 1 : 0),
                    className: paint.className, fill: paint.fill, title: shared.tooltips[s][c])
                if let text = shared.values[s][c], let v = stacking.shown[s][c] {
                    let end = v >= 0 ? x1 + 4 : x0 - 4
                    svg.text(
                        text, x: end, y: barY + barHeight / 2 + 4, anchor: v >= 0 ? nil : "end",
                        className: "value small")
                }
            }
            if !(mode == .none && table.isMultiSeries), !labels[c].isEmpty {
                let extent = (0..<table.values.count).compactMap { stacking.segments[$0][c] }
                let maxEnd = extent.map { max($0.from, $0.to) }.max() ?? 0
                let minEnd = extent.map { min($0.from, $0.to) }.min() ?? 0
                let negative = maxEnd <= 0 && minEnd < 0
                let x = negative ? scale(minEnd) - 4 : scale(maxEnd) + 4
                svg.text(
                    labels[c], x: x, y: y + groupHeight / 2 + 4.5, anchor: negative ? "end" : nil,
                    className: highlight ? "value highlight" : "value")
            }
            y += groupHeight + 12
        }
        // The zero line, drawn last so it sits over the bars' ends.
        svg.open("g", ["aria-hidden": "true"])
        svg.raw(baselines)
        svg.close("g")
        return (svg, y - 8)
    }
}
