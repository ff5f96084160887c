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

    init(value: Decimal, unit: String? = nil, bound: Bound = .about) {
        self.value = value
        self.unit = unit
        self.bound = bound
    }

    /// Nil when the text has no number.
    init?(_ typed: String) {
        var text = typed.lowercased().replacingOccurrences(of: ",", with: "")
        for (symbol, spaced) in [("$", " $ "), ("₸", " ₸ "), ("%", " % ")] {
            text = text.replacingOccurrences(of: symbol, with: spaced)
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" }).map(String.init)
        var number: Decimal?
        var scale: Decimal = 1
        var unit: String?
        var bound = Bound.about
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
            case "$", "dollar", "dollars", "usd", "us$", "доллар", "долларов", "доллара":
                unit = "USD"
            case "₸", "tenge", "kzt", "тенге", "теңге": unit = "KZT"
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
    }

    static func unitName(_ unit: String?) -> String {
        switch unit {
        case "USD": return "dollars"
        case "KZT": return "tenge"
        case "%": return "per cent"
        case nil: return "no unit"
        case let other?: return other
        }
    }

    /// Whether the data's value bears the claim out, with `actual` in `actualUnit`. A claim in
    /// per cent compared with a fraction (a share or a change) is read as hundredths.
    func check(_ actual: Decimal, unit actualUnit: String?, tolerance: Decimal) -> Result<Void, LocalError> {
        let currencies: Set<String> = ["USD", "KZT"]
        if let unit, currencies.contains(unit), actualUnit != unit {
            return .failure(
                LocalError(
                    "the claim is in \(TypedQuantity.unitName(unit)), but the figure is in \(TypedQuantity.unitName(actualUnit))",
                    hint: actualUnit == nil ? nil : "convert it, e.g. usd_at(…, year=YYYY), or correct the unit"))
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
