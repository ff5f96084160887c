import Mustache

/// Draws the charts of one page and gives each a unique id and CSV file name: the spec's
/// `id`, else a slug of its title, else its position.
final class PageCharts: @unchecked Sendable {
    let pageID: String
    let datasets: [String: Dataset]
    let config: SiteConfig
    /// Computes the named figures a chart's `figures:` plots.
    let figures: FigureEvaluator?
    /// On a page made from data: its rows, where its charts start looking.
    var rowHint: ChartData.RowHint?
    private(set) var charts: [RenderedChart] = []
    private var usedNames: Set<String>
    private let idPrefix: String

    init(
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

    var csvNames: Set<String> { usedNames }

    func render(_ source: String) throws(LocalError) -> RenderedChart {
        try render(spec: try ChartSpec.parse(source))
    }

    func render(spec parsed: ChartSpec) throws(LocalError) -> RenderedChart {
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
        let base = spec.id ?? spec.title.map(Slug.make).flatMap { $0.isEmpty ? nil : $0 } ?? "chart-\(idPrefix)\(index)"
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
            id: "chart-\(pageID)-\(idPrefix)\(index)", csvName: name, rowHint: rowHint)
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

/// Text that templates insert as it is, not escaped or parsed again.
struct RawHTML: CustomStringConvertible {
    let description: String
}

/// The `{{#chart}}…{{/chart}}` section of templates: its content is a chart spec, as in a
/// ```` ```chart ```` block. Problems are collected and reported at the page's template.
final class TemplateCharts: @unchecked Sendable {
    let charts: PageCharts
    let templatePath: String
    /// Values put in place of `$NAME` in the spec: `$key` on pages generated from data.
    let variables: [String: String]
    private(set) var problems: [Diagnostic] = []

    /// Specs parsed once for every page of the build.
    let specs: TemplateSpecs?
    /// Where a spec was written (the template and its first line), for errors; without it,
    /// errors name the page's template.
    let locate: @Sendable (String) -> (path: String, line: Int)?

    init(
        charts: PageCharts, templatePath: String, variables: [String: String] = [:], specs: TemplateSpecs? = nil,
        locate: @escaping @Sendable (String) -> (path: String, line: Int)? = { _ in nil }
    ) {
        self.charts = charts
        self.templatePath = templatePath
        self.variables = variables
        self.specs = specs
        self.locate = locate
    }

    var lambda: MustacheLambda {
        MustacheLambda { [self] (text: String) -> Any? in
            if let specs, let parsed = specs.spec(text, names: Array(variables.keys)) {
                var replaced = 0
                if let spec = parsed.spec.substituting(variables, replaced: &replaced),
                    replaced == parsed.placeholders
                {
                    do throws(LocalError) {
                        return RawHTML(description: try charts.render(spec: spec).html)
                    } catch {
                        report(error, spec: text)
                        return ""
                    }
                }
            }
            var spec = text
            for (name, value) in variables.sorted(by: { $0.key > $1.key }) {
                // A YAML double-quoted string, so any value is read as text.
                let quoted = "\"" + TemplateSpecs.escaped(value) + "\""
                spec = spec.replacingOccurrences(of: "$" + name, with: quoted)
            }
            do throws(LocalError) {
                return RawHTML(description: try charts.render(spec).html)
            } catch {
                report(error, spec: text)
                return ""
            }
        }
    }

    /// A problem of a template's chart, at its line in the template that holds it when that
    /// can be found; else at the page's template, with the line within the spec.
    private func report(_ error: LocalError, spec: String) {
        var message = "chart in a template: \(error.message)"
        if let (path, first) = locate(spec) {
            let location = SourceLocation(path: path, line: first + (error.line ?? 1) - 1, column: error.column)
            problems.append(Diagnostic(location, message, hint: error.hint, code: .chart))
            return
        }
        if let line = error.line { message += " (line \(line) of the chart spec)" }
        problems.append(Diagnostic(SourceLocation(path: templatePath), message, hint: error.hint, code: .chart))
    }
}
