import Foundation

/// Reads the static files under `Templates/assets/`, copied as they are to `Public/assets/`.
enum AssetLoader {
    static func load(_ project: Project) -> ([OutputFile], [Diagnostic]) {
        let folder = project.templates.appendingPathComponent("assets")
        var files: [OutputFile] = []
        var problems: [Diagnostic] = []
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return ([], [])
        }
        var urls: [URL] = []
        for case let url as URL in enumerator where !url.lastPathComponent.hasPrefix(".") {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                urls.append(url.standardizedFileURL)
            }
        }
        for url in urls.sorted(by: { $0.path < $1.path }) {
            let path = project.relative(url)
            do {
                let bytes = try Data(contentsOf: url)
                files.append(OutputFile(path: String(path.dropFirst("Templates/".count)), bytes: bytes, origin: path))
            } catch {
                problems.append(
                    Diagnostic(SourceLocation(path: path), "cannot read asset: \(error.localizedDescription)"))
            }
        }
        return (files, problems)
    }
}
