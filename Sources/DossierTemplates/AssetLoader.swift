import Foundation

/// Reads the static files under `Templates/assets/`, copied as they are to `Public/assets/`.
package enum AssetLoader {
    package static func load(_ project: Project) -> ([OutputFile], [Diagnostic]) {
        let folder = project.templates.appendingPathComponent("assets")
        var files: [OutputFile] = []
        var problems: [Diagnostic] = []
        // Links that lead outside the project are left out here and reported by the build.
        let urls = SourceFiles.scan(folder.standardizedFileURL.path, extensions: nil).files.map {
            URL(fileURLWithPath: $0)
        }
        for url in urls {
            let path = project.relative(url)
            do {
                let bytes = try Data(contentsOf: url)
                files.append(OutputFile(path: String(path.dropFirst("Templates/".count)), bytes: bytes, origin: path))
            } catch {
                problems.append(
                    Diagnostic(SourceLocation(path: path), "cannot read asset: \(error.localizedDescription)", code: .sourceRead))
            }
        }
        return (files, problems)
    }
}
