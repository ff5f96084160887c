/// The `{{#chart}}…{{/chart}}` section of templates: its content is a chart spec, as in a
/// ```` ```chart ```` block. Problems are collected and reported at the page's template.
package final class TemplateCharts: @unchecked Sendable {
    package let charts: PageCharts
    let templatePath: String
    /// Values put in place of `$NAME` in the spec: `$key` on pages generated from data.
    let variables: [String: String]
    package private(set) var problems: [Diagnostic] = []

    /// Specs parsed once for every page of the build.
    let specs: TemplateSpecs?
    /// Where a spec was written (the template and its first line), for errors; without it,
    /// errors name the page's template.
    let locate: @Sendable (String) -> (path: String, line: Int)?

    package init(
        charts: PageCharts, templatePath: String, variables: [String: String] = [:], specs: TemplateSpecs? = nil,
        locate: @escaping @Sendable (String) -> (path: String, line: Int)? = { _ in nil }
    ) {
        self.charts = charts
        self.templatePath = templatePath
        self.variables = variables
        self.specs = specs
        self.locate = locate
    }

    /// The `{{#chart}}` section: its spec in, the chart's HTML out (nothing when the chart
    /// has a problem, which is reported).
    package var section: TemplateSectionFunction {
        TemplateSectionFunction { [self] text in self.draw(text) }
    }

    private func draw(_ text: String) -> [UInt8] {
        var variables = self.variables
        // `$t.KEY`: an interface word of the page's language (`title: $t.funding_title`).
        for key in TemplateSet.wordKeys(in: text) { variables["t." + key] = charts.config.format.words.text(key) }
        if let specs, let parsed = specs.spec(text, names: Array(variables.keys)) {
            var replaced = 0
            if let spec = parsed.spec.substituting(variables, replaced: &replaced), replaced == parsed.placeholders {
                do throws(LocalError) {
                    return try charts.render(spec: spec).bytes
                } catch {
                    report(error, spec: text)
                    return []
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
            return try charts.render(spec).bytes
        } catch {
            report(error, spec: text)
            return []
        }
    }

    /// A problem of a template's chart, at its line in the template that holds it when that
    /// can be found; else at the page's template, with the line within the spec.
    /// A chart of a dataset the project does not have is left out with a warning: templates
    /// copied from another project (the sample's) still build.
    private func report(_ error: LocalError, spec: String) {
        let missing = error.code == .chartMissingDataset
        var message = missing ? "chart in a template left out: \(error.message)" : "chart in a template: \(error.message)"
        // A chart left empty by its page's own rows: say which page (any other problem is the
        // same on every page and is reported once).
        if let key = variables["key"], error.message.hasPrefix("no value to plot") || error.message.hasPrefix("the filter leaves no rows") {
            message += " (on the page for '\(key)')"
        }
        var diagnostic: Diagnostic
        if let (path, first) = locate(spec) {
            let location = SourceLocation(path: path, line: first + (error.line ?? 1) - 1, column: error.column)
            diagnostic = Diagnostic(location, message, hint: error.hint, code: missing ? .chartMissingDataset : .chart)
        } else {
            if let line = error.line { message += " (line \(line) of the chart spec)" }
            diagnostic = Diagnostic(
                SourceLocation(path: templatePath), message, hint: error.hint, code: missing ? .chartMissingDataset : .chart)
        }
        if missing {
            diagnostic.severity = .warning
            diagnostic.hint = "add the dataset, or remove the chart from the template (" + (error.hint ?? "") + ")"
        }
        problems.append(diagnostic)
    }
}
