/// Scale words and separators per language, kept in the code so that output never depends on
/// the ICU data or the locale of the machine that builds.
struct NumberWords: Sendable {
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

    static func `for`(_ language: String) -> NumberWords {
        switch language.prefix(2) {
        case "ru": return russian
        case "kk": return kazakh
        default: return english
        }
    }

    static let english = NumberWords(
        thousand: "k", million: "m", billion: "bn", trillion: "tn", decimalSeparator: ".", groupSeparator: ",",
        longScales: ["thousand", "million", "billion", "trillion"])

    static let russian = NumberWords(
        thousand: "тыс.", million: "млн", billion: "млрд", trillion: "трлн", decimalSeparator: ",",
        groupSeparator: "\u{00A0}", longScales: ["тыс.", "млн", "млрд", "трлн"], tenge: "тенге")

    static let kazakh = NumberWords(
        thousand: "мың", million: "млн", billion: "млрд", trillion: "трлн", decimalSeparator: ",",
        groupSeparator: "\u{00A0}", longScales: ["мың", "млн", "млрд", "трлн"], tenge: "теңге")
}
