/// A stable name for a kind of problem (`link.missing-anchor`, `claim.contradicted`), as
/// rustc's `E0308` or ESLint's rule ids: settings such as `links: warn` act on codes, never on
/// the wording of messages, which may change. The README lists every code.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The part before the dot: `link` for `link.missing-anchor`.
    public var family: String { String(rawValue.prefix { $0 != "." }) }

    public var description: String { rawValue }

    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension DiagnosticCode {
    // Sources and the project's files.
    public static let sourceRead = DiagnosticCode("source.read")
    public static let sourceEncoding = DiagnosticCode("source.encoding")
    public static let sourceLinkOutside = DiagnosticCode("source.link-outside")
    public static let sourceLinkCycle = DiagnosticCode("source.link-cycle")
    public static let yamlSyntax = DiagnosticCode("yaml.syntax")
    public static let yamlAliases = DiagnosticCode("yaml.aliases")
    public static let siteConfig = DiagnosticCode("site.config")
    // Interface words (Templates/i18n/LANG.yml).
    public static let i18nFile = DiagnosticCode("words.file")
    public static let i18nMissingKey = DiagnosticCode("words.missing-key")
    // Translations.
    public static let translationUnknown = DiagnosticCode("translation.unknown-original")
    public static let translationTwice = DiagnosticCode("translation.twice")
    // Articles.
    public static let frontMatter = DiagnosticCode("content.front-matter")
    public static let duplicateSlug = DiagnosticCode("content.duplicate-slug")
    public static let unknownTable = DiagnosticCode("content.unknown-dataset")
    public static let unsafeHTML = DiagnosticCode("html.unsafe")
    public static let typedNumber = DiagnosticCode("prose.typed-number")
    // Datasets.
    public static let dataCSV = DiagnosticCode("data.csv")
    public static let dataFormat = DiagnosticCode("data.format")
    public static let dataValue = DiagnosticCode("data.value")
    public static let dataSchema = DiagnosticCode("data.schema")
    public static let dataSchemaAlone = DiagnosticCode("data.schema-without-dataset")
    public static let dataDuplicateName = DiagnosticCode("data.duplicate-name")
    public static let dataTooLarge = DiagnosticCode("data.too-large")
    public static let dataSkippedRows = DiagnosticCode("data.skipped-rows")
    /// A line that is not a row of data: a totals line, or a line of empty fields.
    public static let dataNotData = DiagnosticCode("data.not-data")
    /// What was left out of a dataset, in all: lines read, rows kept, lines left out by reason.
    public static let dataLedger = DiagnosticCode("data.ledger")
    public static let dataFiles = DiagnosticCode("data.files")
    public static let dataAliases = DiagnosticCode("data.aliases")
    public static let dataNearDuplicates = DiagnosticCode("data.near-duplicates")
    // Pages from data.
    public static let pagesSpec = DiagnosticCode("pages.spec")
    public static let pagesUnknownDataset = DiagnosticCode("pages.unknown-dataset")
    public static let pagesUnknownColumn = DiagnosticCode("pages.unknown-column")
    public static let pagesEmptySlug = DiagnosticCode("pages.empty-slug")
    public static let pagesDuplicateSlug = DiagnosticCode("pages.duplicate-slug")
    public static let pagesMissingTemplate = DiagnosticCode("pages.missing-template")
    // Figures and claims.
    public static let figureSyntax = DiagnosticCode("figure.syntax")
    public static let figure = DiagnosticCode("figure.error")
    public static let figureUnknownColumn = DiagnosticCode("figure.unknown-column")
    public static let figureDuplicate = DiagnosticCode("figure.duplicate")
    public static let claimContradicted = DiagnosticCode("claim.contradicted")
    public static let claimNotContradicted = DiagnosticCode("claim.not-contradicted")
    public static let claimSyntax = DiagnosticCode("claim.syntax")
    // Charts.
    public static let chart = DiagnosticCode("chart.spec")
    public static let chartMissingDataset = DiagnosticCode("chart.missing-dataset")
    public static let chartFolded = DiagnosticCode("chart.folded")
    // Templates.
    public static let templateSyntax = DiagnosticCode("template.syntax")
    public static let templateMissing = DiagnosticCode("template.missing")
    public static let templateMissingPartial = DiagnosticCode("template.missing-partial")
    public static let templateCycle = DiagnosticCode("template.cycle")
    public static let templateTooDeep = DiagnosticCode("template.too-deep")
    public static let templateNoLang = DiagnosticCode("template.no-lang")
    // Tags and authors.
    public static let taxonomyEmptySlug = DiagnosticCode("taxonomy.empty-slug")
    public static let taxonomyCollision = DiagnosticCode("taxonomy.collision")
    // Links.
    public static let linkInvalid = DiagnosticCode("link.invalid")
    public static let linkMissingFile = DiagnosticCode("link.missing-file")
    public static let linkMissingAnchor = DiagnosticCode("link.missing-anchor")
    public static let linkMissingArticle = DiagnosticCode("link.missing-article")
    public static let linkDraft = DiagnosticCode("link.draft")
    // Pages and files written.
    public static let pageDuplicatePath = DiagnosticCode("page.duplicate-path")
    public static let pageFileAndFolder = DiagnosticCode("page.file-and-folder")
    public static let pageNameTooLong = DiagnosticCode("page.name-too-long")
    public static let pagePathTooLong = DiagnosticCode("page.path-too-long")
    public static let pageCaseOnly = DiagnosticCode("page.case-only")
    public static let outputDuplicatePath = DiagnosticCode("output.duplicate-path")
    public static let outputFileAndFolder = DiagnosticCode("output.file-and-folder")
    public static let outputOverlap = DiagnosticCode("output.overlap")
    public static let outputForeign = DiagnosticCode("output.foreign")
    public static let outputDanglingLink = DiagnosticCode("output.dangling-link")
    public static let outputWrite = DiagnosticCode("output.write")

    /// Every code, for the README and `dossier check --codes`.
    public static let all: [DiagnosticCode] = [
        sourceRead, sourceEncoding, sourceLinkOutside, sourceLinkCycle, yamlSyntax, yamlAliases, siteConfig,
        i18nFile, i18nMissingKey, translationUnknown, translationTwice,
        frontMatter, duplicateSlug, unknownTable, unsafeHTML, typedNumber, dataCSV, dataFormat, dataValue,
        dataSchema, dataSchemaAlone, dataDuplicateName, dataTooLarge, dataSkippedRows, dataNotData, dataLedger, dataFiles, dataAliases, dataNearDuplicates, pagesSpec, pagesUnknownDataset,
        pagesUnknownColumn, pagesEmptySlug, pagesDuplicateSlug, pagesMissingTemplate, figureSyntax, figure,
        figureUnknownColumn, figureDuplicate, claimContradicted, claimNotContradicted, claimSyntax, chart, chartMissingDataset, chartFolded,
        templateSyntax, templateMissing, templateMissingPartial, templateCycle, templateTooDeep, templateNoLang,
        taxonomyEmptySlug, taxonomyCollision, linkInvalid, linkMissingFile, linkMissingAnchor, linkMissingArticle,
        linkDraft, pageDuplicatePath, pageFileAndFolder, pageNameTooLong, pagePathTooLong, pageCaseOnly,
        outputDuplicatePath, outputFileAndFolder, outputOverlap, outputForeign, outputDanglingLink, outputWrite,
    ]
}
