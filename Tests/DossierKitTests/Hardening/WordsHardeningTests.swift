import Foundation
import Testing

@testable import DossierCore
@testable import DossierFormat
@testable import DossierProject
@testable import DossierTemplates
@testable import DossierKit

/// Counted words have a form for every count their language has, and no category it lacks.
@Suite struct WordsHardeningTests {
    func problem(_ text: String, _ language: String) -> String? {
        do {
            _ = try InterfaceFiles.parse(text, path: "Templates/i18n/\(language).yml", language: language)
            return nil
        } catch {
            return error.diagnostic(in: "Templates/i18n/\(language).yml", code: .i18nFile).description
        }
    }

    @Test func pluralCategoriesAreThoseOfTheLanguage() {
        #expect(problem("lots: {one: лот, few: лота, many: лотов}\n", "ru") == nil)
        #expect(problem("lots: {one: лот, few: лота, many: лотов, other: лота}\n", "ru") == nil)
        #expect(problem("lots: {one: lot, other: lots}\n", "en") == nil)
        #expect(
            problem("lots: {one: лот, two: лота, many: лотов}\n", "ru")
                == "Templates/i18n/ru.yml:1:23: error: 'two' is not a plural category of 'ru'\n  hint: use one, few, many, other")
        #expect(
            problem("x: 1\nlots: {one: лот, many: лотов}\n", "ru")
                == "Templates/i18n/ru.yml:2:7: error: 'lots' has no form for 'few': some counts would print nothing\n  hint: 'ru' counts whole numbers with one, few, many; e.g. one: 1, few: 2, many: 0")
        #expect(problem("lots: {one: lot}\n", "en")?.contains("'lots' has no form for 'other'") == true)
        #expect(problem("lots: {one: лот, few: лота, many: лотов}\n", "kk")?.contains("'few' is not a plural category of 'kk'") == true)
    }
}

extension WordsHardeningTests {
    /// A words file far from complete gets the first missing keys, each with the line of the
    /// file that has it, and one line counting the rest: not a warning per key.
    @Test func missingKeysAreSummarised() throws {
        var files = InterfaceFiles()
        let english = (0..<5000).map { "key_\($0): Words \($0)\n" }.joined()
        files.files["en"] = try InterfaceFiles.parse(english, path: "Templates/i18n/en.yml", language: "en")
        files.files["ru"] = try InterfaceFiles.parse("key_0: Слова\n", path: "Templates/i18n/ru.yml", language: "ru")
        let (_, warnings) = files.words(for: "ru", defaultLanguage: "en")
        #expect(warnings.count == InterfaceFiles.missingShown + 1)
        #expect(warnings[0].headline == "Templates/i18n/ru.yml: warning: key 'key_1' is in Templates/i18n/en.yml:2 but not here; the en words are used")
        #expect(warnings.last?.headline == "Templates/i18n/ru.yml: warning: and \(4999 - InterfaceFiles.missingShown) more keys of the other languages' files are not here")
        let report = files.report(languages: ["en", "ru"], defaultLanguage: "en", templateNames: [])
        #expect(report.contains { $0.hasPrefix("ru: ") && $0.contains("key_4999") })
    }
}
