/// What Dossier knows of each currency: the symbol it prints and where, the other ways data and
/// prose write it, and its minor unit. Any ISO 4217 code is a currency; the codes without an
/// entry here print their code (`1,200 XOF`). `site.yml`'s `currencies:` overrides the symbols.
public enum Currencies {
    public struct Info: Sendable {
        public var symbol: String
        public var symbolFirst: Bool
        /// Other spellings found next to amounts in data and prose (`US$`, `руб.`, `тг`).
        public var variants: [String]
        /// Names in prose, lower case: "australian dollars", "тенге".
        public var names: [String]
        /// Digits after the decimal separator of an amount with cents.
        public var minorDigits: Int
    }

    public static let table: [String: Info] = [
        "USD": Info(symbol: "$", symbolFirst: true, variants: ["US$", "U.S.$"], names: ["us dollars", "u.s. dollars", "dollars", "долларов", "доллар", "доллары", "доллар сша", "долларов сша"], minorDigits: 2),
        "AUD": Info(symbol: "A$", symbolFirst: true, variants: ["AU$", "AUD$"], names: ["australian dollars", "australian dollar"], minorDigits: 2),
        "CAD": Info(symbol: "C$", symbolFirst: true, variants: ["CA$", "Can$"], names: ["canadian dollars", "canadian dollar"], minorDigits: 2),
        "NZD": Info(symbol: "NZ$", symbolFirst: true, variants: [], names: ["new zealand dollars"], minorDigits: 2),
        "HKD": Info(symbol: "HK$", symbolFirst: true, variants: [], names: ["hong kong dollars"], minorDigits: 2),
        "SGD": Info(symbol: "S$", symbolFirst: true, variants: [], names: ["singapore dollars"], minorDigits: 2),
        "EUR": Info(symbol: "€", symbolFirst: true, variants: [], names: ["euros", "euro", "евро"], minorDigits: 2),
        "GBP": Info(symbol: "£", symbolFirst: true, variants: ["UK£"], names: ["pounds sterling", "pounds", "pound sterling", "фунтов стерлингов"], minorDigits: 2),
        "RUB": Info(symbol: "₽", symbolFirst: false, variants: ["руб.", "руб", "р."], names: ["roubles", "rubles", "рублей", "рубля", "рубль", "рубли"], minorDigits: 2),
        "KZT": Info(symbol: "₸", symbolFirst: false, variants: ["тг", "тг."], names: ["tenge", "тенге", "теңге"], minorDigits: 2),
        "KGS": Info(symbol: "сом", symbolFirst: false, variants: [], names: ["kyrgyz som", "сомов"], minorDigits: 2),
        "UZS": Info(symbol: "сўм", symbolFirst: false, variants: ["so'm", "сум"], names: ["uzbek som", "сумов"], minorDigits: 2),
        "TJS": Info(symbol: "SM", symbolFirst: false, variants: ["сом."], names: ["somoni", "сомони"], minorDigits: 2),
        "TMT": Info(symbol: "m", symbolFirst: false, variants: [], names: ["manat", "манатов"], minorDigits: 2),
        "AZN": Info(symbol: "₼", symbolFirst: false, variants: [], names: ["azerbaijani manat"], minorDigits: 2),
        "GEL": Info(symbol: "₾", symbolFirst: false, variants: [], names: ["lari", "лари"], minorDigits: 2),
        "AMD": Info(symbol: "֏", symbolFirst: false, variants: [], names: ["dram", "драмов"], minorDigits: 2),
        "BYN": Info(symbol: "Br", symbolFirst: false, variants: ["бел. руб."], names: ["belarusian roubles"], minorDigits: 2),
        "UAH": Info(symbol: "₴", symbolFirst: false, variants: ["грн", "грн."], names: ["hryvnias", "гривен"], minorDigits: 2),
        "MNT": Info(symbol: "₮", symbolFirst: false, variants: [], names: ["tugriks", "тугриков"], minorDigits: 2),
        "CNY": Info(symbol: "CN¥", symbolFirst: true, variants: ["RMB", "元"], names: ["yuan", "renminbi", "юаней"], minorDigits: 2),
        "JPY": Info(symbol: "¥", symbolFirst: true, variants: ["JP¥", "円"], names: ["yen", "иен"], minorDigits: 0),
        "KRW": Info(symbol: "₩", symbolFirst: true, variants: [], names: ["won"], minorDigits: 0),
        "INR": Info(symbol: "₹", symbolFirst: true, variants: ["Rs.", "Rs"], names: ["rupees", "indian rupees"], minorDigits: 2),
        "TRY": Info(symbol: "₺", symbolFirst: true, variants: ["TL"], names: ["lira", "turkish lira", "лир"], minorDigits: 2),
        "CHF": Info(symbol: "CHF", symbolFirst: true, variants: ["Fr."], names: ["swiss francs"], minorDigits: 2),
        "PLN": Info(symbol: "zł", symbolFirst: false, variants: [], names: ["zloty", "złoty"], minorDigits: 2),
        "CZK": Info(symbol: "Kč", symbolFirst: false, variants: [], names: ["koruna", "czech crowns"], minorDigits: 2),
        "SEK": Info(symbol: "kr", symbolFirst: false, variants: [], names: ["swedish kronor"], minorDigits: 2),
        "NOK": Info(symbol: "kr", symbolFirst: false, variants: [], names: ["norwegian kroner"], minorDigits: 2),
        "DKK": Info(symbol: "kr.", symbolFirst: false, variants: [], names: ["danish kroner"], minorDigits: 2),
        "BRL": Info(symbol: "R$", symbolFirst: true, variants: [], names: ["reais", "brazilian reais"], minorDigits: 2),
        "MXN": Info(symbol: "MX$", symbolFirst: true, variants: [], names: ["mexican pesos"], minorDigits: 2),
        "ZAR": Info(symbol: "R", symbolFirst: true, variants: [], names: ["rand"], minorDigits: 2),
        "ILS": Info(symbol: "₪", symbolFirst: true, variants: [], names: ["shekels"], minorDigits: 2),
        "AED": Info(symbol: "AED", symbolFirst: true, variants: ["د.إ"], names: ["dirhams"], minorDigits: 2),
        "SAR": Info(symbol: "SAR", symbolFirst: true, variants: ["ر.س"], names: ["riyals"], minorDigits: 2),
        "NGN": Info(symbol: "₦", symbolFirst: true, variants: [], names: ["naira"], minorDigits: 2),
        "PHP": Info(symbol: "₱", symbolFirst: true, variants: [], names: ["philippine pesos"], minorDigits: 2),
        "VND": Info(symbol: "₫", symbolFirst: false, variants: [], names: ["dong"], minorDigits: 0),
    ]

    /// The active ISO 4217 codes.
    public static let isoCodes: Set<String> = Set(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD \
        CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD \
        GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT \
        LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR \
        NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP \
        STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF \
        XPF YER ZAR ZMW ZWL
        """.split(separator: " ").map(String.init))

    /// Whether a unit names a currency: an ISO 4217 code.
    public static func isCurrency(_ code: String?) -> Bool {
        guard let code else { return false }
        return isoCodes.contains(code)
    }

    /// Everything that may stand next to an amount in this currency in data: its symbol, its
    /// variants and its code, longest first (so `US$` is tried before `$`).
    public static func marks(_ code: String) -> [String] { allMarks[code] ?? [code] }

    /// ``marks(_:)`` of every currency of the table, made once: values are read cell by cell.
    private static let allMarks: [String: [String]] = Dictionary(
        uniqueKeysWithValues: table.map { code, info in
            (code, Set([code, info.symbol] + info.variants).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 })
        })

    /// Characters that only appear in data as currency signs, to tell a reader that a value
    /// failed because of its currency.
    public static let signs: Set<Character> = ["$", "€", "£", "₽", "₸", "¥", "₹", "₺", "₴", "₾", "₼", "₩", "₪", "₦", "₱", "₫", "₮", "֏"]

    /// The digits after the decimal separator of an amount in this currency with cents.
    public static func minorDigits(_ code: String) -> Int { table[code]?.minorDigits ?? 2 }
}
