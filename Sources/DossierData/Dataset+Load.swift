import Foundation

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
