/// A per-row source (a dataset column with `role: source`): a URL, linked with its host and
/// path as the text, or a citation such as "Notice 123, p. 4", shown as written.
package enum SourceLink {
    package static func isURL(_ text: String) -> Bool {
        (text.hasPrefix("https://") || text.hasPrefix("http://")) && SafeURL.isAllowed(text)
    }

    /// `https://goszakup.gov.kz/ru/announce/1` → `goszakup.gov.kz/ru/announce/1`.
    package static func label(_ text: String) -> String {
        guard isURL(text) else { return text }
        var rest = Substring(text)
        rest = rest.dropFirst(rest.hasPrefix("https://") ? 8 : 7)
        if rest.hasPrefix("www.") { rest = rest.dropFirst(4) }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        return String(rest)
    }

    static func html(_ text: String) -> String {
        isURL(text) ? "<a href=\"\(SVG.escape(text))\">\(SVG.escape(label(text)))</a>" : SVG.escape(text)
    }
}
