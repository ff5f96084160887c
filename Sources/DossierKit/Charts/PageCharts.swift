import Mustache

/// Draws the charts of one page and gives each a unique id and CSV file name: the spec's
/// `id`, else a slug of its title, else its position.
final class PageCharts: @unchecked Sendable {
    let pageID: String
    let datasets: [String: Dataset]
    let config: SiteConfig
    private(set) var charts: [RenderedChart] = []
    private var usedNames: Set<String>
    private let idPrefix: String

    init(
        pageID: String, datasets: [String: Dataset], config: SiteConfig, idPrefix: String = "",
        usedNames: Set<String> = []
    ) {
        self.pageID = pageID
        self.datasets = datasets
        self.config = config
        self.idPrefix = idPrefix
        self.usedNames = usedNames
    }

    var csvNames: Set<String> { usedNames }

    func render(_ source: String) throws(LocalError) -> RenderedChart {
        let spec = try ChartSpec.parse(source)
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
            id: "chart-\(pageID)-\(idPrefix)\(index)", csvName: name)
        usedNames.insert(chart.csvName)
        charts.append(chart)
        return chart
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

    init(charts: PageCharts, templatePath: String, variables: [String: String] = [:]) {
        self.charts = charts
        self.templatePath = templatePath
        self.variables = variables
    }

    var lambda: MustacheLambda {
        MustacheLambda { [self] (text: String) -> Any? in
            var spec = text
            for (name, value) in variables.sorted(by: { $0.key > $1.key }) {
                // A YAML double-quoted string, so any value is read as text.
                let quoted =
                    "\""
                    + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
                spec = spec.replacingOccurrences(of: "$" + name, with: quoted)
            }
            do throws(LocalError) {
                return RawHTML(description: try charts.render(spec).html)
            } catch {
                var message = "chart in a template: \(error.message)"
                if let line = error.line { message += " (line \(line) of the chart spec)" }
                problems.append(Diagnostic(SourceLocation(path: templatePath), message, hint: error.hint))
                return ""
            }
        }
    }
}
