import Yams

/// How page names are made from titles, tags and keys: Cyrillic letters written in Latin ones
/// (`transliterate`, the default: `/tags/biudzhet/`) or every letter kept (`unicode`:
/// `/tags/бюджет/`, which browsers show as typed and copy percent-encoded).
public enum SlugScheme: String, Sendable, Hashable { case transliterate, unicode }

/// The site settings read from `Content/site.yml`.
public struct SiteConfig: Sendable {
    public var title: String
    public var description: String
    /// The public address of the site, e.g. `https://example.org/dossier/`. Optional: every link
    /// Dossier writes is relative, so the base URL is only needed for canonical links and feeds.
    public var baseURL: String?
    public var language: String
    public var author: String?
    /// Lets raw HTML in Markdown through. Off by default: cmark-gfm then drops it.
    public var unsafeHTML: Bool
    public var format: NumberFormat
    /// How many of the latest articles the Atom feed holds; nil for no feed.
    public var feedEntries: Int?
    /// Where `feed:` was written, for the error when there is no base URL.
    var feedLocation: (Int, Int)?
    /// Whether a broken internal link fails the build (the default) or only warns.
    public var linksWarnOnly = false
    /// Whether a typed claim that the data contradicts fails the build (the default) or warns.
    public var claimsWarnOnly = false
    /// What a number typed in prose, neither computed nor a checked claim, does to a build:
    /// nothing (the default: `dossier check --figures` lists it), a warning, or an error.
    public var typedNumbers: TypedNumbersPolicy = .ignore
    /// How slugs are made from titles, tags and keys (`slugs:`).
    public var slugs: SlugScheme = .transliterate
    /// `search:`: an index of the site written by the build, or nil for none.
    public var search: SearchSettings?

    /// What the search index holds (`search: true`, or a mapping).
    public struct SearchSettings: Sendable, Hashable {
        /// Columns of datasets whose values on pages made from data are indexed besides their
        /// titles: `columns: {lots: [title, winner, customer]}`.
        public var columns: [String: [String]] = [:]
        /// The sections that appear: `articles` and the folders of `_pages.yml` files; nil for all.
        public var sections: [String]?
        /// Where each dataset of `columns:` and `sections:` are written, for errors once the
        /// datasets and sections are known.
        public var places: [String: SourceLocation] = [:]
    }
    /// The languages the site is written in (`languages: [en, ru, kk]`), the first the
    /// default: its pages are at the root, the others' under `/ru/`, `/kk/`.
    public var languages: [String] = []
    /// Each language's pages' folder: "" for the default language, `ru/` for the others.
    public func prefix(of language: String) -> String {
        language == self.language || !languages.contains(language) ? "" : language + "/"
    }
    /// Language names as their speakers write them, for language switchers.
    public static let nativeNames: [String: String] = [
        "en": "English", "ru": "Русский", "kk": "Қазақша", "uz": "Oʻzbekcha", "ky": "Кыргызча", "tg": "Тоҷикӣ",
        "tk": "Türkmençe", "uk": "Українська", "de": "Deutsch", "fr": "Français", "es": "Español",
    ]
    /// The formats of the other languages pages are written in (an article's `lang:`), with
    /// their words: set by the build once the templates' words are loaded.
    public var languageFormats: [String: NumberFormat] = [:]
    /// Separators set per language under `format:` (`ru: {decimal_separator: ","}`).
    var separatorOverrides: [String: (decimal: String?, group: String?)] = [:]
    /// Currencies set under `format: currencies:`, for every language.
    var customCurrencies: [String: NumberFormat.Currency] = [:]

    /// The format of a page in `language`: the site's own for its language (or none given).
    public func format(for language: String?) -> NumberFormat {
        guard let language, language != self.language else { return format }
        return languageFormats[language] ?? baseFormat(for: language)
    }

    /// The conventions of `language` (CLDR's separators, Dossier's words), with what `format:`
    /// sets for it and the site's currencies.
    public func baseFormat(for language: String) -> NumberFormat {
        let overrides = separatorOverrides[language]
        return NumberFormat(
            language: language, decimalSeparator: overrides?.decimal, groupSeparator: overrides?.group,
            currencies: customCurrencies)
    }

    /// These settings with the format of `language`, for everything made for one page.
    public func inLanguage(_ language: String?) -> SiteConfig {
        guard let language, language != self.language else { return self }
        var copy = self
        copy.format = format(for: language)
        return copy
    }

    public enum TypedNumbersPolicy: String, Sendable { case ignore, warn, error }
    /// Chart colours per value (`completed: positive`, `cancelled: "#d55e00"`).
    public var chartColors: [String: String] = [:]
    /// Changes whenever `site.yml` changes: everything depends on it.
    package var signature: Int = 0
    /// Every other key, handed to templates as `site.params`.
    public var params: [(String, Value)]

    public init(
        title: String, description: String = "", baseURL: String? = nil, language: String = "en",
        author: String? = nil, unsafeHTML: Bool = false, format: NumberFormat? = nil,
        params: [(String, Value)] = []
    ) {
        self.title = title
        self.description = description
        self.baseURL = baseURL
        self.language = language
        self.author = author
        self.unsafeHTML = unsafeHTML
        self.format = format ?? NumberFormat(language: language)
        self.params = params
    }

    package static let path = "Content/site.yml"

    /// Parses the text of `site.yml`.
    package static func parse(_ text: String) throws(LocalError) -> SiteConfig {
        guard let root = try YAML.compose(text) else {
            throw LocalError(line: 1, column: 1, "site.yml is empty", hint: "give at least a `title:`")
        }
        guard root.isMapping else { throw root.error("site.yml must be a mapping of settings") }
        guard let titleNode = root[key: "title"] else {
            throw LocalError(line: 1, column: 1, "missing required key 'title'")
        }
        var config = SiteConfig(title: try titleNode.text("title"))
        config.signature = text.hashValue
        let known: Set = [
            "title", "description", "base_url", "language", "author", "markdown", "format", "charts", "feed", "links",
            "claims", "typed_numbers", "slugs", "languages", "search",
        ]
        for (key, node) in root.pairs {
            switch key {
            case "description": config.description = try node.text("description")
            case "base_url":
                let url = try node.text("base_url")
                guard url.hasPrefix("https://") || url.hasPrefix("http://"), SafeURL.isAllowed(url) else {
                    throw node.error(
                        "base_url must start with http:// or https://", hint: "for example https://example.org/")
                }
                config.baseURL = url.hasSuffix("/") ? url : url + "/"
            case "language":
                config.language = try node.text("language")
            case "languages":
                guard case .sequence(let items) = node, !items.isEmpty else {
                    throw node.error("languages must be a list of language codes", hint: "languages: [en, ru, kk]")
                }
                for item in items {
                    let code = try item.text("a language")
                    guard code.range(of: "^[a-z]{2,3}$", options: .regularExpression) != nil else {
                        throw item.error("'\(code)' is not a language code", hint: "two or three lower-case letters: en, ru, kk")
                    }
                    guard !config.languages.contains(code) else { throw item.error("language '\(code)' is listed twice") }
                    config.languages.append(code)
                }
            case "author": config.author = try node.text("author")
            case "search":
                if node.isMapping {
                    var settings = SearchSettings()
                    for (name, value) in node.pairs {
                        switch name {
                        case "columns":
                            for (dataset, columns) in value.pairs {
                                settings.columns[dataset] = try columns.strings("search.columns.\(dataset)")
                                settings.places["columns." + dataset] = SourceLocation(path: SiteConfig.path, line: columns.line, column: columns.column)
                            }
                        case "sections":
                            settings.sections = try value.strings("search.sections")
                            settings.places["sections"] = SourceLocation(path: SiteConfig.path, line: value.line, column: value.column)
                        default:
                            throw value.error("unknown search setting '\(name)'", hint: "known: columns, sections")
                        }
                    }
                    config.search = settings
                } else {
                    config.search = try node.bool("search") ? SearchSettings() : nil
                }
            case "slugs":
                guard let scheme = SlugScheme(rawValue: try node.text("slugs")) else {
                    throw node.error("slugs must be 'transliterate' or 'unicode'", hint: "slugs: transliterate")
                }
                config.slugs = scheme
            case "feed":
                config.feedLocation = (node.line ?? 1, node.column ?? 1)
                switch YAML.value(node) {
                case .bool(let on): config.feedEntries = on ? 20 : nil
                case .integer(let n) where n > 0: config.feedEntries = n
                case .object:
                    config.feedEntries = 20
                    for (fkey, fnode) in node.pairs {
                        guard fkey == "entries", case .integer(let n) = YAML.value(fnode), n > 0 else {
                            throw fnode.error("feed takes `entries:` (a whole number above 0)")
                        }
                        config.feedEntries = n
                    }
                default: throw node.error("feed must be true, false, or a number of entries")
                }
            case "claims":
                switch try node.text("claims") {
                case "error": config.claimsWarnOnly = false
                case "warn": config.claimsWarnOnly = true
                default: throw node.error("claims must be 'error' or 'warn'")
                }
            case "typed_numbers":
                guard let policy = TypedNumbersPolicy(rawValue: try node.text("typed_numbers")) else {
                    throw node.error("typed_numbers must be 'ignore', 'warn' or 'error'")
                }
                config.typedNumbers = policy
            case "links":
                switch try node.text("links") {
                case "error": config.linksWarnOnly = false
                case "warn": config.linksWarnOnly = true
                default: throw node.error("links must be 'error' or 'warn'")
                }
            case "charts":
                for (ckey, cnode) in node.pairs {
                    guard ckey == "colors" else {
                        throw cnode.error("unknown charts setting '\(ckey)'", hint: "the only one is colors")
                    }
                    config.chartColors = try Palette.parse(cnode)
                }
            case "markdown":
                for (mkey, mnode) in node.pairs {
                    guard mkey == "unsafe_html" else {
                        throw mnode.error("unknown markdown setting '\(mkey)'", hint: "the only one is unsafe_html")
                    }
                    config.unsafeHTML = try mnode.bool("markdown.unsafe_html")
                }
            default:
                if !known.contains(key) { config.params.append((key, YAML.value(node))) }
            }
        }
        if let first = config.languages.first {
            if let node = root[key: "language"], config.language != first {
                throw node.error(
                    "language is '\(config.language)', but the first of languages is '\(first)'",
                    hint: "the first of `languages:` is the site's default language; leave out `language:`")
            }
            config.language = first
        } else {
            config.languages = [config.language]
        }
        (config.format, config.separatorOverrides, config.customCurrencies) = try parseFormat(
            root[key: "format"], language: config.language)
        if config.feedEntries != nil, config.baseURL == nil {
            let (line, column) = config.feedLocation ?? (1, 1)
            throw LocalError(
                line: line, column: column, "a feed needs absolute links, but site.yml has no base_url",
                hint: "add `base_url: https://…/` (the address the site is published at), or `feed: false`")
        }
        return config
    }

    private static func parseFormat(_ node: Node?, language: String) throws(LocalError) -> (
        NumberFormat, [String: (decimal: String?, group: String?)], [String: NumberFormat.Currency]
    ) {
        guard let node else { return (NumberFormat(language: language), [:], [:]) }
        var decimal: String?
        var group: String?
        var currencies: [String: NumberFormat.Currency] = [:]
        var overrides: [String: (decimal: String?, group: String?)] = [:]
        for (key, value) in node.pairs {
            switch key {
            case _ where key.range(of: "^[a-z]{2,3}$", options: .regularExpression) != nil && value.isMapping:
                // Separators of one language: `ru: {decimal_separator: ",", group_separator: " "}`.
                var entry: (decimal: String?, group: String?) = (nil, nil)
                for (name, setting) in value.pairs {
                    switch name {
                    case "decimal_separator": entry.decimal = try setting.text("format.\(key).decimal_separator")
                    case "group_separator": entry.group = try setting.text("format.\(key).group_separator")
                    default:
                        throw setting.error(
                            "unknown format setting '\(name)' for \(key)", hint: "known: decimal_separator, group_separator")
                    }
                }
                overrides[key] = entry
            case "decimal_separator": decimal = try value.text("format.decimal_separator")
            case "group_separator": group = try value.text("format.group_separator")
            case "currencies":
                for (code, spec) in value.pairs {
                    guard let symbol = spec[key: "symbol"] else {
                        throw spec.error("currency \(code) needs a symbol")
                    }
                    var first = false
                    if let position = spec[key: "position"] {
                        switch try position.text("position") {
                        case "before": first = true
                        case "after": first = false
                        default: throw position.error("position must be 'before' or 'after'")
                        }
                    }
                    currencies[code] = .init(symbol: try symbol.text("symbol"), symbolFirst: first)
                }
            default:
                throw value.error(
                    "unknown format setting '\(key)'",
                    hint: "known: decimal_separator, group_separator, currencies, and a language code (ru: {decimal_separator: \",\"})")
            }
        }
        // The site's own language: the top-level separators, unless its block says otherwise.
        let own = overrides[language]
        return (
            NumberFormat(
                language: language, decimalSeparator: own?.decimal ?? decimal, groupSeparator: own?.group ?? group,
                currencies: currencies), overrides, currencies
        )
    }
}
