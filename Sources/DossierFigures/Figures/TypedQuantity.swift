import Foundation

/// A quantity as a reporter types it in a claim: a number, a scale word, a unit and perhaps a
/// bound. `39 million tenge` is 39,000,000 KZT; `$100.73 thousand` is 100,730 USD; `over 1
/// billion dollars` is more than 1,000,000,000 USD; `72%` is 72 per cent; `2.8 times` is 2.8.
struct TypedQuantity: Equatable, Sendable {
    enum Bound: Equatable, Sendable {
        /// Equal within the claim's tolerance.
        case about
        /// The data must be larger (`over`, `more than`, `above`).
        case over
        /// The data must be smaller (`under`, `less than`, `below`).
        case under
    }

    var value: Decimal
    /// `USD`, `KZT`, `%`, or nil for a bare number.
    var unit: String?
    var bound: Bound = .about
    /// Written `$` or "dollars" with no country: the dollar of whatever dollar currency the
    /// figure is in (Australian dollars in an Australian register).
    var anyDollar = false

    static func == (a: TypedQuantity, b: TypedQuantity) -> Bool {
        a.value == b.value && a.unit == b.unit && a.bound == b.bound
    }

    init(value: Decimal, unit: String? = nil, bound: Bound = .about) {
        self.value = value
        self.unit = unit
        self.bound = bound
    }

    /// Nil when the text has no number. With a decimal comma (Russian, Kazakh: `270,1 млрд`),
    /// a comma is the decimal mark and a space or no-break space between digit groups is
    /// grouping (`1 234,5`); otherwise commas group (`1,234.5`).
    init?(_ typed: String, decimalSeparator: String = ".") {
        var text: String
        if decimalSeparator == "," {
            text = typed.lowercased().replacingOccurrences(
                of: "(?<=\\d)[ \u{00A0}\u{202F}](?=\\d{3}(?!\\d))", with: "", options: .regularExpression)
            text = " " + text.replacingOccurrences(of: ",", with: ".") + " "
        } else {
            text = " " + typed.lowercased().replacingOccurrences(of: ",", with: "") + " "
        }
        // Currency names and prefixed signs first (`A$`, "Australian dollars"), longest first,
        // as one token `¤CODE`.
        for (mark, code) in TypedQuantity.currencyMarks {
            guard text.contains(mark) else { continue }
            let isWord = mark.first!.isLetter
            if isWord {
                text = text.replacingOccurrences(
                    of: "(?<=[\\s\\d])" + NSRegularExpression.escapedPattern(for: mark) + "(?=[\\s\\d.]|$)", with: " ¤\(code) ",
                    options: .regularExpression)
            } else {
                text = text.replacingOccurrences(of: mark, with: " ¤\(code) ")
            }
        }
        for (symbol, spaced) in [("$", " $ "), ("%", " % ")] {
            text = text.replacingOccurrences(of: symbol, with: spaced)
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" }).map(String.init)
        var number: Decimal?
        var scale: Decimal = 1
        var unit: String?
        var bound = Bound.about
        var anyDollar = false
        var previous = ""
        for word in words {
            if number == nil, let d = DecimalText.parse(word) {
                number = d
                previous = word
                continue
            }
            switch word {
            case "thousand", "k", "тыс", "тыс.", "мың": scale = 1_000
            case "million", "m", "mn", "млн": scale = 1_000_000
            case "billion", "bn", "млрд": scale = 1_000_000_000
            case "trillion", "tn", "трлн": scale = Decimal(string: "1000000000000")!
            case "$", "dollar", "dollars", "доллар", "долларов", "доллара":
                unit = "USD"
                anyDollar = true
            case let token where token.hasPrefix("¤"): unit = String(token.dropFirst()).uppercased()
            case let code where code.count == 3 && Currencies.isCurrency(code.uppercased()): unit = code.uppercased()
            case "%", "percent": unit = "%"
            case "cent" where previous == "per": unit = "%"
            case "over", "above", "exceeding": bound = .over
            case "than" where previous == "more": bound = .over
            case "under", "below": bound = .under
            case "than" where previous == "less" || previous == "fewer": bound = .under
            case "более", "свыше": bound = .over
            case "менее": bound = .under
            default: break
            }
            previous = word
        }
        guard let number else { return nil }
        self.init(value: number * scale, unit: unit, bound: bound)
        self.anyDollar = anyDollar && unit == "USD"
    }

    /// Signs, prefixed signs and names of currencies in claims, longest first.
    static let currencyMarks: [(String, String)] = {
        var marks: [(String, String)] = []
        for (code, info) in Currencies.table {
            for mark in [info.symbol] + info.variants + info.names where mark != "$" {
                let lower = mark.lowercased()
                // Bare letters that are also words ("m", "r", "kr") are not read as currencies.
                if lower.count < 2 && lower.first!.isLetter { continue }
                if ["kr", "kr.", "sm", "br", "tl", "rs", "rs.", "fr.", "dollars", "dollar", "доллар", "долларов", "доллара"].contains(lower) { continue }
                marks.append((lower, code))
            }
        }
        return marks.sorted { $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.0 < $1.0 }
    }()

    static func unitName(_ unit: String?) -> String {
        switch unit {
        case "USD": return "US dollars"
        case "$": return "dollars"
        case "KZT": return "tenge"
        case let code? where Currencies.table[code] != nil: return Currencies.table[code]!.names.first.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? code
        case "%": return "per cent"
        case nil: return "no unit"
        case let other?: return other
        }
    }

    /// Whether the data's value bears the claim out, with `actual` in `actualUnit`. A claim in
    /// per cent compared with a fraction (a share or a change) is read as hundredths.
    func check(_ actual: Decimal, unit actualUnit: String?, tolerance: Decimal) -> Result<Void, LocalError> {
        if let unit, Currencies.isCurrency(unit), actualUnit != unit {
            let otherDollar = anyDollar && (actualUnit.map { Currencies.table[$0]?.symbol.hasSuffix("$") ?? false } ?? false)
            if !otherDollar {
                // A conversion exists only between tenge and US dollars (the rates dataset).
                let hint: String? =
                    Set([unit, actualUnit ?? ""]) == ["USD", "KZT"]
                    ? "convert it, e.g. \(actualUnit == "KZT" ? "usd_at" : "kzt_at")(…, year=YYYY), or correct the unit"
                    : actualUnit == nil ? nil : "write the claim in \(TypedQuantity.unitName(actualUnit)), e.g. with its sign or code"
                return .failure(
                    LocalError(
                        "the claim is in \(TypedQuantity.unitName(anyDollar ? "$" : unit)), but the figure is in \(TypedQuantity.unitName(actualUnit))",
                        hint: hint))
            }
        }
        var claimed = value
        if unit == "%", actualUnit != "%" { claimed /= 100 }
        switch bound {
        case .about:
            return FigureRenderer.within(claimed, actual, tolerance: tolerance)
                ? .success(()) : .failure(LocalError(""))
        case .over:
            return actual > claimed ? .success(()) : .failure(LocalError("the data is not more than the claim"))
        case .under:
            return actual < claimed ? .success(()) : .failure(LocalError("the data is not less than the claim"))
        }
    }
}
