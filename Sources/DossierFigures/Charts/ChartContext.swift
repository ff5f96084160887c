import Foundation

/// Everything a chart type needs to draw: the spec, the prepared table, number formats and
/// colours. A class: it is handed to every drawing function and captured by closures, and
/// copying the spec and table each time was a tenth of drawing a chart.
final class ChartContext {
    let spec: ChartSpec
    let table: ChartTable
    let format: NumberFormat
    /// Colours per value from `site.yml` (`charts.colors`).
    let siteColors: [String: String]
    /// The base of every id in the chart; unique in the page.
    let id: String
    /// The dataset's entry on the data page, from this page, when the site has one.
    var dataEntry: String? = nil
    /// The transform for value labels and ticks: the spec's `format`, else a short form that
    /// suits the unit.
    let shortTransform: String
    /// The transform for exact values (tables, tooltips).
    let exactTransform: String
    /// Each value formatted once: a chart shows most values several times (wide, narrow, the
    /// table, the description), and exact decimal formatting is slow.
    private let memo = FormatMemo()
    /// What a chart type works out once for both layouts, by its type.
    private var sharedByType: [ObjectIdentifier: AnyObject] = [:]

    init(spec: ChartSpec, table: ChartTable, format: NumberFormat, siteColors: [String: String], id: String) {
        self.spec = spec
        self.table = table
        self.format = format
        self.siteColors = siteColors
        self.id = id
        if let name = spec.format {
            shortTransform = name
        } else if let unit = table.unit, format.currencies[unit] != nil {
            shortTransform = "money_short"
        } else if table.unit == "%" {
            shortTransform = "percent_value"
        } else {
            let largest = table.allValues.map { $0 < 0 ? -$0 : $0 }.max() ?? 0
            shortTransform = largest >= 10_000 ? "short" : "grouped"
        }
        exactTransform = spec.format ?? format.defaultTransform(unit: table.unit, columnName: table.valueColumn)
    }

    /// The value of `type` made once for this chart: what its wide and narrow drawings share.
    func shared<T: AnyObject>(_ type: T.Type, _ make: () -> T) -> T {
        if let known = sharedByType[ObjectIdentifier(type)] as? T { return known }
        let made = make()
        sharedByType[ObjectIdentifier(type)] = made
        return made
    }

    func short(_ value: Decimal) -> String { formatted(shortTransform, value) }

    func exact(_ value: Decimal) -> String { formatted(exactTransform, value) }

    private func formatted(_ transform: String, _ value: Decimal) -> String {
        formatted(transform, value, unit: table.unit, decimals: nil)
    }

    /// A value through a transform, for a column's unit and decimals: each formatted once.
    func formatted(_ transform: String, _ value: Decimal, unit: String?, decimals: Int?) -> String {
        memo.text(transform, value, unit: unit, decimals: decimals) {
            format.apply(transform, to: value, unit: unit, decimals: decimals) ?? DecimalText.plain(value)
        }
    }

    /// A tick value, formatted like the labels.
    func tick(_ value: Double) -> String {
        short(Decimal(string: String(value)) ?? Decimal(value))
    }

    func percent(_ value: Double) -> String {
        format.apply("percent_value", to: Decimal(string: SVG.number((value * 10).rounded() / 10)) ?? 0, unit: "%")
            ?? ""
    }

    /// Class and fill for each key (category or series). Keys with a colour from the spec or
    /// `site.yml` get it; the others get categorical colours, all different when `distinct`
    /// (else the first colour), skipping any a named colour already shows.
    func paints(_ keys: [String], distinct: Bool) -> [(className: String, fill: String?)] {
        let explicit = keys.map { spec.colors[$0] ?? siteColors[$0] }
        var taken = Set(explicit.compactMap { $0.flatMap(Palette.slot) })
        var next = 0
        var result: [(className: String, fill: String?)] = []
        for (i, key) in keys.enumerated() {
            var paint: (className: String, fill: String?)
            if explicit[i] != nil {
                paint = Palette.paint(key: key, index: 0, spec: spec.colors, site: siteColors)
            } else {
                while taken.contains(next % Palette.categorical.count) && taken.count < Palette.categorical.count {
                    next += 1
                }
                paint = ("mark c\(next % Palette.categorical.count)", nil)
                if distinct {
                    taken.insert(next % Palette.categorical.count)
                    next += 1
                }
            }
            if !spec.highlight.isEmpty && !spec.highlight.contains(key) { paint.className += " muted" }
            result.append(paint)
        }
        return result
    }

    func isHighlighted(_ key: String) -> Bool { spec.highlight.contains(key) }
}

/// The size a chart is drawn at. Each chart is drawn twice, wide and narrow, and the page's
/// stylesheet shows the one that fits, so labels stay legible from a phone to a desktop.
struct ChartLayout {
    var width: Double
    var narrow: Bool
    var fontSize: Double = 13
    var lineHeight: Double = 16

    static let wide = ChartLayout(width: 640, narrow: false)
    static let small = ChartLayout(width: 320, narrow: true)
}

/// One kind of chart: a function from a context and a layout to SVG content and its height.
protocol ChartDrawer {
    static func draw(_ chart: ChartContext, layout: ChartLayout) -> (body: SVG, height: Double)
}

/// Draws legends: a swatch and a name per entry, flowing into rows.
enum Legend {
    /// The legend of a chart's series, at the top, when it has more than one; its height.
    static func series(
        _ chart: ChartContext, paints: [(className: String, fill: String?)], into svg: inout SVG, layout: ChartLayout
    ) -> Double {
        guard chart.table.isMultiSeries else { return 0 }
        let entries = zip(chart.table.series, paints).map { ($0, $1) }
        return draw(entries, x: 0, y: 4, width: layout.width, layout: layout, into: &svg)
    }

    /// Draws the entries from `y` on and returns the height used.
    static func draw(
        _ entries: [(name: String, paint: (className: String, fill: String?))], x: Double, y: Double, width: Double,
        layout: ChartLayout, into svg: inout SVG
    ) -> Double {
        svg.open("g", ["class": "legend"])
        var cx = x
        var cy = y
        let size = layout.fontSize
        for entry in entries {
            let w = 14 + TextMetrics.width(entry.name, size: size)
            if cx > x && cx + w > x + width {
                cx = x
                cy += layout.lineHeight + 4
            }
            svg.rect(x: cx, y: cy + 2, width: 10, height: 10, className: entry.paint.className, fill: entry.paint.fill, title: nil)
            svg.text(entry.name, x: cx + 14, y: cy + 11, className: "legend-label")
            cx += w + 14
        }
        svg.close("g")
        return cy - y + layout.lineHeight + 8
    }
}

/// Formatted values of one chart, by transform and value. One chart is drawn on one thread.
final class FormatMemo: @unchecked Sendable {
    /// The texts of one transform (with its unit and decimals): a chart uses two or three, so
    /// they are told apart by comparing, and each value is looked up alone, whole values by
    /// their integer (hashing the strings and the decimal of every lookup showed in profiles).
    private struct Bucket {
        var transform: String
        var unit: String?
        var decimals: Int?
        var wholes: [Int: String] = [:]
        var others: [Decimal: String] = [:]
    }
    private var buckets: [Bucket] = []

    func text(_ transform: String, _ value: Decimal, unit: String?, decimals: Int?, _ make: () -> String) -> String {
        let b =
            buckets.firstIndex { $0.transform == transform && $0.unit == unit && $0.decimals == decimals }
            ?? {
                buckets.append(Bucket(transform: transform, unit: unit, decimals: decimals))
                return buckets.count - 1
            }()
        if let whole = DecimalText.whole(value) {
            if let known = buckets[b].wholes[whole] { return known }
            let text = make()
            buckets[b].wholes[whole] = text
            return text
        }
        if let known = buckets[b].others[value] { return known }
        let text = make()
        buckets[b].others[value] = text
        return text
    }
}
