import Foundation
import Testing

@testable import DossierCore
@testable import DossierFormat
@testable import DossierProject
@testable import DossierContent
@testable import DossierTemplates
@testable import DossierSite

/// Pages in Russian and Kazakh: plural rules, interface words (Dossier's own and the site's
/// `Templates/i18n/`), numbers and dates in each page's language.
@Suite struct LanguageTests {
    @Test func pluralCategoriesFollowCLDR() {
        let ru = [0: "many", 1: "one", 2: "few", 4: "few", 5: "many", 11: "many", 12: "many", 14: "many", 21: "one",
            22: "few", 25: "many", 101: "one", 111: "many", 1_000_001: "one"]
        for (n, category) in ru { #expect(Plural.category(n, language: "ru") == category, "\(n)") }
        for (n, category) in [0: "other", 1: "one", 2: "other", 21: "other"] {
            #expect(Plural.category(n, language: "en") == category)
            #expect(Plural.category(n, language: "kk") == category)
        }
        let words = Words.builtIn("ru")
        #expect(words.count("describe_events", 1, number: "1") == "1 событие.")
        #expect(words.count("describe_events", 3, number: "3") == "3 события по порядку.")
        #expect(words.count("describe_events", 11, number: "11") == "11 событий по порядку.")
        #expect(Words.builtIn("en").count("chart_other", 1, number: "1") == "Other (1 item)")
        #expect(Words.builtIn("en").count("chart_other", 1_111, number: "1,111") == "Other (1,111 items)")
    }

    @Test func russianAndKazakhHaveEveryWordEnglishHas() {
        for language in ["ru", "kk"] {
            let table = Words.builtIn(language).table
            for key in Words.english.keys {
                if let dot = key.firstIndex(of: ".") {
                    // A counted key: every category of the language.
                    let base = key[..<dot]
                    for category in Plural.categories(language) where category != "other" || language != "ru" {
                        #expect(table["\(base).\(category)"] != nil, "\(language): \(base).\(category)")
                    }
                } else {
                    #expect(table[key] != nil, "\(language): \(key)")
                }
            }
            #expect(Set(table.keys).subtracting(Words.english.keys).allSatisfy { key in
                Words.english.keys.contains { $0.hasPrefix(key.split(separator: ".")[0] + ".") }
            })
        }
        #expect(Words.fill("{a} and {b} {c}", ["a": "1", "b": "2"]) == "1 and 2 {c}")
        #expect(Words.fill("no braces", ["a": "1"]) == "no braces")
    }

    /// A copy of the sample with its site language or an article's changed.
    func sample(_ change: (TemporaryDirectory) throws -> Void) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        try change(dir)
        return dir
    }

    func replace(_ dir: TemporaryDirectory, _ path: String, _ old: String, _ new: String) throws {
        let url = dir.path(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old), "\(path) has no '\(old)'")
        try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: url)
    }

    func page(_ site: SiteBuilder.Site, _ path: String) throws -> String {
        String(decoding: try #require(site.files.first { $0.path == path }).bytes, as: UTF8.self)
    }

    @Test func aRussianArticleIsWrittenInRussian() throws {
        // The sample's site is English; one article says it is Russian.
        let dir = try sample { dir in
            try self.replace(dir, "Content/tenders.md", "\ntags: [tenders", "\nlang: ru\ntags: [tenders")
        }
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let html = try page(site, "tenders/index.html")
        #expect(html.contains("<html lang=\"ru\">"))
        #expect(html.contains("<time datetime=\"2019-06-04\">4\u{00A0}июня 2019\u{00A0}г.</time>"))
        #expect(html.contains("мин. чтения"))
        #expect(html.contains("Скачать данные (CSV)") && !html.contains("Get the data"))
        #expect(html.contains("<summary>Показать данные</summary>") && !html.contains("Show the data"))
        #expect(html.contains("Перейти к содержанию") && html.contains(">Статьи</a>"))
        // Numbers with a decimal comma (the site's "." is for English pages), in charts and prose.
        #expect(html.contains("7,3\u{00A0}млн\u{00A0}₸"))
        #expect(!html.contains("7.3\u{00A0}млн"))
        // The chart's description in Russian grammar.
        #expect(html.contains("Линейчатая диаграмма с накоплением: What each named lot was worth."))
        // The English pages stay English.
        let other = try page(site, "programme-budget/index.html")
        #expect(other.contains("Get the data (CSV)") && other.contains("min read"))
    }

    @Test func aRussianSiteTakesItsWordsFromTheFilesAndWarnsOfMissingOnes() throws {
        let dir = try sample { dir in
            try self.replace(dir, "Content/site.yml", "language: en", "language: ru")
            try self.replace(dir, "Content/site.yml", "  decimal_separator: \".\"\n  group_separator: \",\"\n", "")
            // The site's own words over Dossier's, and a key only the English file has.
            try dir.write("Templates/i18n/ru.yml", "lots: {one: лот, few: лота, many: лотов}\nchart_get_data: Данные (CSV)\n")
            try dir.write("Templates/i18n/en.yml", "lots: {one: lot, other: lots}\nonly_english: Only here\n")
        }
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let html = try page(site, "tenders/index.html")
        #expect(html.contains("Данные (CSV)"))
        #expect(html.contains("4\u{00A0}июня 2019\u{00A0}г."))
        #expect(html.contains("57,5\u{00A0}млн\u{00A0}₸"))
        #expect(site.warnings.map(\.headline).contains(
            "Templates/i18n/ru.yml: warning: key 'only_english' is in Templates/i18n/en.yml but not here; the en words are used"))
        // The tag page counts lots by the Russian rule.
        let tag = try page(site, "tags/procurement/index.html")
        #expect(tag.contains("Материалы с тегом «procurement»"))
        #expect(tag.range(of: "[0-9]+ (лот|лота|лотов)<", options: .regularExpression) != nil)

        // `check --i18n` lists what each language lacks and what nothing reads.
        let report = try SiteBuilder(project: Project(root: dir.url)).interfaceReport()
        #expect(report.contains { $0.hasPrefix("ru: Templates/i18n/ru.yml: ") && $0.contains("missing: only_english") })
        #expect(report.contains { $0.hasPrefix("en: Templates/i18n/en.yml: ") && $0.contains("unused: only_english") })
    }

    @Test func aBadWordsFileIsAnErrorAtItsLine() throws {
        let dir = try sample { dir in
            try dir.write("Templates/i18n/ru.yml", "lots:\n  one: лот\n  several: лота\n")
            try dir.write("Templates/i18n/Russian.yml", "a: b\n")
        }
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).check()
        } throws: { error in
            let lines = (error as! BuildFailure).diagnostics.map(\.headline)
            return lines.contains("Templates/i18n/ru.yml:3:12: error: 'several' is not a plural category")
                && lines.contains("Templates/i18n/Russian.yml: error: 'Russian' is not a language code")
        }
    }

    @Test func slugsFollowTheSiteSetting() throws {
        let dir = try sample { dir in
            try self.replace(dir, "Content/tenders.md", "tags: [tenders, procurement, media]", "tags: [тендеры, procurement, медиа]")
        }
        var site = try SiteBuilder(project: Project(root: dir.url)).render()
        #expect(site.files.contains { $0.path == "tags/tendery/index.html" })
        #expect(site.files.contains { $0.path == "tags/media/index.html" })
        try replace(dir, "Content/site.yml", "language: en", "language: en\nslugs: unicode")
        site = try SiteBuilder(project: Project(root: dir.url)).render()
        #expect(site.files.contains { $0.path == "tags/тендеры/index.html" })
        try replace(dir, "Content/site.yml", "slugs: unicode", "slugs: ascii")
        #expect(throws: BuildFailure.self) { try SiteBuilder(project: Project(root: dir.url)).check() }
    }
}
