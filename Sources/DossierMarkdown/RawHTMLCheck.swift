/// What raw HTML in Markdown (allowed by `markdown: unsafe_html: true`) may not hold, because it
/// would run script, send the reader elsewhere or change how the page's links resolve: Dossier's
/// pages carry no JavaScript. cmark-gfm's tagfilter already neutralises `<script>`, `<iframe>`,
/// `<style>`, `<textarea>`, `<title>`, `<noembed>`, `<plaintext>` and `<xmp>` when it writes
/// them; this finds the rest and reports each at its place.
enum RawHTMLCheck {
    /// Tags refused outright, with why.
    static let refusedTags: [String: String] = [
        "base": "<base> changes where every link of the page leads",
        "meta": "<meta> in an article can redirect the reader (http-equiv=refresh)",
        "object": "<object> embeds active content",
        "embed": "<embed> embeds active content",
        "applet": "<applet> embeds active content",
        "form": "<form> sends what a reader types elsewhere",
        "noscript": "<noscript> hides markup from the checks",
        "xmp": "<xmp> hides markup from the checks",
        "plaintext": "<plaintext> swallows the rest of the page",
        "script": "<script> runs script",
        "iframe": "<iframe> embeds another page",
        "frame": "<frame> embeds another page",
        "frameset": "<frameset> embeds other pages",
        "link": "<link> loads other resources",
    ]

    /// Attributes whose value is an address.
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "srcset", "cite",
        "longdesc", "usemap", "ping",
    ]

    /// The problems in one piece of raw HTML, each with its offset in `html` (in characters).
    static func problems(in html: String) -> [(offset: Int, message: String)] {
        var found: [(Int, String)] = []
        let chars = Array(html.unicodeScalars)
        var i = 0
        func lower(_ s: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(s)).lowercased() }
        while i < chars.count {
            guard chars[i] == "<" else {
                i += 1
                continue
            }
            let start = i
            i += 1
            if i < chars.count, chars[i] == "/" || chars[i] == "!" || chars[i] == "?" {
                i += 1
                continue
            }
            var nameEnd = i
            while nameEnd < chars.count, chars[nameEnd].properties.isAlphabetic || ("0"..."9").contains(chars[nameEnd]) {
                nameEnd += 1
            }
            guard nameEnd > i else { continue }
            let name = lower(chars[i..<nameEnd])
            if let why = refusedTags[name] {
                found.append((start, "raw HTML: \(why)"))
            }
            // Attributes up to the closing `>`.
            i = nameEnd
            while i < chars.count, chars[i] != ">" {
                while i < chars.count, chars[i].properties.isWhitespace || chars[i] == "/" { i += 1 }
                let attrStart = i
                while i < chars.count, !chars[i].properties.isWhitespace, chars[i] != "=", chars[i] != ">",
                    chars[i] != "/"
                {
                    i += 1
                }
                let attribute = lower(chars[attrStart..<i])
                while i < chars.count, chars[i].properties.isWhitespace { i += 1 }
                var value = ""
                if i < chars.count, chars[i] == "=" {
                    i += 1
                    while i < chars.count, chars[i].properties.isWhitespace { i += 1 }
                    if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                        let quote = chars[i]
                        i += 1
                        let valueStart = i
                        while i < chars.count, chars[i] != quote { i += 1 }
                        value = String(String.UnicodeScalarView(chars[valueStart..<min(i, chars.count)]))
                        i += 1
                    } else {
                        let valueStart = i
                        while i < chars.count, !chars[i].properties.isWhitespace, chars[i] != ">" { i += 1 }
                        value = String(String.UnicodeScalarView(chars[valueStart..<i]))
                    }
                }
                if attribute.isEmpty {
                    if i < chars.count, chars[i] != ">" { i += 1 }
                    continue
                }
                if attribute.hasPrefix("on") && attribute.count > 2 {
                    found.append((attrStart, "raw HTML: the event handler \(attribute)= runs script"))
                } else if urlAttributes.contains(attribute) || attribute == "style" {
                    if let scheme = scriptScheme(in: value) {
                        found.append((attrStart, "raw HTML: \(attribute)= holds a \(scheme): address, which runs script"))
                    }
                }
            }
            i += 1
        }
        return found
    }

    /// `javascript`, `vbscript` or `data` when `value` holds such an address, however it is
    /// spelt (`JaVa\tScript:`, entities for the letters are not decoded: they are refused too).
    static func scriptScheme(in value: String) -> String? {
        let squeezed = String(
            String.UnicodeScalarView(
                value.unicodeScalars.filter { !$0.properties.isWhitespace && $0.value >= 0x20 })
        ).lowercased()
        for scheme in ["javascript", "vbscript", "data"] where squeezed.contains(scheme + ":") {
            if scheme == "data" && isPlainImage(squeezed) { continue }
            return scheme
        }
        if squeezed.contains("&#") && squeezed.contains(":") { return "encoded" }
        return nil
    }

    /// A Markdown link or image address that would run script: `[x](javascript:…)`.
    static func linkProblem(_ url: String) -> String? {
        let squeezed = url.unicodeScalars.filter { !$0.properties.isWhitespace && $0.value >= 0x20 }
        let text = String(String.UnicodeScalarView(squeezed)).lowercased()
        for scheme in ["javascript", "vbscript", "data"] where text.hasPrefix(scheme + ":") {
            if scheme == "data" && isPlainImage(text) { continue }
            return "link to a \(scheme): address, which runs script"
        }
        return nil
    }

    /// A `data:` address of a bitmap image, which cannot run script (SVG can).
    static func isPlainImage(_ text: String) -> Bool {
        guard let range = text.range(of: "data:") else { return false }
        let rest = text[range.upperBound...]
        return ["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"].contains { rest.hasPrefix($0) }
            && !text[..<range.lowerBound].contains(":")
    }
}
