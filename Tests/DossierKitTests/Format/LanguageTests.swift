import Foundation
import Testing

@testable import DossierCore
@testable import DossierFormat
@testable import DossierProject
@testable import DossierContent
@testable import DossierTemplates
@testable import DossierFigures
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
        // A brace never closed stays, and the text before it is not repeated.
        #expect(Words.fill("{a}: {b", ["a": "1", "b": "2"]) == "1: {b")
        #expect(Words.fill("ab{c", [:]) == "ab{c")
        #expect(Words.fill("{n} строк · {n}", ["n": "12"]) == "12 строк · 12")
        #expect(Words.fill("{}{x}}", ["": "e"]) == "e{x}}")
    }

    static let languagesLine = "languages: [en, ru, kk]"

    /// The sample as a site of one language: English without its translations, or Russian
    /// with its Russian articles in place of the English ones.
    func oneLanguage(_ dir: TemporaryDirectory, _ language: String) throws {
        try replace(dir, "Content/site.yml", Self.languagesLine, "language: \(language)")
        let content = dir.path("Content")
        for name in try FileManager.default.contentsOfDirectory(atPath: content.path)
        where name.hasSuffix(".ru.md") || name.hasSuffix(".kk.md") {
            let original = content.appendingPathComponent(String(name.dropLast(6)) + ".md")
            if language == "ru" && name.hasSuffix(".ru.md") {
                try FileManager.default.removeItem(at: original)
                let text = try String(contentsOf: content.appendingPathComponent(name), encoding: .utf8)
                try Data(text.replacingOccurrences(of: ".ru.md", with: ".md").utf8).write(to: original)
                try FileManager.default.removeItem(at: content.appendingPathComponent(name))
            } else {
                try FileManager.default.removeItem(at: content.appendingPathComponent(name))
            }
        }
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
        // An English site; one article says it is Russian.
        let dir = try sample { dir in
            try FileManager.default.copyItem(at: dir.path("Content/tenders.ru.md"), to: dir.path("Content/tenders-ru.md"))
            try self.oneLanguage(dir, "en")
            try self.replace(dir, "Content/tenders-ru.md", "\ntags: [тендеры, госзакупки, медиа]", "\nlang: ru\ntags: [тендеры]")
            try self.replace(dir, "Content/tenders-ru.md", "programme-budget.ru.md", "programme-budget.md")
        }
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let html = try page(site, "tenders-ru/index.html")
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
        #expect(html.contains("Линейчатая диаграмма с накоплением: Сколько стоил каждый названный лот."))
        #expect(html.contains("Вафельная диаграмма: Двадцать лотов, восемь исполнены. 20 лотов: 8 Исполнены"))
        // The English pages stay English.
        let other = try page(site, "tenders/index.html")
        #expect(other.contains("Get the data (CSV)") && other.contains("min read"))
    }

    @Test func aRussianSiteTakesItsWordsFromTheFilesAndWarnsOfMissingOnes() throws {
        let dir = try sample { dir in
            try self.oneLanguage(dir, "ru")
            try self.replace(dir, "Content/site.yml", "  decimal_separator: \".\"\n  group_separator: \",\"\n", "")
            // The site's own words over Dossier's, and a key only the English file has.
            try dir.write(
                "Templates/i18n/ru.yml",
                "lots: {one: лот, few: лота, many: лотов}\nchart_get_data: Данные (CSV)\nfunding_title: Деньги\nfunding_subtitle: Тенге\nfunding_source: Программа\n")
            try dir.write(
                "Templates/i18n/en.yml",
                "lots: {one: lot, other: lots}\nonly_english: Only here\nfunding_title: Money\nfunding_subtitle: Tenge\nfunding_source: Programme\n")
            try FileManager.default.removeItem(at: dir.path("Templates/i18n/kk.yml"))
        }
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let html = try page(site, "tenders/index.html")
        #expect(html.contains("Данные (CSV)"))
        #expect(html.contains("4\u{00A0}июня 2019\u{00A0}г."))
        #expect(html.contains("57,5\u{00A0}млн\u{00A0}₸"))
        #expect(site.warnings.map(\.headline).contains(
            "Templates/i18n/ru.yml: warning: key 'only_english' is in Templates/i18n/en.yml:2 but not here; the en words are used"))
        // The tag page counts lots by the Russian rule.
        let tag = try page(site, "tags/procurement/index.html")
        #expect(tag.contains("Материалы с тегом «procurement»"))
        #expect(tag.range(of: "[0-9]+ (лот|лота|лотов)<", options: .regularExpression) != nil)

        // `check --i18n` lists what each language lacks and what nothing reads.
        let report = try SiteBuilder(project: Project(root: dir.url)).interfaceReport()
        #expect(report.contains { $0.hasPrefix("ru: Templates/i18n/ru.yml: ") && $0.contains("missing: only_english") })
        #expect(report.contains { $0.hasPrefix("en: Templates/i18n/en.yml: ") && $0.contains("unused: only_english") })
        #expect(report.count == 2)
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
            return lines.contains("Templates/i18n/ru.yml:3:12: error: 'several' is not a plural category of 'ru'")
                && lines.contains("Templates/i18n/Russian.yml: error: 'Russian' is not a language code")
        }
    }

    @Test func slugsFollowTheSiteSetting() throws {
        let dir = try sample { dir in
            try self.oneLanguage(dir, "en")
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

    /// The sample in three languages (its own Russian translations named after their
    /// originals and a Kazakh one) and another Kazakh one that says what it translates.
    func threeLanguages() throws -> TemporaryDirectory {
        try sample { dir in
            try FileManager.default.copyItem(at: dir.path("Content/tenders.ru.md"), to: dir.path("Content/tenders-kk.md"))
            try self.replace(
                dir, "Content/tenders-kk.md", "title: Что купили на тендерах",
                "title: Тендерлерде не сатып алынды\nlang: kk\ntranslation_of: tenders")
        }
    }

    /// The `hreflang` alternates in a page's head: language → address.
    func alternates(_ html: String) -> [String: String] {
        var found: [String: String] = [:]
        for line in html.split(separator: "\n") where line.hasPrefix("<link rel=\"alternate\" hreflang=\"") {
            let parts = line.split(separator: "\"")
            found[String(parts[3])] = String(parts[5])
        }
        return found
    }

    @Test func everyLanguageVersionLinksEveryOtherBothWaysAndTheSitemapAgrees() throws {
        let dir = try threeLanguages()
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let base = "https://example.org/extremism-budget/"
        func path(_ url: String) -> String {
            let relative = String(url.dropFirst(base.count))
            return relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
        }
        var sets: [String: [String: String]] = [:]
        for file in site.files where file.path.hasSuffix(".html") {
            let found = alternates(String(decoding: file.bytes, as: UTF8.self))
            if !found.isEmpty { sets[file.path] = found }
        }
        // The pages in several languages: homes, tag indexes, shared tags, translated articles.
        for expected in ["index.html", "ru/index.html", "kk/index.html", "tenders/index.html", "ru/tenders/index.html",
            "kk/tenders-kk/index.html", "prevention/index.html", "ru/prevention/index.html", "tags/index.html",
            "ru/tags/media/index.html"]
        {
            #expect(sets[expected] != nil, "\(expected) has no alternates")
        }
        #expect(sets["data/index.html"] == nil)
        // The listings of pages made from data are in every language; the pages themselves are shared.
        #expect(sets["contractors/index.html"].map { Set($0.keys) } == ["en", "ru", "kk", "x-default"])
        #expect(sets["contractors/local-television/index.html"] == nil)
        #expect(try page(site, "ru/contractors/index.html").contains("<h1>Подрядчики</h1>"))
        #expect(sets["programme-budget/index.html"].map { Set($0.keys) } == ["en", "ru", "x-default"])
        #expect(sets["tenders/index.html"].map { Set($0.keys) } == ["en", "ru", "kk", "x-default"])
        for (page, set) in sets {
            // Each names itself, and x-default is the default language's page.
            #expect(set.values.map(path).contains(page), "\(page) does not name itself")
            #expect(set["x-default"] == set["en"] ?? set["ru"] ?? set["kk"])
            // Symmetric: every page it names names the same set.
            for (language, url) in set where language != "x-default" {
                #expect(sets[path(url)] == set, "\(page) → \(language) \(url) is not symmetric")
            }
        }
        // The sitemap lists the same alternates for each page.
        let sitemap = String(decoding: try #require(site.files.first { $0.path == "sitemap.xml" }).bytes, as: UTF8.self)
        var listed = 0
        for entry in sitemap.components(separatedBy: "<url>").dropFirst() {
            let loc = entry.components(separatedBy: "<loc>")[1].components(separatedBy: "</loc>")[0]
            var set: [String: String] = [:]
            for link in entry.components(separatedBy: "<xhtml:link ").dropFirst() {
                let parts = link.split(separator: "\"")
                set[String(parts[3])] = String(parts[5])
            }
            #expect((set.isEmpty ? nil : set) == sets[path(loc)], "\(loc)")
            listed += set.isEmpty ? 0 : 1
        }
        #expect(listed == sets.count)

        // Each language's home lists its own articles, in its own words; each has a feed.
        let ru = try page(site, "ru/index.html")
        #expect(ru.contains("Что купили на тендерах") && !ru.contains("What the tenders bought"))
        #expect(ru.contains("<h1>Сколько стоит борьба с экстремизмом</h1>") && ru.contains(">Подрядчики</a>"))
        #expect(ru.contains("<html lang=\"ru\">") && ru.contains(">Статьи</"))
        let kk = try page(site, "kk/index.html")
        #expect(kk.contains("Тендерлерде не сатып алынды") && kk.contains(">Мақалалар</"))
        let en = try page(site, "index.html")
        #expect(!en.contains("Что купили на тендерах"))
        #expect(try page(site, "ru/feed.xml").contains("xml:lang=\"ru\""))
        #expect(try page(site, "kk/feed.xml").contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"\(base)kk/feed.xml\"/>"))
        // Column labels, figure notes and the footer in the page's language, from the sample's words.
        let budget = try page(site, "ru/programme-budget/index.html")
        #expect(budget.contains("<th scope=\"col\">Период</th>") && !budget.contains("<th scope=\"col\">Period</th>"))
        #expect(budget.contains("(из Data/budgets.csv)"))
        #expect(budget.contains("<p>Проект IWPR"))
        #expect(try page(site, "programme-budget/index.html").contains("<th scope=\"col\">Period</th>"))
        // Neighbours stay in the article's language.
        let ruTenders = try page(site, "ru/tenders/index.html")
        #expect(ruTenders.contains("href=\"../prevention/index.html\"") || ruTenders.contains("href=\"../../ru/prevention/index.html\""))
        #expect(!ruTenders.contains("programme-budget/index.html\">The"))
    }

    @Test func translationsThatCannotBeAreErrors() throws {
        let dir = try threeLanguages()
        try dir.write(
            "Content/again.md",
            "---\ntitle: Again\ndate: 2019-01-01\nlang: kk\ntranslation_of: tenders\n---\n\nText.\n")
        try dir.write(
            "Content/lost.md", "---\ntitle: Lost\ndate: 2019-01-01\nlang: ru\ntranslation_of: nowhere\n---\n\nText.\n")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).check()
        } throws: { error in
            let lines = (error as! BuildFailure).diagnostics.map(\.headline)
            return lines.contains("Content/lost.md:5:17: error: translation_of names 'nowhere', but no article in en has that slug")
                && lines.contains { $0.hasPrefix("Content/") && $0.hasSuffix("both translate 'tenders' into kk") }
        }
        try dir.write("Content/budget.kk.md", "---\ntitle: B\ndate: 2019-01-01\nlang: ru\n---\n\nText.\n")
        #expect {
            try SiteBuilder(project: Project(root: dir.url)).check()
        } throws: { error in
            (error as! BuildFailure).diagnostics.map(\.headline).contains(
                "Content/budget.kk.md:1:1: error: the file name says the article is in 'kk', but lang: says 'ru'")
        }
    }

    @Test func figureNotesAreSaidInThePagesLanguage() {
        let ru = NumberFormat(language: "ru")
        let rate = "387.17 tenge to the dollar, the rate of 2019-06-03 (source: National Bank)"
        #expect(FigureRenderer.note(rate, in: ru) == "387,17 тенге за доллар на 2019-06-03 (источник: National Bank)")
        #expect(
            FigureRenderer.note("converted at " + rate, in: ru)
                == "пересчитано по курсу 387,17 тенге за доллар на 2019-06-03 (источник: National Bank)")
        #expect(FigureRenderer.note("source: goszakup.gov.kz", in: ru) == "источник: goszakup.gov.kz")
        #expect(
            FigureRenderer.note("and 1293 more sources, listed on the data page", in: ru)
                == "и ещё 1\u{00A0}293 источника, см. страницу данных")
        #expect(FigureRenderer.note(rate, in: NumberFormat(language: "en")) == rate)
        #expect(FigureRenderer.note("something else", in: ru) == "something else")
    }
}
