import Foundation

/// One square per unit (one per lot, say), coloured by category: the natural way to show
/// "8 of 20 lots completed".
enum WaffleChart: ChartDrawer {
    /// More units than this are better shown another way.
    static let maxUnits = 1000

    static func draw(_ chart: ChartContext, layout: ChartLayout) -> (body: SVG, height: Double) {
        let table = chart.table
        let counts = table.values[0].map { v -> Int in v.map { NSDecimalNumber(decimal: $0).intValue } ?? 0 }
        let total = counts.reduce(0, +)
        let size = layout.fontSize
        var svg = SVG()
        let paints = chart.paints(table.categoryKeys, distinct: true)
        let columns = total <= 20 ? 10 : (layout.narrow ? 10 : 20)
        let cell = min(layout.narrow ? 26 : 30, layout.width / Double(columns))
        let gap = max(2, cell * 0.12)

        var index = 0
        for (c, count) in counts.enumerated() {
            let paint = paints[c]
            svg.open("g", ["class": "units"])
            svg.raw("<title>\(SVG.escape("\(table.categories[c]): \(count)"))</title>")
            for _ in 0..<max(0, count) {
                let row = index / columns
                let col = index % columns
                svg.element(
                    "rect",
                    [
                        "x": Double(col) * cell, "y": Double(row) * cell, "width": cell - gap, "height": cell - gap,
                        "rx": 2.0, "class": paint.className, "fill": paint.fill,
                    ])
                index += 1
            }
            svg.close("g")
        }
        if total == 0 {
            svg.text("No units to show", x: 0, y: size, className: "category")
        }
        let rows = max(1, (total + columns - 1) / columns)
        var y = Double(rows) * cell + 14
        svg.open("g", ["class": "legend"])
        for (c, count) in counts.enumerated() {
            let paint = paints[c]
            let fitted = TextMetrics.fit(
                "\(table.categories[c]): \(count)", lines: 2, width: layout.width - 18, size: size)
            svg.element(
                "rect",
                [
                    "x": 0.0, "y": y + 2, "width": 12.0, "height": 12.0, "rx": 2.0, "class": paint.className,
                    "fill": paint.fill,
                ])
            svg.lines(fitted.lines, x: 18, y: y + 12, lineHeight: layout.lineHeight, className: "legend-label")
            y += Double(fitted.lines.count) * layout.lineHeight + 6
        }
        svg.close("g")
        return (svg, y + 2)
    }
}
