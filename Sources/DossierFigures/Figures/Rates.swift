import Foundation

/// Exchange rates from the `rates` dataset (`Data/rates.csv`: date, currency, rate, source):
/// how many tenge one unit of the currency cost on a date.
struct Rates {
    struct Rate: Sendable {
        var value: Decimal
        var date: DateValue
        var source: String?

        /// `387.17 tenge to the dollar, the rate of 2019-06-03 (source: …)`: how notes and
        /// figure titles state it.
        var statement: String {
            "\(DecimalText.plain(value)) tenge to the dollar, the rate of \(date.iso)"
                + (source.map { " (source: \($0))" } ?? "")
        }

        /// The same in the words and numbers of a page's language.
        func statement(in format: NumberFormat) -> String {
            var number = DecimalText.plain(value)
            if format.decimalSeparator != "." { number = number.replacingOccurrences(of: ".", with: format.decimalSeparator) }
            return format.words.text("rate_statement", ["value": number, "date": date.iso])
                + (source.map { format.words.text("rate_source", ["source": $0]) } ?? "")
        }
    }

    let datasets: [String: Dataset]

    /// The latest rate of `currency` dated on or before `when` (a date), or within the year when
    /// `kind` is `year`. No rate is an error that says which date was asked for.
    func rate(_ currency: String, at when: Value, by kind: String) throws(LocalError) -> Rate {
        guard let rates = datasets["rates"], let d = rates.columnIndex("date"), let c = rates.columnIndex("currency"),
            let r = rates.columnIndex("rate")
        else {
            throw LocalError("conversion needs Data/rates.csv with columns date, currency, rate")
        }
        let s = rates.columnIndex("source")
        let limit: DateValue?
        if kind == "year", let year = when.decimal {
            limit = DateValue(iso: String(format: "%04d-12-31", NSDecimalNumber(decimal: year).intValue))
        } else if case .date(let date) = when {
            limit = date
        } else {
            limit = DateValue(iso: when.plainText)
        }
        guard let limit else { throw LocalError("'\(when.plainText)' is not a date or a year") }
        var best: Rate?
        for row in 0..<rates.rowCount {
            guard rates[row, c].plainText == currency, case .date(let date) = rates[row, d],
                let value = rates[row, r].decimal,
                !(limit < date)
            else { continue }
            if kind == "year", date.year != limit.year { continue }
            if best == nil || best!.date < date {
                let source = s.map { rates[row, $0].plainText }.flatMap { $0.isEmpty ? nil : $0 }
                best = Rate(value: value, date: date, source: source)
            }
        }
        guard let best else {
            throw LocalError(
                "no \(currency) rate in Data/rates.csv covers \(kind == "year" ? "the year " : "")\(when.plainText)",
                hint: "add a row for that date to Data/rates.csv")
        }
        return best
    }
}
