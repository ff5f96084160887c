import Foundation

/// A chart ready for a page: the accessible HTML bundle and the CSV of what it plots.
public struct RenderedChart: Sendable {
    /// `<figure>` with title, subtitle, the SVG (wide and narrow), notes, source, a "Get the
    /// data" link and the values in a `<details>` table, as UTF-8 bytes (a page made from
    /// templates appends them as they are).
    public var bytes: [UInt8]
    /// The same as text.
    public var html: String { String(decoding: bytes, as: UTF8.self) }
    /// The CSV file name, written next to the page.
    public var csvName: String
    public var csv: String
    public var description: String
    /// What the build warns of: a donut folded into "Other".
    public var warnings: [String] = []
}

/// Draws a chart from a spec and the datasets: the only entry point of the chart stage.
public enum ChartRenderer {
    static func drawer(for kind: ChartKind) -> ChartDrawer.Type? {
        switch kind {
        case .bar: return BarChart.self
        case .column: return ColumnChart.self
        case .line: return LineChart.self
        case .donut: return DonutChart.self
        case .waffle: return WaffleChart.self
        case .timeline: return TimelineChart.self
        case .table: return nil
        }
    }

    /// Parses, checks and draws a chart. `id` must be unique in the page; `csvName` is the
    /// name of the data file next to the page.
    static func render(
        source: String, datasets: [String: Dataset], format: NumberFormat, siteColors: [String: String], id: String,
        csvName: String
    ) throws(LocalError) -> RenderedChart {
        try render(
            spec: try ChartSpec.parse(source), datasets: datasets, format: format, siteColors: siteColors, id: id,
            csvName: csvName)
    }

    /// The same, for a spec already parsed.
    static func render(
        spec: ChartSpec, datasets: [String: Dataset], format: NumberFormat, siteColors: [String: String], id: String,
        csvName: String, rowHint: ChartData.RowHint? = nil, dataEntry: String? = nil
    ) throws(LocalError) -> RenderedChart {
        let table = try ChartData.prepare(spec, datasets: datasets, format: format, rowHint: rowHint)
        try check(spec, table)
        let chart = ChartContext(spec: spec, table: table, format: format, siteColors: siteColors, id: id)
        chart.dataEntry = dataEntry
        let name = spec.id.map { $0 + ".csv" } ?? csvName
        return bundle(chart, csvName: name)
    }

    /// Checks that the values suit the chart type.
    static func check(_ spec: ChartSpec, _ table: ChartTable) throws(LocalError) {
        let (line, column) = spec.position(of: spec.y.isEmpty ? "type" : "y")
        switch spec.type {
        case .donut, .waffle:
            if let negative = table.allValues.first(where: { $0 < 0 }) {
                throw LocalError(
                    line: line, column: column,
                    "a \(spec.type.rawValue) chart shows parts of a whole, but a value is negative (\(DecimalText.plain(negative)))",
                    hint: "use a bar or column chart")
            }
            if spec.type == .waffle {
                if let fraction = table.allValues.first(where: { NumberFormat.round($0, places: 0) != $0 }) {
                    throw LocalError(
                        line: line, column: column,
                        "a waffle chart draws one square per unit, but \(DecimalText.plain(fraction)) is not a whole number"
                    )
                }
                let total = table.allValues.reduce(0, +)
                if total > Decimal(WaffleChart.maxUnits) {
                    throw LocalError(
                        line: line, column: column,
                        "a waffle chart draws one square per unit, and \(DecimalText.plain(total)) squares are too many (at most \(WaffleChart.maxUnits))",
                        hint: "use a bar, column or donut chart")
                }
            }
        default: break
        }
    }

    static func bundle(_ chart: ChartContext, csvName: String) -> RenderedChart {
        let spec = chart.spec
        let description = spec.alt ?? ChartDescription.describe(chart)
        // The figure as bytes: the two drawings are appended as they were written.
        var html: [UInt8] = []
        html.reserveCapacity(16_384)
        html += "<figure class=\"chart chart-\(spec.type.rawValue)\" id=\"\(chart.id)\">\n"
        if spec.title != nil || spec.subtitle != nil {
            html += "<figcaption>"
            if let title = spec.title { html += "<span class=\"chart-title\">\(SVG.escape(title))</span>" }
            if let subtitle = spec.subtitle { html += "<span class=\"chart-subtitle\">\(SVG.escape(subtitle))</span>" }
            html += "</figcaption>\n"
        }
        if let drawer = drawer(for: spec.type) {
            let title = SVG.escape(spec.title ?? "Chart")
            let desc = SVG.escape(description)
            for layout in [ChartLayout.wide, ChartLayout.small] {
                let (body, height) = drawer.draw(chart, layout: layout)
                let suffix = layout.narrow ? "n" : "w"
                let svgID = "\(chart.id)-\(suffix)"
                html += "<div class=\"chart-\(layout.narrow ? "narrow" : "wide")\">"
                html +=
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(SVG.number(layout.width)) \(SVG.number(height))\""
                html += " width=\"\(SVG.number(layout.width))\" height=\"\(SVG.number(height))\" role=\"img\""
                html += " aria-labelledby=\"\(svgID)-title \(svgID)-desc\" class=\"chart-svg\">"
                html += "<title id=\"\(svgID)-title\">"
                html += title
                html += "</title><desc id=\"\(svgID)-desc\">"
                html += desc
                html += "</desc>"
                html.append(contentsOf: body.bytes)
                html += "</svg></div>\n"
            }
        } else {
            html += "<p class=\"visually-hidden\">\(SVG.escape(description))</p>\n"
            dataTable(chart, caption: nil, into: &html)
            html += "\n"
        }
        var notes: [String] = []
        let words = chart.format.words
        /// Words as element text: only `&`, `<` and `>` escaped (apostrophes stay as typed).
        func text(_ words: String) -> String {
            guard words.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E }) else { return words }
            return words.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        /// A phrase of the page's language, escaped, with HTML put into its placeholders.
        func phrase(_ pattern: String, _ values: [String: String]) -> String { Words.fill(text(pattern), values) }
        if let note = spec.note {
            notes.append("<span class=\"chart-note\">\(phrase(words.text("chart_note"), ["text": SVG.escape(note)]))</span>")
        }
        if let conversion = chart.table.conversionNote {
            notes.append(
                "<span class=\"chart-rate\">\(phrase(words.text("chart_amounts_in"), ["text": SVG.escape(conversion)]))</span>")
        }
        if let source = spec.source {
            notes.append("<span class=\"chart-source\">\(phrase(words.text("chart_source"), ["text": SVG.escape(source)]))</span>")
        }
        let rowSources = chart.table.rowSources
        if !rowSources.isEmpty, spec.sources != .none {
            let label = SVG.escape(chart.table.rowSourcesLabel)
            if spec.sources == .all || rowSources.count <= ChartTable.listedSources {
                notes.append(
                    "<span class=\"chart-row-sources\">\(label): \(rowSources.map(SourceLink.html).joined(separator: "; "))</span>"
                )
            } else {
                // Hundreds of notices would bury the chart: a count, and each in the CSV.
                let count = chart.format.grouped(Decimal(rowSources.count))
                let entry =
                    chart.dataEntry.map { " (<a href=\"\(SVG.escape($0))\">\(text(words.text("chart_the_dataset")))</a>)" } ?? ""
                let csvLink = "<a href=\"\(SVG.escape(csvName))\" download>\(text(words.text("chart_its_data")))</a>"
                let summary = Words.fill(
                    text(words.count("chart_sources_summary", rowSources.count, number: "{n}")),
                    ["n": count, "csv": csvLink, "dataset": entry])
                notes.append("<span class=\"chart-row-sources\">\(label): \(summary)</span>")
            }
        }
        notes.append(
            "<a class=\"chart-download\" href=\"\(SVG.escape(csvName))\" download>\(text(words.text("chart_get_data")))</a>")
        html += "<p class=\"chart-notes\">\(notes.joined(separator: " · "))</p>\n"
        if spec.type != .table {
            html += "<details class=\"chart-data\"><summary>\(text(words.text("chart_show_data")))</summary>\n"
            dataTable(chart, caption: spec.title, into: &html)
            html += "\n</details>\n"
        }
        html += "</figure>"
        return RenderedChart(
            bytes: html, csvName: csvName, csv: csv(chart.table), description: description, warnings: chart.table.warnings)
    }

    /// The plotted rows as an HTML table, numbers formatted in full, appended to the figure's
    /// bytes with each cell escaped as it goes.
    static func dataTable(_ chart: ChartContext, caption: String?, into html: inout [UInt8]) {
        var table = chart.table
        // The sources of each category stay in the CSV: on the page they are what the summary
        // under the chart stands for.
        if chart.spec.type != .table, table.columns.last?.name == "sources", chart.spec.sources == .summary {
            table.columns.removeLast()
            table.rows = table.rows.map { Array($0.dropLast()) }
        }
        html += "<div class=\"table-scroll\" role=\"region\" aria-label=\""
        HTMLText.appendEscaped(caption ?? chart.spec.title ?? chart.format.words.text("chart_data"), to: &html, droppingControls: true)
        html += "\" tabindex=\"0\"><table>"
        if let caption {
            html += "<caption>"
            HTMLText.appendEscaped(caption, to: &html, droppingControls: true)
            html += "</caption>"
        }
        html += "<thead><tr>"
        let sortedColumn = chart.spec.sort.flatMap { sort -> String? in
            sort.by == .label ? table.columns.first?.name : table.columns.last?.name
        }
        let numeric = table.columns.map { $0.isNumeric && $0.unit != "year" }
        for (c, column) in table.columns.enumerated() {
            html += numeric[c] ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">"
            HTMLText.appendEscaped(column.label, to: &html, droppingControls: true)
            if chart.spec.type == .table, column.name == sortedColumn, let sort = chart.spec.sort {
                html +=
                    sort.descending ? " <span aria-hidden=\"true\">▼</span>" : " <span aria-hidden=\"true\">▲</span>"
            }
            html += "</th>"
        }
        html += "</tr></thead><tbody>"
        for row in table.rows {
            html += "<tr>"
            for (index, (column, value)) in zip(table.columns, row).enumerated() {
                html += numeric[index] ? "<td class=\"num\">" : "<td>"
                HTMLText.appendEscaped(display(value, column: column, index: index, chart: chart), to: &html, droppingControls: true)
                html += "</td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table></div>"
    }

    /// A cell of the data table. Plotted values use the chart's `format`; the category
    /// column (the first) and tables use each column's own default.
    static func display(_ value: Value, column: Column, index: Int, chart: ChartContext) -> String {
        switch value {
        case .integer, .number:
            let d = value.decimal!
            let own = chart.format.defaultTransform(unit: column.unit, columnName: column.name)
            let transform = chart.spec.type == .table || index == 0 ? own : (chart.spec.format ?? own)
            return chart.formatted(transform, d, unit: column.unit, decimals: column.decimals)
        case .date(let d): return chart.format.shortDate(d)
        default: return chart.spec.labels[value.plainText] ?? value.plainText
        }
    }

    /// RFC 4180 CSV of the plotted rows: a header of column names, raw values.
    static func csv(_ table: ChartTable) -> String {
        // As bytes: a field is quoted when it holds a comma, a quote or a line break, and its
        // quotes doubled. The buffer is passed along rather than captured, which made every
        // append a checked access.
        var out: [UInt8] = []
        out.reserveCapacity(1_024)
        csvLine(table.columns.map(\.name), into: &out)
        for row in table.rows { csvLine(row.map(\.plainText), into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func csvLine(_ fields: [String], into out: inout [UInt8]) {
        for (i, text) in fields.enumerated() {
            if i > 0 { out.append(0x2C) }
            var text = text
            text.withUTF8 { bytes in
                guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                    out.append(contentsOf: bytes)
                    return
                }
                out.append(0x22)
                for byte in bytes {
                    if byte == 0x22 { out.append(0x22) }
                    out.append(byte)
                }
                out.append(0x22)
            }
        }
        out.append(0x0A)
    }
}

/// Text appended to bytes as UTF-8.
private func += (bytes: inout [UInt8], text: String) { bytes.append(contentsOf: text.utf8) }
