
/// Draws the charts of one page and gives each a unique id and CSV file name: the spec's
/// `id`, else a slug of its title, else its position.
package final class PageCharts: @unchecked Sendable {
    package let pageID: String
    let datasets: [String: Dataset]
    package let config: SiteConfig
    /// Computes the named figures a chart's `figures:` plots.
    let figures: FigureEvaluator?
    /// On a page made from data: its rows, where its charts start looking.
    package var rowHint: ChartData.RowHint?
    /// The way to the site's root when it has a data page: charts with many sources link to
    /// their dataset's entry there.
    package var dataPageRoot: String?
    package private(set) var charts: [RenderedChart] = []
    private var usedNames: Set<String>
    private let idPrefix: String

    package init(
        pageID: String, datasets: [String: Dataset], config: SiteConfig, idPrefix: String = "",
        usedNames: Set<String> = [], figures: FigureEvaluator? = nil
    ) {
        self.figures = figures
        self.pageID = pageID
        self.datasets = datasets
        self.config = config
        self.idPrefix = idPrefix
        self.usedNames = usedNames
    }

    package var csvNames: Set<String> { usedNames }

    package func render(_ source: String) throws(LocalError) -> RenderedChart {
        try render(spec: try ChartSpec.parse(source))
    }

    package func render(spec parsed: ChartSpec) throws(LocalError) -> RenderedChart {
        var spec = parsed
        var datasets = self.datasets
        if !spec.figures.isEmpty {
            let dataset = try figureDataset(spec)
            datasets[dataset.name] = dataset
            spec.data = dataset.name
            if spec.x == nil { spec.x = "label" }
            if spec.y.isEmpty { spec.y = ["value"] }
        }
        let index = charts.count + 1
        let base = spec.id ?? spec.title.map { Slug.make($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "chart-\(idPrefix)\(index)"
        var name = base + ".csv"
        if spec.id != nil, usedNames.contains(name) {
            throw LocalError(
                line: spec.position(of: "id").0, column: spec.position(of: "id").1,
                "another chart on this page already has the id '\(base)'", hint: "give each chart its own `id:`")
        }
        var n = 2
        while usedNames.contains(name) {
            name = "\(base)-\(n).csv"
            n += 1
        }
        let chart = try ChartRenderer.render(
            spec: spec, datasets: datasets, format: config.format, siteColors: config.chartColors,
            id: "chart-\(pageID)-\(idPrefix)\(index)", csvName: name, rowHint: rowHint,
            dataEntry: dataPageRoot.map { $0 + "data/index.html#source-" + spec.data })
        usedNames.insert(chart.csvName)
        charts.append(chart)
        return chart
    }
}

extension PageCharts {
    /// The named figures of a chart's `figures:` as a dataset of `label`, `value` and `source`
    /// (the files and rates each came from), so that they draw like any other data.
    func figureDataset(_ spec: ChartSpec) throws(LocalError) -> Dataset {
        let (line, column) = spec.position(of: "figures")
        guard let figures else {
            throw LocalError(
                line: line, column: column, "no named figures to chart", hint: "define them in Data/figures.yml")
        }
        var labels: [Value] = []
        var values: [Value] = []
        var sources: [Value] = []
        var names: [Value] = []
        var unit: String?
        for (label, name) in spec.figures {
            let value: FigureValue
            do throws(LocalError) {
                value = try figures.evaluate(.name(name))
            } catch {
                throw LocalError(line: line, column: column, error.message, hint: error.hint)
            }
            if let previous = unit, let this = value.unit, previous != this {
                throw LocalError(
                    line: line, column: column,
                    "figure '\(name)' is in \(this) but the figures before it are in \(previous)",
                    hint: "one chart plots one unit; convert with usd_at(…) in Data/figures.yml")
            }
            unit = unit ?? value.unit
            labels.append(.text(label))
            values.append(.number(value.value))
            names.append(.text(name))
            sources.append(.text(value.notes.joined(separator: "; ")))
        }
        let columns = [
            Column(name: "label", type: .text, label: "Figure"),
            Column(name: "value", type: .number, label: "Value", unit: unit),
            Column(name: "figure", type: .text, label: "Named figure"),
            {
                var notes = Column(name: "notes", type: .text, label: "How the figures were computed")
                notes.role = "source"
                return notes
            }(),
        ]
        return Dataset(
            name: "figures:" + spec.figures.map(\.name).joined(separator: ","), path: "Data/figures.yml",
            columns: columns,
            data: [
                DataColumn(labels, type: .text), DataColumn(values, type: .number), DataColumn(names, type: .text),
                DataColumn(sources, type: .text),
            ],
            rowCount: labels.count, meta: DatasetMeta(), hasSchema: true)
    }
}
