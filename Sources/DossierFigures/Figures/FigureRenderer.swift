import Foundation

/// Computes the figures of every article and writes each as HTML: the value, linked to its
/// dataset on the data-and-sources page, with the formula in a `title`.
package struct FigureRenderer: @unchecked Sendable {
    let config: SiteConfig
    let datasets: [Dataset]
    let named: [String: FigureExpression]
    let dataPage: Bool

    package init(config: SiteConfig, datasets: [Dataset], named: [String: FigureExpression], dataPage: Bool) {
        self.config = config
        self.datasets = datasets
        self.named = named
        self.dataPage = dataPage
    }

    package struct Result: Sendable {
        var replacements: [String] = []
        package var problems: [Diagnostic] = []
        package var reports: [FigureReport] = []
    }

    /// `evaluator` computes the figures; one shared with the chart stage computes each named
    /// figure once per build.
    package func render(_ articles: [Article], uses: [[FigureUse]], evaluator shared: FigureEvaluator? = nil) -> [Result] {
        let evaluator =
            shared
            ?? FigureEvaluator(datasets: Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, $0) }), named: named)
        return zip(articles, uses).map { article, uses in
            let format = config.format(for: article.lang)
            var result = Result()
            let root = PagePath.root(forPage: PagePath.of(article))
            for use in uses {
                let location = SourceLocation(
                    path: article.sourcePath, line: article.bodyLine + use.line - 1, column: use.column)
                do throws(LocalError) {
                    let expression: FigureExpression
                    do throws(LocalError) {
                        expression = try FigureParser.parse(use.expression)
                    } catch {
                        throw LocalError(
                            column: use.expressionColumn + (error.column ?? 1) - 1, error.message, hint: error.hint)
                    }
                    let value: FigureValue
                    do throws(LocalError) {
                        value = try evaluator.evaluate(expression)
                    } catch {
                        // Columns inside the expression count from where it starts in the line.
                        throw LocalError(
                            column: use.expressionColumn + (error.column ?? 1) - 1, error.message, hint: error.hint)
                    }
                    var exact =
                        format.apply(
                            format.defaultTransform(unit: value.unit, columnName: value.column), to: value.value,
                            unit: value.unit, decimals: value.decimals) ?? DecimalText.plain(value.value)
                    if value.unit == nil, NumberFormat.round(value.value, places: 0) != value.value {
                        exact = format.trimmed(value.value, places: 4)
                    }
                    // Shares and changes read as per cent; text results as themselves.
                    if value.isFraction { exact = format.trimmed(value.value * 100, places: 2) + "%" }
                    if let text = value.text { exact = text }
                    // The formula, with named figures spelled out, and the files it reads.
                    var formula = use.expression
                    if case .name(let name) = expression, let definition = named[name] { formula += " = \(definition)" }
                    let files = value.sources.map { name in datasets.first { $0.name == name }?.path ?? name }
                    var title =
                        "\(formula) = \(exact)"
                        + (files.isEmpty ? "" : format.words.text("figure_from", ["files": files.joined(separator: ", ")]))
                    if !value.notes.isEmpty {
                        title += "; " + value.citedNotes.map { FigureRenderer.note($0, in: format) }.joined(separator: "; ")
                    }
                    switch use.kind {
                    case .computed(let transform):
                        if let transform, let mismatch = NumberFormat.currencyMismatch(transform, unit: value.unit) {
                            throw LocalError(
                                column: use.expressionColumn, mismatch,
                                hint: "use money, money_short or money_words, which follow the value's currency")
                        }
                        if value.text != nil, let transform {
                            throw LocalError(
                                column: use.expressionColumn, "the figure is text ('\(value.text!)'); '\(transform)' formats numbers",
                                hint: "leave out the transform")
                        }
                        let shown = transform.flatMap { format.apply($0, to: value.value, unit: value.unit, decimals: value.decimals) } ?? exact
                        let text = SVG.escape(shown)
                        if dataPage, let source = value.sources.first {
                            result.replacements.append(
                                "<a class=\"figure\" href=\"\(root)data/index.html#source-\(SVG.escape(source))\" title=\"\(SVG.escape(title))\">\(text)</a>"
                            )
                        } else {
                            result.replacements.append(
                                "<span class=\"figure\" title=\"\(SVG.escape(title))\">\(text)</span>")
                        }
                        result.reports.append(
                            FigureReport(
                                location: location, formula: use.expression, value: shown, sources: value.sources,
                                typed: nil, matches: true, notes: value.citedNotes))
                    case .claim(let typed, let tolerance, let disputed):
                        // What contradicts the claim, if anything: a claim on text (a name)
                        // compares exactly, spaces at the ends aside; one on a number goes
                        // through its typed quantity.
                        let contradiction: LocalError?
                        if let text = value.text {
                            contradiction =
                                typed.trimmingCharacters(in: .whitespaces) == text
                                ? nil
                                : LocalError(
                                    column: use.column, "claim '\(typed)' does not match \(use.expression) = '\(exact)'",
                                    hint: "a claim on text matches exactly")
                        } else {
                            guard let claimed = TypedQuantity(typed, decimalSeparator: format.decimalSeparator) else {
                                throw LocalError(column: use.column, "claim '\(typed)' has no number in it", code: .claimSyntax)
                            }
                            if case .failure(let failure) = claimed.check(value.value, unit: value.unit, tolerance: tolerance) {
                                contradiction = claimFailure(
                                    typed, claimed, value, exact: exact, use: use, tolerance: tolerance, failure: failure,
                                    format: format)
                            } else {
                                contradiction = nil
                            }
                        }
                        let matches = contradiction == nil
                        let verdict = disputed ? "contradicted by the data: " : "checked: "
                        result.replacements.append(
                            "<span class=\"claim\(disputed ? " disputed" : "")\" title=\"\(SVG.escape(verdict + title))\">\(SVG.escape(typed))</span>"
                        )
                        result.reports.append(
                            FigureReport(
                                location: location, formula: use.expression, value: exact, sources: value.sources,
                                typed: typed, matches: matches, notes: value.citedNotes, disputed: disputed))
                        if disputed, matches {
                            throw LocalError(
                                column: use.column,
                                "claim '\(typed)' is marked as contradicted (≠), but \(use.expression) = \(exact) bears it out",
                                hint: "the data changed or the claim is right after all: write ≈ instead of ≠",
                                code: .claimNotContradicted)
                        }
                        if !disputed, var problem = contradiction {
                            problem.code = .claimContradicted
                            throw problem
                        }
                    }
                } catch {
                    result.replacements.append(SVG.escape(use.expression))
                    var diagnostic = Diagnostic(
                        SourceLocation(path: location.path, line: location.line, column: error.column ?? use.column),
                        error.message, hint: error.hint, code: error.code ?? .figure)
                    if case .claim = use.kind, error.code?.family != "claim" {
                        diagnostic.message = "figure: " + diagnostic.message
                    } else if case .computed = use.kind {
                        diagnostic.message = "figure: " + diagnostic.message
                    }
                    result.problems.append(diagnostic)
                }
            }
            return result
        }
    }

    /// Why a claim fails, with both values and, when a power of 1,000 would make it match, a
    /// hint that a scale word is missing.
    private func claimFailure(
        _ typed: String, _ claimed: TypedQuantity, _ value: FigureValue, exact: String, use: FigureUse,
        tolerance: Decimal, failure: LocalError, format: NumberFormat
    ) -> LocalError {
        if claimed.unit != nil, claimed.unit != "%", claimed.unit != value.unit {
            return LocalError(
                column: use.column, "claim '\(typed)' does not match \(use.expression) = \(exact): \(failure.message)",
                hint: failure.hint)
        }
        switch claimed.bound {
        case .over, .under:
            let limit =
                format.apply(format.defaultTransform(unit: value.unit), to: claimed.value, unit: value.unit)
                ?? DecimalText.plain(claimed.value)
            return LocalError(
                column: use.column,
                "claim '\(typed)' says \(claimed.bound == .over ? "more" : "less") than \(limit), but \(use.expression) = \(exact)",
                hint: value.notes.first { $0.hasPrefix("converted") }.map { "the figure was \($0)" }
                    ?? "correct the text or the data")
        case .about:
            var compared = claimed.value
            if claimed.unit == "%", value.unit != "%" { compared /= 100 }
            let off =
                value.value == 0
                ? ""
                : " (off by \(format.fixed(NumberFormat.round(abs((compared - value.value) / value.value) * 100, places: 1), places: 1))%)"
            var hint = "the tolerance is \(format.fixed(tolerance * 100, places: 1))%; correct the text or the data"
            for power in [-3, 3, -6, 6, -9, 9]
            where FigureRenderer.within(compared * pow(10, power), value.value, tolerance: tolerance) {
                let word = [3: "thousand", 6: "million", 9: "billion"][abs(power)]!
                hint =
                    power > 0
                    ? "this looks like a unit slip: '\(typed)' is \(word)s of times too small; is '\(word)' missing?"
                    : "this looks like a unit slip: '\(typed)' is \(word)s of times too large"
                break
            }
            return LocalError(
                column: use.column, "claim '\(typed)' does not match \(use.expression) = \(exact)\(off)", hint: hint)
        }
    }

    /// Puts an article's computed figures into its HTML in place of the placeholders.
    package static func apply(_ result: Result, to rendered: inout RenderedMarkdown) {
        guard !result.replacements.isEmpty else { return }
        for (n, html) in result.replacements.enumerated() {
            rendered.html = rendered.html.replacingOccurrences(of: FigureStage.placeholder(n), with: html)
        }
        // What the figures came to is part of the page: a changed dataset changes them.
        var hasher = Hasher()
        hasher.combine(rendered.signature)
        hasher.combine(result.replacements)
        rendered.signature = hasher.finalize()
    }

    static func within(_ claimed: Decimal, _ actual: Decimal, tolerance: Decimal) -> Bool {
        if actual == 0 { return claimed == 0 }
        let difference = abs(claimed - actual) / abs(actual)
        return difference <= tolerance
    }

    /// A figure's note as its page's language says it. The notes are written in English by the
    /// evaluator in three shapes (a row source, a rate, a conversion at a rate: see ``Rates``);
    /// `dossier check --figures` prints them as they are, and a page in another language gets
    /// them in its words (`note_source`, `rate_statement`, `note_converted`, `note_more_sources`).
    static func note(_ note: String, in format: NumberFormat) -> String {
        guard format.words.language.prefix(2) != "en" else { return note }
        let words = format.words
        if note.hasPrefix("source: ") { return words.text("note_source", ["source": String(note.dropFirst(8))]) }
        var text = note
        var converted = false
        if text.hasPrefix("converted at ") {
            converted = true
            text = String(text.dropFirst("converted at ".count))
        }
        // `387.17 tenge to the dollar, the rate of 2019-06-03 (source: …)`
        let pattern = #"^([0-9.]+) tenge to the dollar, the rate of ([0-9-]+)(?: \(source: (.*)\))?$"#
        if let match = text.range(of: pattern, options: .regularExpression), match == text.startIndex..<text.endIndex {
            let regex = try! NSRegularExpression(pattern: pattern)
            let ns = text as NSString
            guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return note }
            func group(_ i: Int) -> String? { m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i)) }
            var number = group(1) ?? ""
            if format.decimalSeparator != "." { number = number.replacingOccurrences(of: ".", with: format.decimalSeparator) }
            var statement = words.text("rate_statement", ["value": number, "date": group(2) ?? ""])
            if let source = group(3) { statement += words.text("rate_source", ["source": source]) }
            return converted ? words.text("note_converted", ["rate": statement]) : statement
        }
        if let more = note.range(of: #"^and [0-9]+ more sources, listed on the data page$"#, options: .regularExpression),
            more.lowerBound == note.startIndex
        {
            let n = Int(note.dropFirst(4).prefix { $0.isNumber }) ?? 0
            return words.count("note_more_sources", n, number: format.grouped(Decimal(n)))
        }
        return note
    }
}
