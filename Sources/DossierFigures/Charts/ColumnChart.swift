import Foundation

/// Vertical bars, for periods and other short category labels: grouped, stacked or 100%.
enum ColumnChart: ChartDrawer {
    static func draw(_ chart: ChartContext, layout: ChartLayout) -> (body: SVG, height: Double) {
        let table = chart.table
        let mode = chart.spec.stack
        let stacking = Stacking(table, mode: mode)
        let width = layout.width
        let height = Double(chart.spec.height ?? (layout.narrow ? 260 : 320))
        let size = layout.fontSize
        var svg = SVG()

        let seriesPaints = chart.paints(table.seriesKeys, distinct: true)
        let categoryPaints = chart.paints(table.categoryKeys, distinct: false)
        // Legend for several series.
        var top = 4.0
        top += Legend.series(chart, paints: seriesPaints, into: &svg, layout: layout)
        let format: (Double) -> String = { mode == .percent ? chart.percent($0) : chart.tick($0) }
        // Value labels sit above (or below) the bars.
        let valueRoom = layout.lineHeight + 2
        let n = Double(max(1, table.categories.count))

        // The y axis labels decide the left margin; a first scale gives the ticks.
        let provisional = LinearScale(values: stacking.extent, range: (1, 0), maxTicks: layout.narrow ? 5 : 6)
        let left = (provisional.ticks.map { TextMetrics.width(format($0), size: size - 1) }.max() ?? 0) + 8
        let band = (width - left) / n
        let labelSize = size - 1
        // Periods in time order keep their labels on one line and show every k-th one, so that
        // they never overlap (250 days or 36 months at 390 px); other labels wrap in their band.
        let widest = table.categories.map { TextMetrics.width($0, size: labelSize) }.max() ?? 0
        let every = table.timeAxis ? max(1, Int(ceil((widest + 6) / max(band, 1)))) : 1
        let wrapped: [(lines: [String], shortened: Bool)] =
            table.timeAxis
            ? table.categories.map { ([$0], false) }
            : table.categories.map { TextMetrics.fit($0, lines: 3, width: band - 4, size: labelSize) }
        let labelLines = Double(wrapped.map(\.lines.count).max() ?? 1)
        let bottom = height - labelLines * layout.lineHeight - 6
        let plotTop = top + valueRoom
        let negativeRoom = stacking.extent.contains { $0 < 0 } ? valueRoom : 0
        let scale = LinearScale(
            values: stacking.extent, range: (bottom - negativeRoom, plotTop), maxTicks: layout.narrow ? 5 : 6)

        // Grid and ticks.
        svg.open("g", ["class": "axis", "aria-hidden": "true"])
        for tick in scale.ticks {
            let y = scale(tick)
            svg.line(x1: left, x2: width, y1: y, y2: y, className: tick == 0 ? "baseline" : "grid")
            svg.text(format(tick), x: left - 6, y: y + 4, anchor: "end", className: "tick")
        }
        svg.close("g")

        // Bars.
        let groupCount = mode == .none ? Double(table.values.count) : 1
        let inner = band * (table.categories.count > 12 ? 0.85 : 0.7)
        let barWidth = inner / groupCount
        let showValues = !table.isMultiSeries || mode != .none
        let valueFits = table.categories.indices.allSatisfy { c in
            TextMetrics.width(valueText(chart, stacking, c, mode: mode), size: size - 1) <= band - 2
        }
        for s in table.seriesKeys.indices {
            let paint = seriesPaints[s]
            svg.open("g", ["class": "series"])
            for c in table.categories.indices {
                guard let segment = stacking.segments[s][c] else { continue }
                let x0 = left + band * Double(c) + (band - inner) / 2 + (mode == .none ? barWidth * Double(s) : 0)
                let yA = scale(segment.from)
                let yB = scale(segment.to)
                let barPaint = table.isMultiSeries ? paint : categoryPaints[c]
                let name = table.isMultiSeries ? "\(table.categories[c]) · \(table.series[s])" : table.categories[c]
                let value =
                    mode == .percent
                    ? chart.percent(stacking.shown[s][c] ?? 0) : table.values[s][c].map(chart.exact) ?? ""
                svg.rect(
                    x: x0, y: min(yA, yB), width: max(0.5, barWidth - (groupCount > 1 ? 1 : 0)), height: max(0.5, abs(yB - yA)),
                    className: barPaint.className, fill: barPaint.fill, title: "\(name): \(value)")
            }
            svg.close("g")
        }

        // Value labels: above positive bars, below negative ones; for stacks, the total.
        if showValues && valueFits {
            svg.open("g", ["class": "values"])
            for c in table.categories.indices {
                let text = valueText(chart, stacking, c, mode: mode)
                guard !text.isEmpty else {
                    // Say so when a category has no figure at all, rather than leave a silent gap.
                    if mode != .percent, table.values.allSatisfy({ $0[c] == nil }) {
                        svg.text(
                            chart.format.words.text("chart_no_figure"), x: left + band * (Double(c) + 0.5), y: scale(0) - 5,
                            anchor: "middle",
                            className: "tick")
                    }
                    continue
                }
                let extentTop = (0..<table.values.count).compactMap { stacking.segments[$0][c]?.to }.max() ?? 0
                let extentBottom = (0..<table.values.count).compactMap { stacking.segments[$0][c]?.to }.min() ?? 0
                let negative = mode == .none ? (stacking.shown[0][c] ?? 0) < 0 : extentTop <= 0
                let y = negative ? scale(extentBottom) + layout.lineHeight - 2 : scale(extentTop) - 5
                let isHighlighted = chart.isHighlighted(table.categoryKeys[c])
                svg.text(
                    text, x: left + band * (Double(c) + 0.5), y: y, anchor: "middle",
                    className: isHighlighted ? "value highlight" : "value")
            }
            svg.close("g")
        }

        // Category labels.
        svg.open("g", ["class": "categories"])
        for (c, label) in wrapped.enumerated() where c % every == 0 {
            svg.lines(
                label.lines, x: left + band * (Double(c) + 0.5), y: bottom + layout.lineHeight,
                lineHeight: layout.lineHeight,
                anchor: "middle", className: "category", title: label.shortened ? table.categories[c] : nil)
        }
        svg.close("g")
        return (svg, height)
    }

    /// The label over category `c`: its value, or its stack's total (100% stacks show none).
    static func valueText(_ chart: ChartContext, _ stacking: Stacking, _ c: Int, mode: StackMode) -> String {
        switch mode {
        case .none: return chart.table.values[0][c].map(chart.short) ?? ""
        case .stacked:
            let values = chart.table.values.compactMap { $0[c] }
            return values.isEmpty ? "" : chart.short(values.reduce(0, +))
        case .percent: return ""
        }
    }
}
