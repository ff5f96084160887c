/// Month names per language, kept in the code so that output never depends on the ICU data or
/// the locale of the machine that builds. Numbers' words and separators are ``NumberWords``.
struct CalendarWords: Sendable {
    var months: [String]
    var monthsGenitive: [String]
    var monthsShort: [String]

    static let supportedLanguages = ["en", "ru", "kk"]

    static func `for`(_ language: String) -> CalendarWords {
        switch language.prefix(2) {
        case "ru": return russian
        case "kk": return kazakh
        default: return english
        }
    }

    static let english: CalendarWords = {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ]
        return CalendarWords(
            months: months, monthsGenitive: months,
            monthsShort: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    }()

    static let russian = CalendarWords(
        months: [
            "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
            "ноябрь", "декабрь",
        ],
        monthsGenitive: [
            "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
            "октября", "ноября", "декабря",
        ],
        // CLDR's abbreviated months in dates ("3 июн. 2019 г."); May is short already.
        monthsShort: ["янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."])

    static let kazakh = CalendarWords(
        months: [
            "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
            "қараша", "желтоқсан",
        ],
        monthsGenitive: [
            "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
            "қараша", "желтоқсан",
        ],
        monthsShort: ["қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел"])
}
