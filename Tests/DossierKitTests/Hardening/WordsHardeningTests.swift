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
