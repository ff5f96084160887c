/// Month names, scale words and separators per language, kept in the code so that output never
/// depends on the ICU data or the locale of the machine that builds.
struct CalendarWords: Sendable {
    var months: [String]
    var monthsGenitive: [String]
    var monthsShort: [String]
    var thousand: String
    var million: String
    var billion: String
    var trillion: String
    var decimalSeparator: String
    var groupSeparator: String
    /// Scale words written out, for prose: `million`, `млн`.
    var longScales: [String] = []
    /// The tenge in prose: `tenge`, `тенге`, `теңге`.
    var tenge = "tenge"

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
            monthsShort: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
            thousand: "k", million: "m", billion: "bn", trillion: "tn",
            decimalSeparator: ".", groupSeparator: ",", longScales: ["thousand", "million", "billion", "trillion"])
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
        monthsShort: ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
        thousand: "тыс.", million: "млн", billion: "млрд", trillion: "трлн",
        decimalSeparator: ",", groupSeparator: "\u{00A0}", longScales: ["тыс.", "млн", "млрд", "трлн"], tenge: "тенге")

    static let kazakh = CalendarWords(
        months: [
            "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
            "қараша", "желтоқсан",
        ],
        monthsGenitive: [
            "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
            "қараша", "желтоқсан",
        ],
        monthsShort: ["қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел"],
        thousand: "мың", million: "млн", billion: "млрд", trillion: "трлн",
        decimalSeparator: ",", groupSeparator: "\u{00A0}", longScales: ["мың", "млн", "млрд", "трлн"], tenge: "теңге")
}
