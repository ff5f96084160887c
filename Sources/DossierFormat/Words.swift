/// The words of a page's interface in one language: those templates read as `t.KEY` and those
/// Dossier writes itself (chart notes, descriptions for screen readers, "Other"). Built in for
/// English, Russian and Kazakh; `Templates/i18n/LANG.yml` adds keys and changes any of them.
///
/// A text may hold placeholders in braces (`{n}`, `{title}`), filled by ``fill(_:_:)``. A key
/// counted with a number has one text per plural category of the language (`KEY.one`,
/// `KEY.few`, `KEY.many`, `KEY.other`; ``Plural``).
public struct Words: Sendable, Hashable {
    public var language: String
    public private(set) var table: [String: String]

    /// Whether any key names a dataset column's label (`label_DATASET_COLUMN`).
    public private(set) var hasLabels: Bool

    public init(language: String, table: [String: String]) {
        self.language = language
        self.table = table
        self.hasLabels = table.keys.contains { $0.hasPrefix("label_") }
    }

    /// The built-in words of a language (its first two letters), English for a language
    /// Dossier has none of.
    public static func builtIn(_ language: String) -> Words {
        switch language.prefix(2) {
        case "ru": return Words(language: language, table: russian)
        case "kk": return Words(language: language, table: kazakh)
        default: return Words(language: language, table: english)
        }
    }

    /// The languages Dossier has words for.
    public static let builtInLanguages = ["en", "ru", "kk"]

    /// The text of `key`; the English one when this language has none, and the key itself
    /// when no language has it.
    public func text(_ key: String) -> String { table[key] ?? Words.english[key] ?? key }

    /// `key` with its placeholders filled.
    public func text(_ key: String, _ values: [String: String]) -> String { Words.fill(text(key), values) }

    /// The text of `key` for `n` things, by the language's plural rule, with `{n}` replaced
    /// by `number` (the count as the page writes numbers) and other placeholders by `values`.
    public func count(_ key: String, _ n: Int, number: String, _ values: [String: String] = [:]) -> String {
        let category = Plural.category(n, language: language)
        let pattern =
            table["\(key).\(category)"] ?? table["\(key).other"] ?? table[key] ?? Words.english["\(key).\(n == 1 ? "one" : "other")"]
            ?? key
        var all = values
        all["n"] = number
        return Words.fill(pattern, all)
    }

    /// These words with `other`'s entries put over them.
    public func merging(_ other: [String: String]) -> Words {
        Words(language: language, table: table.merging(other) { $1 })
    }

    /// `{name}` in `pattern` replaced by `values[name]`; unknown names are left as they are.
    public static func fill(_ pattern: String, _ values: [String: String]) -> String {
        // Braces found as bytes (they are ASCII): a search by characters was most of filling.
        let utf8 = pattern.utf8
        guard var open = utf8.firstIndex(of: 0x7B) else { return pattern }
        var out = ""
        out.reserveCapacity(utf8.count + 16)
        var rest = utf8.startIndex
        while true {
            out += pattern[rest..<open]
            // An opening brace never closed: it and what follows stay as they are.
            guard let close = utf8[open...].firstIndex(of: 0x7D) else {
                rest = open
                break
            }
            let name = String(pattern[utf8.index(after: open)..<close])
            if let value = values[name] { out += value } else { out += pattern[open...close] }
            rest = utf8.index(after: close)
            guard let next = utf8[rest...].firstIndex(of: 0x7B) else { break }
            open = next
        }
        out += pattern[rest...]
        return out
    }

    // MARK: Built-in words

    /// Every key with its English text: the reference the other languages are checked
    /// against (a test checks that Russian and Kazakh have each of them).
    public static let english: [String: String] = [
        // Templates: the site's navigation and page furniture.
        "skip_to_content": "Skip to content",
        "site_navigation": "Site",
        "articles": "Articles",
        "tags": "Tags",
        "data_and_sources": "Data and sources",
        "feed": "Feed",
        "contents": "Contents",
        "related": "Related",
        "more_articles": "More articles",
        "previous": "Previous",
        "next": "Next",
        "min_read": "min read",
        "updated": "updated",
        "draft": "draft",
        "with": "with",
        "tagged": "Tagged",
        "tagged_title": "Tagged “{name}”",
        "tagged_description": "Articles and pages tagged {name}",
        "all_tags": "All tags",
        "pages_from_data": "Pages from the data",
        "page_not_found": "Page not found",
        "not_found_text": "There is no page at this address. It may have moved, or the link may be mistyped.",
        "go_to_articles": "Go to the articles",
        "or_to_data": "or to the",
        "in_all": "in all",
        "pages": "Pages",
        "page_of": "page {page} of {pages}",
        "listing_total": "{n} in all",
        "built_with": "Built with Dossier: plain HTML, readable without scripts.",
        "data_and_sources_lower": "data and sources",
        "translations": "Languages",
        "search": "Search",
        "search_label": "Search the site",
        "search_button": "Search",
        "search_section": "Section",
        "search_language": "Language",
        "search_all": "All",
        "search_none": "Nothing found.",
        "search_found": "Results: {n}",
        "search_offline": "Search needs the site served over the web; the lists below lead to every page.",
        "search_browse": "Browse",
        "az": "A–Z",
        "az_letters": "Initials",
        "az_continued": "continued",
        "overlay_failed": "The last rebuild failed. This is the last good version of the page.",
        "source": "Source",
        "retrieved": "retrieved",
        "licence": "Licence",
        "rows.one": "{n} row",
        "rows.other": "{n} rows",
        // Charts and tables Dossier draws.
        "chart_show_data": "Show the data",
        "chart_get_data": "Get the data (CSV)",
        "chart_note": "Note: {text}",
        "chart_source": "Source: {text}",
        "chart_amounts_in": "Amounts in {text}",
        "chart_rows_from": "Rows from",
        "chart_converted_tenge": "tenge converted at {rate}",
        "chart_converted_dollars": "dollars converted at {rate}",
        "rate_statement": "{value} tenge to the dollar, the rate of {date}",
        "rate_source": " (source: {source})",
        "chart_sources_summary.one": "{n} source, listed with its values in {csv}{dataset}",
        "chart_sources_summary.other": "{n} sources, each listed with its values in {csv}{dataset}",
        "chart_its_data": "the chart's data",
        "chart_the_dataset": "the dataset",
        "chart_data": "Chart data",
        "chart_no_figure": "no figure",
        "figure_from": " (from {files})",
        "note_source": "source: {source}",
        "note_converted": "converted at {rate}",
        "note_more_sources.one": "and {n} more source, listed on the data page",
        "note_more_sources.other": "and {n} more sources, listed on the data page",
        "chart_other.one": "Other ({n} item)",
        "chart_other.other": "Other ({n} items)",
        // Descriptions of charts for screen readers: the kind, then what it shows.
        "describe_bar": "Bar chart",
        "describe_bar_stacked": "Stacked bar chart",
        "describe_bar_percent": "100% stacked bar chart",
        "describe_column": "Column chart",
        "describe_column_stacked": "Stacked column chart",
        "describe_column_percent": "100% stacked column chart",
        "describe_line": "Line chart",
        "describe_donut": "Donut chart",
        "describe_waffle": "Waffle chart",
        "describe_timeline": "Timeline",
        "describe_table": "Table",
        "describe_titled": "{kind} of {title}.",
        "describe_untitled": "{kind}.",
        "describe_from_to": "from {first} in {from} to {last} in {to}",
        "describe_peak": ", peaking at {value} in {at}",
        "describe_total": "Total {value}.",
        "describe_in_all": "in all",
        "describe_times": "{big} is {ratio} times {small}.",
        "describe_extremes": "Highest: {high} ({high_value}); lowest: {low} ({low_value}).",
        "describe_events.one": "{n} event.",
        "describe_events.other": "{n} events, in order.",
        "describe_undated": "Undated",
        "describe_rows.one": "{n} row; columns: {columns}.",
        "describe_rows.other": "{n} rows; columns: {columns}.",
        "describe_lowercase_title": "yes",
    ]

    public static let russian: [String: String] = [
        "skip_to_content": "Перейти к содержанию",
        "site_navigation": "Разделы сайта",
        "articles": "Статьи",
        "tags": "Теги",
        "data_and_sources": "Данные и источники",
        "feed": "Лента",
        "contents": "Содержание",
        "related": "По теме",
        "more_articles": "Другие статьи",
        "previous": "Назад",
        "next": "Далее",
        "min_read": "мин. чтения",
        "updated": "обновлено",
        "draft": "черновик",
        "with": "при участии",
        "tagged": "Тег",
        "tagged_title": "Материалы с тегом «{name}»",
        "tagged_description": "Статьи и страницы с тегом «{name}»",
        "all_tags": "Все теги",
        "pages_from_data": "Страницы из данных",
        "page_not_found": "Страница не найдена",
        "not_found_text": "По этому адресу страницы нет. Возможно, она переехала или в ссылке опечатка.",
        "go_to_articles": "Перейти к статьям",
        "or_to_data": "или к разделу",
        "in_all": "всего",
        "pages": "Страницы",
        "page_of": "страница {page} из {pages}",
        "listing_total": "всего {n}",
        "built_with": "Сделано в Dossier: обычный HTML, читается без скриптов.",
        "data_and_sources_lower": "«Данные и источники»",
        "translations": "Языки",
        "search": "Поиск",
        "search_label": "Поиск по сайту",
        "search_button": "Найти",
        "search_section": "Раздел",
        "search_language": "Язык",
        "search_all": "Все",
        "search_none": "Ничего не найдено.",
        "search_found": "Найдено: {n}",
        "search_offline": "Поиск работает, когда сайт открыт через интернет; списки ниже ведут ко всем страницам.",
        "search_browse": "Списки",
        "az": "А–Я",
        "az_letters": "Первые буквы",
        "az_continued": "продолжение",
        "overlay_failed": "Последняя пересборка не удалась. Это последняя удачная версия страницы.",
        "source": "Источник",
        "retrieved": "данные получены",
        "licence": "Лицензия",
        "rows.one": "{n} строка",
        "rows.few": "{n} строки",
        "rows.many": "{n} строк",
        "rows.other": "{n} строки",
        "chart_show_data": "Показать данные",
        "chart_get_data": "Скачать данные (CSV)",
        "chart_note": "Примечание: {text}",
        "chart_source": "Источник: {text}",
        "chart_amounts_in": "Суммы: {text}",
        "chart_rows_from": "Строки из",
        "chart_converted_tenge": "тенге пересчитаны по курсу {rate}",
        "chart_converted_dollars": "доллары пересчитаны по курсу {rate}",
        "rate_statement": "{value} тенге за доллар на {date}",
        "rate_source": " (источник: {source})",
        "chart_sources_summary.one": "{n} источник; значения по нему — в {csv}{dataset}",
        "chart_sources_summary.few": "{n} источника; значения по каждому — в {csv}{dataset}",
        "chart_sources_summary.many": "{n} источников; значения по каждому — в {csv}{dataset}",
        "chart_sources_summary.other": "{n} источника; значения по каждому — в {csv}{dataset}",
        "chart_its_data": "данных диаграммы",
        "chart_the_dataset": "набор данных",
        "chart_data": "Данные диаграммы",
        "chart_no_figure": "нет данных",
        "figure_from": " (из {files})",
        "note_source": "источник: {source}",
        "note_converted": "пересчитано по курсу {rate}",
        "note_more_sources.one": "и ещё {n} источник, см. страницу данных",
        "note_more_sources.few": "и ещё {n} источника, см. страницу данных",
        "note_more_sources.many": "и ещё {n} источников, см. страницу данных",
        "note_more_sources.other": "и ещё {n} источника, см. страницу данных",
        "chart_other.one": "Другие ({n})",
        "chart_other.few": "Другие ({n})",
        "chart_other.many": "Другие ({n})",
        "chart_other.other": "Другие ({n})",
        "describe_bar": "Линейчатая диаграмма",
        "describe_bar_stacked": "Линейчатая диаграмма с накоплением",
        "describe_bar_percent": "Нормированная линейчатая диаграмма",
        "describe_column": "Столбчатая диаграмма",
        "describe_column_stacked": "Столбчатая диаграмма с накоплением",
        "describe_column_percent": "Нормированная столбчатая диаграмма",
        "describe_line": "Линейный график",
        "describe_donut": "Кольцевая диаграмма",
        "describe_waffle": "Вафельная диаграмма",
        "describe_timeline": "Хронология",
        "describe_table": "Таблица",
        "describe_titled": "{kind}: {title}.",
        "describe_untitled": "{kind}.",
        "describe_from_to": "от {first} ({from}) до {last} ({to})",
        "describe_peak": ", максимум — {value} ({at})",
        "describe_total": "Всего {value}.",
        "describe_in_all": "всего",
        "describe_times": "{big} больше, чем {small}, в {ratio} раза.",
        "describe_extremes": "Больше всего: {high} ({high_value}); меньше всего: {low} ({low_value}).",
        "describe_events.one": "{n} событие.",
        "describe_events.few": "{n} события по порядку.",
        "describe_events.many": "{n} событий по порядку.",
        "describe_events.other": "{n} события по порядку.",
        "describe_undated": "Без даты",
        "describe_rows.one": "{n} строка; столбцы: {columns}.",
        "describe_rows.few": "{n} строки; столбцы: {columns}.",
        "describe_rows.many": "{n} строк; столбцы: {columns}.",
        "describe_rows.other": "{n} строки; столбцы: {columns}.",
        "describe_lowercase_title": "no",
    ]

    public static let kazakh: [String: String] = [
        "skip_to_content": "Мазмұнға өту",
        "site_navigation": "Сайт бөлімдері",
        "articles": "Мақалалар",
        "tags": "Тегтер",
        "data_and_sources": "Деректер мен дереккөздер",
        "feed": "Жаңалықтар арнасы",
        "contents": "Мазмұны",
        "related": "Тақырыпқа қатысты",
        "more_articles": "Басқа мақалалар",
        "previous": "Алдыңғы",
        "next": "Келесі",
        "min_read": "мин оқу",
        "updated": "жаңартылды",
        "draft": "жоба",
        "with": "қатысуымен",
        "tagged": "Тег",
        "tagged_title": "«{name}» тегі бар материалдар",
        "tagged_description": "«{name}» тегі бар мақалалар мен беттер",
        "all_tags": "Барлық тегтер",
        "pages_from_data": "Деректерден жасалған беттер",
        "page_not_found": "Бет табылмады",
        "not_found_text": "Бұл мекенжайда бет жоқ. Ол басқа жерге көшірілген немесе сілтемеде қате болуы мүмкін.",
        "go_to_articles": "Мақалаларға өту",
        "or_to_data": "немесе",
        "in_all": "барлығы",
        "pages": "Беттер",
        "page_of": "{pages} беттің {page}-беті",
        "listing_total": "барлығы {n}",
        "built_with": "Dossier арқылы жасалды: қарапайым HTML, скриптсіз оқылады.",
        "data_and_sources_lower": "деректер мен дереккөздерге",
        "translations": "Тілдер",
        "search": "Іздеу",
        "search_label": "Сайттан іздеу",
        "search_button": "Іздеу",
        "search_section": "Бөлім",
        "search_language": "Тіл",
        "search_all": "Барлығы",
        "search_none": "Ештеңе табылмады.",
        "search_found": "Табылды: {n}",
        "search_offline": "Іздеу сайт интернет арқылы ашылғанда жұмыс істейді; төмендегі тізімдер барлық беттерге апарады.",
        "search_browse": "Тізімдер",
        "az": "А–Я",
        "az_letters": "Бас әріптер",
        "az_continued": "жалғасы",
        "overlay_failed": "Соңғы қайта құрастыру сәтсіз аяқталды. Бұл беттің соңғы сәтті нұсқасы.",
        "source": "Дереккөз",
        "retrieved": "алынған күні",
        "licence": "Лицензия",
        "rows.one": "{n} жол",
        "rows.other": "{n} жол",
        "chart_show_data": "Деректерді көрсету",
        "chart_get_data": "Деректерді жүктеу (CSV)",
        "chart_note": "Ескертпе: {text}",
        "chart_source": "Дереккөз: {text}",
        "chart_amounts_in": "Сомалар: {text}",
        "chart_rows_from": "Жолдардың дереккөзі",
        "chart_converted_tenge": "теңге {rate} бағамымен есептелді",
        "chart_converted_dollars": "доллар {rate} бағамымен есептелді",
        "rate_statement": "{date} күнгі бағам, долларына {value} теңге",
        "rate_source": " (дереккөзі: {source})",
        "chart_sources_summary.one": "{n} дереккөз; оның мәндері: {csv}{dataset}",
        "chart_sources_summary.other": "{n} дереккөз; әрқайсысының мәндері: {csv}{dataset}",
        "chart_its_data": "диаграмма деректері",
        "chart_the_dataset": "деректер жиыны",
        "chart_data": "Диаграмма деректері",
        "chart_no_figure": "дерек жоқ",
        "figure_from": " (дереккөзі: {files})",
        "note_source": "дереккөзі: {source}",
        "note_converted": "{rate} бағамымен есептелді",
        "note_more_sources.one": "және тағы {n} дереккөз, деректер бетінде көрсетілген",
        "note_more_sources.other": "және тағы {n} дереккөз, деректер бетінде көрсетілген",
        "chart_other.one": "Басқалары ({n})",
        "chart_other.other": "Басқалары ({n})",
        "describe_bar": "Жолақ диаграмма",
        "describe_bar_stacked": "Жинақталған жолақ диаграмма",
        "describe_bar_percent": "Пайыздық жолақ диаграмма",
        "describe_column": "Бағанды диаграмма",
        "describe_column_stacked": "Жинақталған бағанды диаграмма",
        "describe_column_percent": "Пайыздық бағанды диаграмма",
        "describe_line": "Сызықтық график",
        "describe_donut": "Сақиналы диаграмма",
        "describe_waffle": "Вафли диаграммасы",
        "describe_timeline": "Хронология",
        "describe_table": "Кесте",
        "describe_titled": "{kind}: {title}.",
        "describe_untitled": "{kind}.",
        "describe_from_to": "{first} ({from}) бастап {last} ({to}) дейін",
        "describe_peak": ", ең жоғарғысы — {value} ({at})",
        "describe_total": "Барлығы {value}.",
        "describe_in_all": "барлығы",
        "describe_times": "{big} {small} мәнінен {ratio} есе көп.",
        "describe_extremes": "Ең көбі: {high} ({high_value}); ең азы: {low} ({low_value}).",
        "describe_events.one": "{n} оқиға.",
        "describe_events.other": "Ретімен {n} оқиға.",
        "describe_undated": "Күні белгісіз",
        "describe_rows.one": "{n} жол; бағандар: {columns}.",
        "describe_rows.other": "{n} жол; бағандар: {columns}.",
        "describe_lowercase_title": "no",
    ]
}

/// Plural categories of CLDR for whole numbers: English and Kazakh `one` and `other`, Russian
/// `one` (1, 21, 101), `few` (2-4, 22-24) and `many` (0, 5-20, 25-30, 11-14).
public enum Plural {
    public static func category(_ n: Int, language: String) -> String {
        let n = n < 0 ? -n : n
        switch language.prefix(2) {
        case "ru", "uk", "be":
            let (mod10, mod100) = (n % 10, n % 100)
            if mod10 == 1 && mod100 != 11 { return "one" }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return "few" }
            return "many"
        default:
            return n == 1 ? "one" : "other"
        }
    }

    /// The categories ``category(_:language:)`` gives for some whole number: a counted key
    /// needs every one of them, or some counts would print nothing.
    public static func wholeNumberCategories(_ language: String) -> [String] {
        switch language.prefix(2) {
        case "ru", "uk", "be": return ["one", "few", "many"]
        default: return ["one", "other"]
        }
    }

    /// Numbers that take each category, for hints: `one: 1, few: 2, many: 5`.
    public static func example(_ categories: [String], _ language: String) -> String {
        categories.map { c in "\(c): \((0...30).first { category($0, language: language) == c } ?? 1)" }.joined(separator: ", ")
    }

    /// The categories a language uses, in CLDR's order.
    public static func categories(_ language: String) -> [String] {
        switch language.prefix(2) {
        case "ru", "uk", "be": return ["one", "few", "many", "other"]
        default: return ["one", "other"]
        }
    }
}
