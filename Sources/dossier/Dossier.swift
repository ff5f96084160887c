import ArgumentParser
import DossierKit
import Foundation

@main
struct Dossier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Builds a static site for data journalism from Content/, Data/ and Templates/.",
        version: "0.1.0",
        subcommands: [Build.self, Check.self],
        defaultSubcommand: Build.self
    )
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site into Public/ (or --output). A failed build leaves the output as it was.")

    @Option(help: "The project folder, holding Content/, Data/ and Templates/.")
    var root: String = "."

    @Option(help: "Where to write the site. Default: ROOT/Public.")
    var output: String?

    @Flag(help: "Include articles marked draft: true.")
    var drafts = false

    func run() throws {
        let rootURL = URL(fileURLWithPath: root)
        let project = Project(root: rootURL, output: output.map { URL(fileURLWithPath: $0) })
        let builder = SiteBuilder(project: project, options: BuildOptions(includeDrafts: drafts)) { name, seconds in
            Self.say("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(Self.duration(seconds))")
        }
        do {
            let report = try builder.build()
            Self.printProblems(report.warnings)
            let outputName = output ?? "Public"
            Self.say(
                "Built \(report.pages) pages and \(report.datasets) datasets: \(report.files) files, "
                    + "\(Self.size(report.bytes)) in \(Self.duration(report.seconds)) → \(outputName)/")
        } catch {
            Self.printProblems(error.diagnostics)
            let n = error.diagnostics.count
            FileHandle.standardError.write(
                Data("error: build failed with \(n) problem\(n == 1 ? "" : "s"); the output folder was left as it was\n".utf8))
            throw ExitCode.failure
        }
    }

    static func printProblems(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
    }

    /// Writes a line to standard output unbuffered, so it interleaves correctly with errors.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024 ? String(format: "%.1f KB", Double(bytes) / 1024) : String(format: "%.2f MB", Double(bytes) / 1048576)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the sources (front matter, datasets, templates, charts, links) without writing anything.",
        discussion: "Prints every problem and exits with status 0 only when there is none.")

    @Option(help: "The project folder, holding Content/, Data/ and Templates/.")
    var root: String = "."

    @Flag(help: "Include articles marked draft: true.")
    var drafts = false

    func run() throws {
        let project = Project(root: URL(fileURLWithPath: root))
        let start = DispatchTime.now()
        do {
            let site = try SiteBuilder(project: project, options: BuildOptions(includeDrafts: drafts)).render()
            Build.printProblems(site.warnings)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let warnings = site.warnings.isEmpty ? "" : ", \(site.warnings.count) warning\(site.warnings.count == 1 ? "" : "s")"
            Build.say("No problems in \(site.pages) pages and \(site.datasets) datasets\(warnings) (\(Build.duration(seconds))).")
        } catch {
            Build.printProblems(error.diagnostics)
            let n = error.diagnostics.count
            FileHandle.standardError.write(Data("\(n) problem\(n == 1 ? "" : "s") found\n".utf8))
            throw ExitCode.failure
        }
    }
}
