import Foundation

/// One or more lines over ordered categories (years, periods), with markers and direct labels
/// at the end of each line instead of a legend.
enum LineChart: ChartDrawer {
    /// Where each category sits along the x axis, from 0 to 1, when every key is a number (a
    /// year) or an ISO date, in increasing order and not evenly spaced; nil to space them evenly.
    static func timeFractions(_ keys: [String]) -> [Double]? {
        guard keys.count > 2 else { return nil }
        var times: [Double] = []
        for key in keys {
            if let number = Double(key), number.isFinite {
                times.append(number)
            } else if let date = DateValue(iso: key) {
                times.append(Double(date.dayNumber))
            } else {
                return nil
            }
        }
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        guard gaps.allSatisfy({ $0 > 0 }), !gaps.allSatisfy({ $0 == gaps[0] }) else { return nil }
        let span = times[times.count - 1] - times[0]
        return times.map { ($0 - times[0]) / span }
    }

    static func draw(_ chart: ChartContext, layout: ChartLayout) -> (body: SVG, height: Double) {
        let table = chart.table
        let width = layout.width
        let height = Double(chart.spec.height ?? (layout.narrow ? 240 : 300))
        let size = layout.fontSize
        var svg = SVG()
        let values = table.values.map { $0.map { $0.map { NSDecimalNumber(decimal: $0).doubleValue } } }
        let all = values.flatMap { $0.compactMap { $0 } }

        // Direct labels: the series name (when several) and the last value.
        let endLabels: [[String]] = table.values.indices.map { s in
            let last = table.values[s].last(where: { $0 != nil }).flatMap { $0 }.map(chart.short) ?? ""
            return table.isMultiSeries ? [table.series[s], last] : [last]
        }
        let maxLabelWidth = min(
            width * 0.35, (endLabels.flatMap { $0 }.map { TextMetrics.width($0, size: size - 1) }.max() ?? 0) + 10)
        let provisional = LinearScale(values: all, range: (1, 0), maxTicks: layout.narrow ? 5 : 6)
        let left = (provisional.ticks.map { TextMetrics.width(chart.tick($0), size: size - 1) }.max() ?? 0) + 8
        let right = width - maxLabelWidth
        let top = 10.0
        let bottom = height - layout.lineHeight - 8
        let scale = LinearScale(values: all, range: (bottom, top), maxTicks: layout.narrow ? 5 : 6)
        let n = table.categories.count
        let step = n > 1 ? (right - left - 12) / Double(n - 1) : 0
        // Years and dates sit at their distance in time: 2013, 2014 and 2018 are not evenly
        // spaced, and drawing them so would hide the gap. Other categories are evenly spaced.
        let fractions = LineChart.timeFractions(table.categoryKeys)
        let xAt: (Int) -> Double = { c in
            guard n > 1 else { return (left + right) / 2 }
            if let fractions { return left + 6 + (right - left - 12) * fractions[c] }
            return left + 6 + step * Double(c)
        }

        svg.open("g", ["class": "axis", "aria-hidden": "true"])
        for tick in scale.ticks {
            let y = scale(tick)
            svg.line(x1: left, x2: right, y1: y, y2: y, className: tick == 0 ? "baseline" : "grid")
            svg.text(chart.tick(tick), x: left - 6, y: y + 4, anchor: "end", className: "tick")
        }
        // Category labels, thinned out so they never overlap.
        let widest = table.categories.map { TextMetrics.width($0, size: size - 1) }.max() ?? 0
        let every = n > 1 ? max(1, Int(ceil((widest + 8) / max(step, 1)))) : 1
        var shown: [Int] = Array(stride(from: 0, to: n, by: every))
        if fractions != nil {
            // Unevenly spaced: each label at least a label's width after the one before.
            shown = []
            for c in 0..<n where shown.last.map({ xAt(c) - xAt($0) >= widest + 8 }) ?? true { shown.append(c) }
        }
        for c in shown {
            svg.text(
                table.categories[c], x: xAt(c), y: bottom + layout.lineHeight + 2, anchor: "middle",
                className: "category")
        }
        svg.close("g")

        // Lines and markers.
        var ends: [(y: Double, s: Int)] = []
        let seriesPaints = chart.paints(table.seriesKeys, distinct: true)
        for s in table.seriesKeys.indices {
            let paint = seriesPaints[s]
            var d = ""
            var penDown = false
            for c in 0..<n {
                guard let v = values[s][c] else {
                    penDown = false
                    continue
                }
                d += (penDown ? "L" : "M") + SVG.number(xAt(c)) + "," + SVG.number(scale(v))
                penDown = true
            }
            svg.open("g", ["class": "series " + paint.className.replacingOccurrences(of: "mark ", with: "line ")])
            svg.element("path", ["d": d, "class": "line-path", "stroke": paint.fill])
            for c in 0..<n {
                guard let v = values[s][c], let exact = table.values[s][c] else { continue }
                let label = table.isMultiSeries ? "\(table.series[s]), \(table.categories[c])" : table.categories[c]
                svg.element(
                    "circle", ["cx": xAt(c), "cy": scale(v), "r": 3.5, "class": "marker", "fill": paint.fill],
                    title: "\(label): \(chart.exact(exact))")
            }
            svg.close("g")
            if let last = (0..<n).last(where: { values[s][$0] != nil }) { ends.append((scale(values[s][last]!), s)) }
        }

        // Direct labels, pushed apart vertically where lines end close together.
        let lineCount = Double(table.isMultiSeries ? 2 : 1)
        let gap = layout.lineHeight * lineCount
        var placed = ends.sorted { $0.y < $1.y }
        for i in placed.indices.dropFirst() where placed[i].y - placed[i - 1].y < gap {
            placed[i].y = placed[i - 1].y + gap
        }
        if let last = placed.last, last.y > bottom {
            let shift = last.y - bottom
            for i in placed.indices { placed[i].y -= shift }
        }
        svg.open("g", ["class": "end-labels"])
        for end in placed {
            let lines = endLabels[end.s]
            svg.lines(
                lines, x: right + 4, y: end.y + 4 - (lineCount - 1) * layout.lineHeight / 2,
                lineHeight: layout.lineHeight, className: "value")
        }
        svg.close("g")
        return (svg, height)
    }
}
