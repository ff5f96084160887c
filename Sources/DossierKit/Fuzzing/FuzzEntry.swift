import Foundation

/// The entry points of Dossier's fuzz targets: each takes arbitrary bytes as one kind of
/// source file and runs it through every stage that reads that kind, in memory. Any input
/// must end in a value or a located problem; a trap, a hang or unbounded memory is a bug.
///
/// Used by the libFuzzer driver (`Fuzzing/DossierFuzz`, `make fuzz`) and by the seeded
/// property test in `make test`. Not part of Dossier's API (hence the underscore).
public enum _FuzzEntry: String, CaseIterable, Sendable {
    case csv, json, yamlData = "yaml-data", frontMatter = "front-matter", siteConfig = "site-config", schema,
        chart, figure, pages, template, search, words, translation, draft

    /// Runs one input; returns how many problems it was reported with (for tests).
    @discardableResult
    public func run(_ bytes: UnsafeRawBufferPointer) -> Int {
        let data = Data(bytes)
        let text = String(decoding: data, as: UTF8.self)
        switch self {
        case .csv:
            // A schema, then `\n---\n`, then the CSV (or the CSV alone with the fixture schema).
            var schema: Schema? = _FuzzEntry.tendersSchema
            var csv = data
            if let split = text.range(of: "\n---\n") {
                schema = try? Schema.parse(String(text[..<split.lowerBound]))
                csv = Data(text[split.upperBound...].utf8)
            }
            let (dataset, problems) = CSVDataset.read(
                csv, name: "x", path: "Data/x.csv", schema: schema, schemaPath: "Data/x.schema.yml")
            if let dataset { _FuzzEntry.exercise(dataset) }
            // Read again in chunks of a few bytes: wherever chunks end, the outcome is the same.
            var input = CSVDataset.Input(path: "Data/x.csv", label: "Data/x.csv", data: csv)
            input.chunk = 1 + csv.count % 23
            let (again, againProblems) = CSVDataset.read(
                [input], name: "x", path: "Data/x.csv", schema: schema, schemaPath: "Data/x.schema.yml")
            precondition(
                againProblems.map(\.description) == problems.map(\.description)
                    && again?.rowCount == dataset?.rowCount
                    && (0..<(dataset?.rowCount ?? 0)).allSatisfy { r in
                        (0..<dataset!.columns.count).allSatisfy { dataset![r, $0] == again![r, $0] }
                    },
                "a CSV file read in chunks of \(input.chunk) bytes reads differently")
            return problems.count
        case .json, .yamlData:
            do throws(Diagnostic) {
                let text = try SourceFiles.decodeUTF8(data, path: "Data/x")
                do throws(LocalError) {
                    let raw = try DatasetLoader.readRaw(text, extension: self == .json ? "json" : "yml")
                    let (dataset, problems) = DatasetLoader.build(
                        raw, name: "x", path: "Data/x", schema: nil, schemaPath: nil)
                    if let dataset { _FuzzEntry.exercise(dataset) }
                    return problems.count
                } catch { return 1 }
            } catch { return 1 }
        case .frontMatter:
            do throws(LocalError) {
                let article = try FrontMatter.parse(text, path: "Content/x.md", defaultSlug: "x")
                let (body, uses) = try FigureStage.extract(article.body)
                _ = MarkdownRenderer.render(body, options: .init(reservedIDs: ["main"]))
                _ = TypedNumbers.problems(article, severity: .warning)
                return uses.count
            } catch { return 1 }
        case .siteConfig:
            do throws(LocalError) {
                _ = try SiteConfig.parse(text)
                return 0
            } catch { return 1 }
        case .schema:
            do throws(LocalError) {
                let schema = try Schema.parse(text)
                let (_, problems) = CSVDataset.read(
                    Data(_FuzzEntry.tendersCSV.utf8), name: "tenders", path: "Data/tenders.csv", schema: schema,
                    schemaPath: "Data/tenders.schema.yml")
                return problems.count
            } catch { return 1 }
        case .chart:
            do throws(BuildFailure) {
                _ = try ChartRenderer.render(spec: text, datasets: [_FuzzEntry.tenders])
                return 0
            } catch { return error.diagnostics.count }
        case .figure:
            let evaluator = FigureEvaluator(datasets: ["tenders": _FuzzEntry.tenders], named: [:])
            do throws(LocalError) {
                // A formula on its own, and the same text inside prose as figures and claims.
                if let expression = try? FigureParser.parse(text) { _ = try? evaluator.evaluate(expression) }
                let (_, uses) = try FigureStage.extract(text)
                for use in uses {
                    if let expression = try? FigureParser.parse(use.expression) {
                        _ = try? evaluator.evaluate(expression)
                    }
                }
                return uses.count
            } catch { return 1 }
        case .pages:
            do throws(LocalError) {
                let spec = try DataPagesSpec.parse(text, folder: "x", path: "Content/x/_pages.yml")
                let (pages, problems) = DataPages.expand(spec, datasets: ["tenders": _FuzzEntry.tenders])
                if let pages { _ = (1...pages.pageCount).map { pages.listPath(page: $0) } }
                return problems.count
            } catch { return 1 }
        case .template:
            _ = TemplateSet.references(in: text)
            _ = TemplateSet.variableNames(in: text)
            return TemplateSet.parseProblems(text, path: "Templates/x.mustache").count
        case .search:
            // The text as a page's title, a field and its HTML, next to a page of its own words
            // reversed: the index must be made, bounded in shards, and find each term's shard.
            var document = SearchDocument(
                url: "a/", title: String(text.prefix(200)), section: "Articles", language: "ru", excerpt: "", fields: [(text, 3)])
            document.html = text
            let other = SearchDocument(
                url: "b/", title: "b", section: "Статьи", language: "kk", excerpt: "", fields: [(String(text.reversed()), 1)])
            let files = SearchIndex.files([document, other])
            let shards = files.filter { $0.path.hasPrefix("search/terms/") }.count
            precondition(shards <= Int(SearchText.shardCount), "\(shards) shards")
            for term in SearchText.terms(text) {
                precondition(SearchText.shard(of: term).utf8.count == 3)
                precondition(SearchText.clip(term).utf8.count <= 4 * 40)
            }
            return shards
        case .words:
            // The bytes as each language's words file, then the words of every language.
            var files = InterfaceFiles()
            var problems = 0
            for language in ["en", "ru", "kk", "uk"] {
                do throws(LocalError) {
                    files.files[language] = try InterfaceFiles.parse(text, path: "Templates/i18n/\(language).yml", language: language)
                } catch { problems += 1 }
            }
            for language in ["en", "ru", "kk", "uk", "de"] {
                let (words, warnings) = files.words(for: language, defaultLanguage: "en")
                for n in [0, 1, 2, 5, 11, 21, 22, 101] { _ = words.count("rows", n, number: String(n)) }
                problems += warnings.count
            }
            _ = files.report(languages: ["en", "ru"], defaultLanguage: "en", templateNames: ["t"])
            return problems
        case .translation:
            // `site.yml`, then `\n===\n`, then an article placed under each of its names.
            guard let split = text.range(of: "\n===\n") else { return 0 }
            let config = try? SiteConfig.parse(String(text[..<split.lowerBound]))
            do throws(LocalError) {
                for name in ["a.md", "a.ru.md", "ru/a.md", "a.kk.md", "x/a.en.md"] {
                    var article = try FrontMatter.parse(String(text[split.upperBound...]), path: "Content/\(name)", defaultSlug: "a")
                    try ContentLoader.placeInLanguage(&article, underContent: name, config: config)
                }
                return 0
            } catch { return 1 }
        case .draft:
            // `dossier new dataset --from FILE`: the schema drafted from the bytes must parse.
            switch SchemaDraft.draft(data, name: "x", date: "2026-12-07") {
            case .success(let schema):
                do throws(LocalError) {
                    let parsed = try Schema.parse(schema)
                    let (_, problems) = CSVDataset.read(data, name: "x", path: "Data/x.csv", schema: parsed, schemaPath: "Data/x.schema.yml")
                    return problems.count
                } catch {
                    preconditionFailure("the drafted schema does not parse: \(error.message)\n\(schema)")
                }
            case .failure: return 1
            }
        }
    }

    /// What every stage downstream does with a dataset: its values in charts and figures.
    static func exercise(_ dataset: Dataset) {
        for column in dataset.columns {
            let spec = "type: bar\ndata: \(dataset.name)\nx: \(column.name)\ny: count\n"
            _ = try? ChartRenderer.render(spec: spec, datasets: [dataset])
        }
    }

    static let tendersCSV = """
        id,year,title,amount_kzt,status
        t1,2017,"Meetings, in prisons",7300000,completed
        t2,2018,"A ""quoted"" title",1200000.50,cancelled
        t3,2018,Films,,no_bidders
        t4,2019,Books,4500000,completed

        """

    static let tendersSchema: Schema? = try? Schema.parse(
        """
        title: Tenders
        source: {name: Procurement site, url: "https://example.org/procurement", retrieved: 2019-06-01}
        columns:
          id: {type: text, required: true}
          year: {type: integer, label: Year}
          title: {type: text, label: Title}
          amount_kzt: {type: number, unit: KZT, label: Amount}
          status: {type: text, values: [completed, cancelled, no_bidders]}
        """)

    static let tenders: Dataset = {
        let (dataset, _) = CSVDataset.read(
            Data(tendersCSV.utf8), name: "tenders", path: "Data/tenders.csv", schema: tendersSchema,
            schemaPath: "Data/tenders.schema.yml")
        return dataset!
    }()
}
