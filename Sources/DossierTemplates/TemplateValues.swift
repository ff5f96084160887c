import Foundation

/// A number handed to templates: shown formatted for people, with transforms such as
/// `{{tenge_short(amount)}}` or `{{percent(share)}}`.
package struct TemplateNumber: TemplateCustom {
    var value: Decimal
    var unit: String?
    var defaultTransform: String
    var format: NumberFormat
    var decimals: Int?

    package init(_ value: Decimal, unit: String?, column: String? = nil, decimals: Int? = nil, format: NumberFormat) {
        self.value = value
        self.unit = unit
        self.decimals = decimals
        self.format = format
        self.defaultTransform = format.defaultTransform(unit: unit, columnName: column)
    }

    package var renderText: String {
        format.apply(defaultTransform, to: value, unit: unit, decimals: decimals) ?? DecimalText.plain(value)
    }
    package var isNull: Bool { false }

    package func templateTransform(_ name: String) -> TemplateValue? {
        format.apply(name, to: value, unit: unit, decimals: decimals).map { .text($0) }
    }
}

/// A date handed to templates: `{{date}}` shows `12 April 2018`; `{{iso(date)}}` gives `2018-04-12`.
package struct TemplateDate: TemplateCustom {
    package var date: DateValue
    var format: NumberFormat

    package init(date: DateValue, format: NumberFormat) {
        self.date = date
        self.format = format
    }

    package var renderText: String { format.longDate(date) }
    package var isNull: Bool { false }

    package func templateTransform(_ name: String) -> TemplateValue? { format.apply(name, to: date).map { .text($0) } }
}

extension Value {
    /// The value as templates see it: text, numbers and dates with transforms, lists, and
    /// dictionaries; nil for null so that `{{#x}}` sections skip it.
    package func templateValue(format: NumberFormat, unit: String? = nil, column: String? = nil, decimals: Int? = nil) -> Any? {
        switch self {
        case .null: return nil
        case .bool(let b): return b
        case .integer(let i): return TemplateNumber(Decimal(i), unit: unit, column: column, decimals: decimals, format: format)
        case .number(let d): return TemplateNumber(d, unit: unit, column: column, decimals: decimals, format: format)
        case .text(let s): return s
        case .date(let d): return TemplateDate(date: d, format: format)
        case .array(let items): return items.compactMap { $0.templateValue(format: format) }
        case .object(let pairs):
            var dict: [String: Any] = [:]
            for (k, v) in pairs { dict[k] = v.templateValue(format: format, column: k) }
            return dict
        }
    }
}
