import ArgumentParser
import DossierKit
import DossierServer
import Foundation

@main
struct Dossier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Builds a static site for data journalism from Content/, Data/ and Templates/.",
        version: "0.1.0",
        subcommands: [Build.self, Check.self, Serve.self, New.self, Init.self],
        defaultSubcommand: Build.self
    )
}

/// The options every command that reads a site takes.
struct SiteOptions: ParsableArguments {
    @Option(help: "The project folder, holding Content/, Data/ and Templates/.")
    var root: String = "."

    @Flag(help: "Include articles marked draft: true.")
    var drafts = false

    @Flag(help: "Print each problem's code after it (settings such as `links: warn` act on codes).")
    var codes = false

    var project: Project { Project(root: URL(fileURLWithPath: root)) }
    var buildOptions: BuildOptions { BuildOptions(includeDrafts: drafts) }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site into Public/ (or --output). A failed build leaves the output as it was.")

    @OptionGroup var site: SiteOptions

    @Option(help: "Where to write the site. Default: ROOT/Public.")
    var output: String?

    @Flag(name: .shortAndLong, help: "Print only problems and the summary line.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print every file written.")
    var verbose = false

    @Flag(help: "Build even when no source, option or the output changed since the last build.")
    var force = false

    func run() throws {
        let interruptions = Self.removeStagingWhenInterrupted()
        defer { interruptions.forEach { $0.cancel() } }
        let project = Project(root: URL(fileURLWithPath: site.root), output: output.map { URL(fileURLWithPath: $0) })
        let quiet = self.quiet
        let printer = StepPrinter()
        var options = site.buildOptions
        options.force = force
        var builder = SiteBuilder(project: project, options: options) { name, seconds in
            if !quiet { printer.finished(name, seconds) }
        }
        if !quiet { builder.onProgress = { printer.progress($0, $1, $2) } }
        builder.processEndsAfter = true
        do {
            let report = try builder.build()
            if verbose { for path in report.paths { Self.say("  wrote \(path)") } }
            Self.printProblems(report.warnings, codes: site.codes)
            let outputName = output ?? "Public"
            if report.upToDate {
                Self.say(
                    "Nothing changed since the last build: \(outputName)/ (\(Self.count(report.pages, "page")), "
                        + "\(Self.count(report.files, "file")), \(Self.size(report.bytes))) is up to date (\(Self.duration(report.seconds)); --force builds anyway)")
                return
            }
            Self.say(
                "Built \(Self.count(report.pages, "page")) and \(Self.count(report.datasets, "dataset")): \(Self.count(report.files, "file")), "
                    + "\(Self.size(report.bytes)) in \(Self.duration(report.seconds)) → \(outputName)/")
            // Done: the process ends here rather than freeing what the build holds piece by
            // piece (a million-row dataset took 2.5 s to take apart), as compilers do.
            interruptions.forEach { $0.cancel() }
            fflush(nil)
            Glibc.exit(0)
        } catch {
            // Interrupted: the signal handler removes the staging folder and exits.
            while OutputWriter.isStopping { sleep(1) }
            Self.printProblems(error.diagnostics, codes: site.codes)
            let n = error.diagnostics.count
            FileHandle.standardError.write(
                Data(
                    "error: build failed with \(n) problem\(n == 1 ? "" : "s"); the output folder was left as it was\n"
                        .utf8))
            throw ExitCode.failure
        }
    }

    /// On SIGINT (Ctrl-C) or SIGTERM the staging folder of the running build is removed before
    /// the process exits, so the output stays as it was and nothing is left beside it.
    static func removeStagingWhenInterrupted() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                OutputWriter.removeActiveStaging()
                FileHandle.standardError.write(Data("error: interrupted; the output folder was left as it was\n".utf8))
                Glibc.exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    static func printProblems(_ diagnostics: [Diagnostic], codes: Bool) {
        for diagnostic in diagnostics {
            var text = diagnostic.headline + (codes ? " [\(diagnostic.code)]" : "")
            if let hint = diagnostic.hint { text += "\n  hint: " + hint }
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Writes a line to standard output unbuffered, so it interleaves correctly with errors.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// `1 page`, `2 pages`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024
            ? String(format: "%.1f KB", Double(bytes) / 1024) : String(format: "%.2f MB", Double(bytes) / 1048576)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the sources (front matter, datasets, templates, charts, links) without writing anything.",
        discussion: "Prints every problem and exits with status 0 only when there is none.")

    @OptionGroup var site: SiteOptions

    @Flag(help: "List every figure computed or checked in prose, with its value, formula and source.")
    var figures = false

    @Option(
        help: ArgumentHelp(
            "List the names of a text column that are probably one name spelt differently, with their rows.",
            valueName: "dataset.column"))
    var names: String?

    @Flag(help: "List, per language, the interface words (Templates/i18n/LANG.yml) missing and unused.")
    var i18n = false

    func run() throws {
        let project = self.site.project
        let drafts = self.site.drafts
        let start = DispatchTime.now()
        if let names {
            try Check.listNames(names, project: project, codes: self.site.codes)
            return
        }
        if i18n {
            do {
                for line in try SiteBuilder(project: project).interfaceReport() { Build.say(line) }
            } catch {
                Build.printProblems(error.diagnostics, codes: self.site.codes)
                throw ExitCode.failure
            }
            return
        }
        do {
            let site = try SiteBuilder(project: project, options: self.site.buildOptions).check()
            if figures {
                for figure in site.figures {
                    let sources = figure.sources.isEmpty ? "" : "  [\(figure.sources.joined(separator: ", "))]"
                    if let typed = figure.typed {
                        Build.say(
                            "\(figure.location)  claim \(typed) \(figure.disputed ? "is contradicted, as marked, by" : figure.matches ? "matches" : "DOES NOT MATCH") \(figure.formula) = \(figure.value)\(sources)"
                        )
                    } else {
                        Build.say("\(figure.location)  \(figure.formula) = \(figure.value)\(sources)")
                    }
                    for note in figure.notes { Build.say("    \(note)") }
                }
                let typed = TypedNumbers.find(in: project, includeDrafts: drafts)
                for number in typed {
                    Build.say("\(number.location)  typed number \(number.text) is neither computed nor a checked claim")
                }
                Build.say(
                    "\(site.figures.count) figure\(site.figures.count == 1 ? "" : "s") computed or checked, \(typed.count) typed number\(typed.count == 1 ? "" : "s") not traced to the data."
                )
            }
            Build.printProblems(site.warnings, codes: self.site.codes)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let warnings =
                site.warnings.isEmpty ? "" : ", \(site.warnings.count) warning\(site.warnings.count == 1 ? "" : "s")"
            Build.say(
                "No problems in \(site.pages) pages and \(site.datasets) datasets\(warnings) (\(Build.duration(seconds)))."
            )
        } catch {
            Build.printProblems(error.diagnostics, codes: self.site.codes)
            let n = error.diagnostics.count
            FileHandle.standardError.write(Data("\(n) problem\(n == 1 ? "" : "s") found\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension Check {
    /// `dossier check --names DATASET.COLUMN`: the near-duplicate report.
    static func listNames(_ target: String, project: Project, codes: Bool) throws {
        let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            FileHandle.standardError.write(Data("error: --names takes DATASET.COLUMN, e.g. contracts.vendor\n".utf8))
            throw ExitCode.failure
        }
        let (datasets, problems) = DatasetLoader.loadAll(project)
        guard let dataset = datasets.first(where: { $0.name == parts[0] }) else {
            Build.printProblems(problems, codes: codes)
            FileHandle.standardError.write(
                Data("error: no dataset '\(parts[0])' (known: \(datasets.map(\.name).sorted().joined(separator: ", ")))\n".utf8))
            throw ExitCode.failure
        }
        guard let index = dataset.columnIndex(parts[1]), dataset.columns[index].type == .text else {
            FileHandle.standardError.write(
                Data("error: \(dataset.name) has no text column '\(parts[1])' (text columns: \(dataset.columns.filter { $0.type == .text }.map(\.name).joined(separator: ", ")))\n".utf8))
            throw ExitCode.failure
        }
        let groups = NameCleaning.nearDuplicates(dataset, column: index)
        for group in groups {
            Build.say("\(group.reason):")
            for (name, rows) in group.names { Build.say("  \(name)  (\(rows) row\(rows == 1 ? "" : "s"))") }
        }
        Build.say(
            "\(groups.count) group\(groups.count == 1 ? "" : "s") of likely duplicates in \(dataset.name).\(parts[1]) (\(dataset.rowCount) rows)."
                + (groups.isEmpty ? "" : " Merge the real ones in Data/\(dataset.name).aliases.yml, or with normalize: on the column."))
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site into memory, serve it on loopback, and rebuild and reload pages on every change.",
        discussion: "Only what changed is rebuilt. A failed rebuild shows its errors over the last good page.")

    @OptionGroup var site: SiteOptions

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: UInt16 = 8080

    @Option(help: "The address to listen on. Keep it on loopback unless you mean to share the drafts.")
    var host: String = "127.0.0.1"

    @Flag(name: .shortAndLong, help: "Print only problems.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print the pages each rebuild renders.")
    var verbose = false

    func validate() throws {
        guard ListenAddress(host) != nil else { throw ValidationError(ListenAddress.problem(host)) }
    }

    func run() async throws {
        let quiet = self.quiet
        let verbose = self.verbose
        let codes = site.codes
        let server = DevServer(
            project: site.project, options: site.buildOptions,
            host: host,
            port: port
        ) { line in
            switch line {
            case .info(let text): if !quiet { Build.say(text) }
            case .detail(let text): if verbose { Build.say(text) }
            case .problem(let diagnostic): Build.printProblems([diagnostic], codes: codes)
            }
        }
        if !quiet {
            // The first build of a large site shows its progress, as `dossier build` does; the
            // rebuilds after it are quick enough to report in one line each.
            let printer = StepPrinter()
            let done = OnceFlag()
            server.onProgress = { step, count, total in if !done.isSet { printer.progress(step, count, total) } }
            server.onStep = { step, seconds in
                guard !done.isSet else { return }
                printer.finished(step, seconds)
                if step == "links" { done.set() }
            }
        }
        do {
            try await server.run()
        } catch let error as DevServer.PortInUse {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new article or dataset (never overwrites a file).",
        subcommands: [NewArticle.self, NewDataset.self])

    static func today() -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}

struct NewArticle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "article", abstract: "Write Content/SLUG.md with front matter.")

    @Argument(help: "The article's title.") var title: String
    @Option(help: "The slug (default: made from the title).") var slug: String?
    @Option(help: "Tags, separated by commas.") var tags: String?
    @Option(help: "The project folder.") var root: String = "."

    func run() throws {
        let tagList =
            tags.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            ?? []
        do {
            let path = try Scaffold.article(
                in: Project(root: URL(fileURLWithPath: root)), title: title, slug: slug, tags: tagList,
                date: New.today())
            Build.say("wrote \(path) (a draft: set draft: false to publish it)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a small working project (settings, an article with a chart and figures, a dataset, templates).",
        discussion: "It builds as it is: replace its article, data and settings with your own. Nothing is overwritten.")

    @Argument(help: "The folder to start the project in (made if missing).") var folder: String = "."

    func run() throws {
        do {
            let paths = try Scaffold.initProject(at: URL(fileURLWithPath: folder))
            Build.say("wrote \(paths.count) files into \(folder); build them with: dossier build --root \(folder)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct NewDataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Write Data/NAME.csv and its schema, or draft the schema of a CSV file you have.",
        discussion:
            "With --from FILE (or when Data/NAME.csv exists), the file is copied to Data/NAME.csv if it is elsewhere and Data/NAME.schema.yml is drafted from its cells: types, date and number formats, currency, null values, candidate keys and categories. Nothing is overwritten.")

    @Argument(help: "The dataset's name.") var name: String
    @Option(help: "A CSV file to draft the schema from.") var from: String?
    @Option(help: "The project folder.") var root: String = "."

    func run() throws {
        do {
            let project = Project(root: URL(fileURLWithPath: root))
            let existing = project.data.appendingPathComponent("\(name).csv")
            if from != nil || FileManager.default.fileExists(atPath: existing.path) {
                let source = from.map { URL(fileURLWithPath: $0) } ?? existing
                let paths = try Scaffold.draftDataset(in: project, name: name, from: source, date: New.today())
                Build.say("wrote " + paths.joined(separator: " and ") + "; read it through and fill in the source")
                return
            }
            let paths = try Scaffold.dataset(
                in: project, name: name, date: New.today())
            Build.say("wrote " + paths.joined(separator: " and "))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
