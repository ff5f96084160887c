import Foundation

extension ChartRenderer {
    /// Draws a chart from the YAML of a chart block, for tools and benchmarks outside a site
    /// build. Problems are reported as diagnostics at `path`, lines counted within the spec.
    public static func render(
        spec source: String, datasets: [Dataset], format: NumberFormat = NumberFormat(), id: String = "chart",
        csvName: String = "chart.csv", path: String = "chart"
    ) throws(BuildFailure) -> RenderedChart {
        let byName = Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) })
        do throws(LocalError) {
            return try render(
                source: source, datasets: byName, format: format, siteColors: [:], id: id, csvName: csvName)
        } catch {
            throw BuildFailure([error.diagnostic(in: path, code: .chart)])
        }
    }
}
