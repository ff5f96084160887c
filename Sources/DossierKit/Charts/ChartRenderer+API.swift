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
            throw BuildFailure([error.diagnostic(in: path)])
        }
    }
}

extension Dataset {
    /// Reads one dataset file (CSV, JSON or YAML) with its schema, if one is beside it.
    public static func load(from url: URL) throws(BuildFailure) -> Dataset {
        let folder = url.deletingLastPathComponent()
        let project = Project(root: folder.deletingLastPathComponent(), output: nil).withDataFolder(folder)
        let (dataset, problems) = DatasetLoader.load(
            url, name: url.deletingPathExtension().lastPathComponent, path: project.relative(url), project: project)
        guard let dataset, problems.isEmpty else { throw BuildFailure(problems) }
        return dataset
    }
}

extension Project {
    /// The same project reading its datasets from another folder.
    func withDataFolder(_ folder: URL) -> Project {
        var copy = self
        copy.dataOverride = folder
        return copy
    }
}
