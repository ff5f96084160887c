import Foundation

/// Dated events down a vertical line, in order, evenly spaced: it reads the same on a phone
/// and on a desktop, and copes with events whose date is unknown.
enum TimelineChart: ChartDrawer {
    static func draw(_ chart: ChartContext, layout: ChartLayout) -> (body: SVG, height: Double) {
        let table = chart.table
        let size = layout.fontSize
        var svg = SVG()
        let dateWidth = (table.dates.compactMap { $0 }.map { TextMetrics.width($0, size: size) }.max() ?? 0)
        let lineX = dateWidth + (dateWidth > 0 ? 14 : 6)
        let labelX = lineX + 16
        var y = 6.0
        var dots: [Double] = []
        var rows = SVG()
        for (i, label) in table.categories.enumerated() {
            let fitted = TextMetrics.fit(label, lines: 4, width: layout.width - labelX, size: size)
            let dotY = y + size / 2 + 1
            dots.append(dotY)
            let highlight = chart.isHighlighted(table.categoryKeys[i])
            if let date = table.dates[i] {
                rows.text(date, x: dateWidth, y: y + size, anchor: "end", className: "date")
            }
            rows.element(
                "circle",
                [
                    "cx": lineX, "cy": dotY, "r": 5.0,
                    "class": table.dates[i] == nil ? "event undated" : (highlight ? "event highlight" : "event"),
                ])
            rows.lines(
                fitted.lines, x: labelX, y: y + size, lineHeight: layout.lineHeight,
                className: highlight ? "label highlight" : "label", title: fitted.shortened ? label : nil)
            y += Double(fitted.lines.count) * layout.lineHeight + 14
        }
        if let first = dots.first, let last = dots.last {
            svg.element(
                "line", ["x1": lineX, "x2": lineX, "y1": first, "y2": last, "class": "spine", "aria-hidden": "true"])
        }
        svg.raw(rows)
        return (svg, y)
    }
}
