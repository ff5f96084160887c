import Foundation

/// Shares of a whole as a ring, with the total in the hole and a legend of values and shares.
enum DonutChart: ChartDrawer {
    static func draw(_ chart: ChartContext, layout: ChartLayout) -> (body: SVG, height: Double) {
        let table = chart.table
        let values = table.values[0].map { $0 ?? 0 }
        let total = values.reduce(0, +)
        let totalDouble = NSDecimalNumber(decimal: total).doubleValue
        let size = layout.fontSize
        var svg = SVG()
        let paints = chart.paints(table.categoryKeys, distinct: true)

        let diameter = layout.narrow ? min(layout.width * 0.7, 200) : 220
        let radius = diameter / 2
        let inner = radius * 0.6
        let cx = layout.narrow ? layout.width / 2 : radius + 4
        let cy = radius + 4

        svg.open("g", ["class": "slices"])
        if totalDouble <= 0 {
            svg.element(
                "circle",
                ["cx": cx, "cy": cy, "r": (radius + inner) / 2, "class": "empty", "stroke-width": radius - inner])
        } else {
            var angle = -Double.pi / 2
            for (c, value) in values.enumerated() {
                let share = NSDecimalNumber(decimal: value).doubleValue / totalDouble
                guard share > 0 else { continue }
                let end = angle + share * 2 * Double.pi
                let paint = paints[c]
                svg.element(
                    "path",
                    ["d": arc(cx, cy, radius, inner, angle, end), "class": paint.className, "fill": paint.fill],
                    title: "\(table.categories[c]): \(chart.exact(value)) (\(chart.percent(share * 100)))")
                angle = end
            }
        }
        svg.close("g")
        svg.text(chart.short(total), x: cx, y: cy + 2, anchor: "middle", className: "total")
        svg.text("total", x: cx, y: cy + 2 + layout.lineHeight, anchor: "middle", className: "total-label")

        // Legend: beside the ring when wide, below it when narrow.
        var x = layout.narrow ? 0 : diameter + 28
        var y = layout.narrow ? diameter + 20 : max(8, cy - Double(values.count) * (layout.lineHeight + 6) / 2)
        let legendWidth = layout.width - x
        svg.open("g", ["class": "legend"])
        for (c, value) in values.enumerated() {
            let paint = paints[c]
            let share = totalDouble > 0 ? NSDecimalNumber(decimal: value).doubleValue / totalDouble * 100 : 0
            let text = "\(table.categories[c]): \(chart.short(value)) (\(chart.percent(share)))"
            let fitted = TextMetrics.fit(text, lines: 2, width: legendWidth - 18, size: size)
            svg.element(
                "rect",
                ["x": x, "y": y + 2, "width": 12.0, "height": 12.0, "class": paint.className, "fill": paint.fill])
            svg.lines(
                fitted.lines, x: x + 18, y: y + 12, lineHeight: layout.lineHeight,
                className: chart.isHighlighted(table.categoryKeys[c]) ? "legend-label highlight" : "legend-label")
            y += Double(fitted.lines.count) * layout.lineHeight + 6
        }
        svg.close("g")
        x = 0
        return (svg, max(diameter + 8, y + 4))
    }

    /// An annular sector from angle `a0` to `a1` (radians, clockwise from 3 o'clock).
    static func arc(_ cx: Double, _ cy: Double, _ r: Double, _ r0: Double, _ a0: Double, _ a1: Double) -> String {
        // A full ring cannot be one arc: draw it as two halves.
        if a1 - a0 >= 2 * Double.pi - 1e-9 {
            let mid = a0 + Double.pi
            return arc(cx, cy, r, r0, a0, mid) + arc(cx, cy, r, r0, mid, a1)
        }
        let large = a1 - a0 > Double.pi ? 1 : 0
        func p(_ radius: Double, _ a: Double) -> String {
            SVG.number(cx + radius * cos(a)) + "," + SVG.number(cy + radius * sin(a))
        }
        let R = SVG.number(r)
        let R0 = SVG.number(r0)
        return "M\(p(r, a0))A\(R),\(R) 0 \(large) 1 \(p(r, a1))L\(p(r0, a1))A\(R0),\(R0) 0 \(large) 0 \(p(r0, a0))Z"
    }
}
