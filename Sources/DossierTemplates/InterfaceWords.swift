import Foundation

/// The interface words of `Templates/i18n/LANG.yml`, one file per language: keys templates read
/// as `{{t.KEY}}` and keys that change the words Dossier writes itself (``Words``). A value is
/// text, or, for a key counted with a number, a mapping of plural categories:
///
/// ```yaml
/// get_the_data: Скачать данные
/// lots: {one: "{n} лот", few: "{n} лота", many: "{n} лотов"}
/// ```
public struct InterfaceFiles: Sendable, Hashable {
    /// Per language: its file, each key's text (counted keys as `KEY.one`, `KEY.few`…) and the
    /// line each key is on.
    package struct File: Sendable, Hashable {
        var path: String
        var table: [String: String]
        var lines: [String: Int]
    }
    package var files: [String: File] = [:]

    package init() {}

    static let folder = "i18n"

    /// The languages that have a file.
    public var languages: [String] { files.keys.sorted() }

    /// Reads every `Templates/i18n/*.yml`; each problem at its line and column.
    static func load(_ project: Project) -> (InterfaceFiles, [Diagnostic]) {
        var result = InterfaceFiles()
        var problems: [Diagnostic] = []
        let folder = project.templates.appendingPathComponent(folder)
        for url in SourceFiles.list(in: folder, extensions: ["yml", "yaml"]) {
            let path = project.relative(url)
            let language = url.deletingPathExtension().lastPathComponent
            guard language.range(of: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", options: .regularExpression) != nil else {
                problems.append(
                    Diagnostic(
                        SourceLocation(path: path), "'\(language)' is not a language code",
                        hint: "name the file after its language: en.yml, ru.yml, kk.yml", code: .i18nFile))
                continue
            }
            do throws(Diagnostic) {
                let text = try SourceFiles.readText(url, relativePath: path)
                do throws(LocalError) {
                    result.files[language] = try parse(text, path: path, language: language)
                } catch {
                    problems.append(error.diagnostic(in: path, code: .i18nFile))
                }
            } catch {
                problems.append(error)
            }
        }
        return (result, problems)
    }

    package static func parse(_ text: String, path: String, language: String) throws(LocalError) -> File {
        var file = File(path: path, table: [:], lines: [:])
        guard let root = try YAML.compose(text) else { return file }
        guard root.isMapping else { throw root.error("an i18n file is a mapping of keys to words") }
        let categories = Set(Plural.categories(language))
        let needed = Plural.wholeNumberCategories(language)
        for (key, node) in root.pairs {
            guard key.range(of: "^[A-Za-z0-9_]+$", options: .regularExpression) != nil else {
                throw node.error(
                    "key '\(key)' may hold only letters, digits and '_'", hint: "templates read it as {{t.\(key)}}")
            }
            file.lines[key] = node.line ?? 1
            if node.isMapping {
                for (category, value) in node.pairs {
                    guard categories.contains(category) else {
                        throw value.error(
                            "'\(category)' is not a plural category of '\(language)'",
                            hint: "use \(Plural.categories(language).joined(separator: ", "))")
                    }
                    file.table["\(key).\(category)"] = try value.text("\(key).\(category)")
                }
                let lacking = needed.filter { file.table["\(key).\($0)"] == nil }
                if !lacking.isEmpty {
                    throw node.error(
                        "'\(key)' has no form for \(lacking.map { "'\($0)'" }.joined(separator: " or ")): some counts would print nothing",
                        hint: "'\(language)' counts whole numbers with \(needed.joined(separator: ", ")); e.g. \(Plural.example(needed, language))")
                }
            } else {
                file.table[key] = try node.text(key)
            }
        }
        return file
    }

    /// The words of `language`: Dossier's own for it (or the default language's, for a language
    /// Dossier has none of), the site's file over them, and each key another language's file
    /// has and this one lacks taken from the default language, with a warning.
    public func words(for language: String, defaultLanguage: String) -> (Words, [Diagnostic]) {
        let (words, problems, _) = wordsAndMissing(for: language, defaultLanguage: defaultLanguage)
        return (words, problems)
    }

    /// The same, with every key this language lacks (the warnings name the first of them).
    func wordsAndMissing(for language: String, defaultLanguage: String) -> (Words, [Diagnostic], [String]) {
        let hasBuiltIn = Words.builtInLanguages.contains(String(language.prefix(2)))
        var words = Words.builtIn(hasBuiltIn ? language : defaultLanguage)
        words = Words(language: language, table: words.table)
        if let file = files[language] { words = words.merging(file.table) }
        var problems: [Diagnostic] = []
        let fallback =
            language == defaultLanguage
            ? words : Words.builtIn(defaultLanguage).merging(files[defaultLanguage]?.table ?? [:])
        var missing: [String: String] = [:]
        for (other, file) in files where other != language {
            for key in file.table.keys where words.table[key] == nil && missing[key] == nil && !InterfaceFiles.isOptional(key) {
                // A counted key is missing when this language has none of its forms.
                let base = key.split(separator: ".").first.map(String.init) ?? key
                if key.contains("."), words.table.keys.contains(where: { $0.hasPrefix(base + ".") }) { continue }
                missing[key] = other
            }
        }
        var added: [String: String] = [:]
        var reported: Set<String> = []
        var unreported = 0
        let place = files[language].map { SourceLocation(path: $0.path) } ?? SourceLocation(path: "Templates/i18n/\(language).yml")
        for (key, other) in missing.sorted(by: { $0.key < $1.key }) {
            added[key] = fallback.table[key] ?? files[other]?.table[key]
            let base = key.split(separator: ".").first.map(String.init) ?? key
            guard reported.insert(base).inserted else { continue }
            // A words file far from complete is summarised: the first keys, then a count.
            guard reported.count <= InterfaceFiles.missingShown else {
                unreported += 1
                continue
            }
            let line = files[other]!.lines[base].map { ":\($0)" } ?? ""
            var warning = Diagnostic(
                place, "key '\(base)' is in \(files[other]!.path)\(line) but not here; the \(defaultLanguage == language ? other : defaultLanguage) words are used",
                hint: "add `\(base): …` in \(language)", code: .i18nMissingKey)
            warning.severity = .warning
            problems.append(warning)
        }
        let missingKeys = reported.sorted()
        if unreported > 0 {
            var summary = Diagnostic(
                place, "and \(unreported) more key\(unreported == 1 ? "" : "s") of the other languages' files are not here",
                hint: "dossier check --i18n lists every one", code: .i18nMissingKey)
            summary.severity = .warning
            problems.append(summary)
        }
        return (words.merging(added), problems, missingKeys)
    }

    /// How many missing keys a language's warnings name before the rest are counted.
    static let missingShown = 20

    /// Keys a language may leave out: the site's title and description, the titles of the
    /// listings of pages made from data and the names of counted units (`site_title`,
    /// `list_title_FOLDER`, `unit_UNIT`); without them, site.yml's, the `_pages.yml`'s and the
    /// schema's are used.
    static func isOptional(_ key: String) -> Bool {
        key == "site_title" || key == "site_description" || key.hasPrefix("list_title_") || key.hasPrefix("unit_") || key.hasPrefix("label_")
    }

    /// `dossier check --i18n`: per language, the keys a file lacks that another file or
    /// Dossier's own words have (for the languages Dossier has words for), and the keys no
    /// template reads and Dossier does not write.
    public func report(languages: [String], defaultLanguage: String, templateNames: Set<String>) -> [String] {
        var lines: [String] = []
        let builtInKeys = Set(Words.english.keys.map { $0.split(separator: ".").first.map(String.init) ?? $0 })
        for language in (languages + files.keys).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } } {
            let (words, _, missingKeys) = wordsAndMissing(for: language, defaultLanguage: defaultLanguage)
            let have = Set(words.table.keys.map { $0.split(separator: ".").first.map(String.init) ?? $0 })
            let path = files[language]?.path ?? "Templates/i18n/\(language).yml (absent)"
            var missing = missingKeys
            if !Words.builtInLanguages.contains(String(language.prefix(2))) {
                missing += builtInKeys.subtracting(Set(files[language]?.table.keys.map { $0.split(separator: ".").first.map(String.init) ?? $0 } ?? [])).sorted()
            }
            let unused = (files[language]?.table.keys.map { $0.split(separator: ".").first.map(String.init) ?? $0 } ?? [])
                .filter { !templateNames.contains($0) && !builtInKeys.contains($0) && !InterfaceFiles.isOptional($0) }
            lines.append(
                "\(language): \(path): \(have.count) keys; missing: \(missing.isEmpty ? "none" : Set(missing).sorted().joined(separator: ", ")); unused: \(unused.isEmpty ? "none" : Set(unused).sorted().joined(separator: ", "))"
            )
        }
        return lines
    }
}
