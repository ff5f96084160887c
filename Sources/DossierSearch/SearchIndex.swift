import Foundation

/// One page as the search index knows it.
public struct SearchDocument: @unchecked Sendable {
    public var url: String
    public var title: String
    /// `Articles`, or the listing title of pages made from data (`Contractors`).
    public var section: String
    public var language: String
    /// A short text shown under the title in results.
    public var excerpt: String
    /// Totals of a page made from data (`12 lots · 155,854,000 ₸`), already formatted.
    public var totals: String
    /// Text by weight: the title and key count most, then headings and tags, then prose.
    public var fields: [(text: String, weight: Int)]
    /// Identifies what the fields were made from (0: unknown), for a cache of their terms.
    public var signature: Int = 0

    public init(
        url: String, title: String, section: String, language: String, excerpt: String, totals: String = "",
        fields: [(text: String, weight: Int)]
    ) {
        self.url = url
        self.title = title
        self.section = section
        self.language = language
        self.excerpt = excerpt
        self.totals = totals
        self.fields = fields
    }
}

/// The index the build writes under `search/`, sharded by the first two characters of each
/// term so that a query loads only the shards of its words (Pagefind's design):
///
/// - `search/index.json`: the format, the page count, the size of a page chunk, every shard's
///   file name, the sections and the languages;
/// - `search/terms/HEX.json`: for each term of the shard, its pages and scores, best first:
///   `{"term": [[page, score], …]}`;
/// - `search/pages/N.json`: chunk N of the pages: `[url, title, section, language, excerpt,
///   totals]` each, so that a result loads only the chunk that holds it.
///
/// Every file is written with sorted keys and fixed number formats: the same pages give the same
/// bytes.
public enum SearchIndex {
    public static let format = 1
    /// Pages per chunk of metadata.
    public static let chunk = 50
    /// At most this many pages per term (the best scores): a word on every page says nothing.
    public static let postingsPerTerm = 1_000

    /// A document's terms with their scores: what the index adds up per page.
    public static func terms(of document: SearchDocument) -> [String: Int32] {
        var scores: [String: Int32] = [:]
        for (text, weight) in document.fields {
            SearchText.fastTerms(text) { scores[$0, default: 0] += Int32(weight) }
        }
        return scores
    }

    /// The files of the index, by path under the output folder. `terms` gives each document's
    /// terms (``terms(of:)``, or a cache of it: the editing loop tokenizes only what changed).
    public static func files(
        _ documents: [SearchDocument], terms: @escaping @Sendable (Int, SearchDocument) -> [String: Int32] = { terms(of: $1) }
    ) -> [(path: String, text: String)] {
        // Each document's terms on all cores, then term → page → score.
        let perDocument = parallelMap(Array(documents.indices)) { terms($0, documents[$0]) }
        var postings: [String: [Int32: Int32]] = [:]
        for (page, scores) in perDocument.enumerated() {
            for (term, score) in scores { postings[term, default: [:]][Int32(page)] = score }
        }
        var shards: [String: [(String, [(Int32, Int32)])]] = [:]
        for (term, pages) in postings {
            let best = pages.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(postingsPerTerm)
            shards[SearchText.shard(of: term), default: []].append((term, best.map { ($0.key, $0.value) }))
        }
        var files: [(String, String)] = []
        for (shard, terms) in shards {
            var text = "{"
            for (n, (term, pages)) in terms.sorted(by: { $0.0 < $1.0 }).enumerated() {
                text += (n == 0 ? "" : ",") + json(term) + ":["
                text += pages.map { "[\($0.0),\($0.1)]" }.joined(separator: ",")
                text += "]"
            }
            text += "}\n"
            files.append(("search/terms/\(SearchText.fileName(ofShard: shard)).json", text))
        }
        for start in stride(from: 0, to: documents.count, by: chunk) {
            let part = documents[start..<min(documents.count, start + chunk)]
            let rows = part.map { d in
                "[" + [d.url, d.title, d.section, d.language, d.excerpt, d.totals].map(json).joined(separator: ",") + "]"
            }
            files.append(("search/pages/\(start / chunk).json", "[" + rows.joined(separator: ",\n") + "]\n"))
        }
        let shardNames = shards.keys.map { SearchText.fileName(ofShard: $0) }.sorted()
        let sections = Array(Set(documents.map(\.section))).sorted()
        let languages = Array(Set(documents.map(\.language))).sorted()
        let index =
            "{\"format\":\(format),\"pages\":\(documents.count),\"chunk\":\(chunk),\"cap\":\(postingsPerTerm),\"shards\":[" + shardNames.map(json).joined(separator: ",")
            + "],\"sections\":[" + sections.map(json).joined(separator: ",") + "],\"languages\":["
            + languages.map(json).joined(separator: ",") + "]}\n"
        files.append(("search/index.json", index))
        files.append(("search/search.js", script))
        return files.sorted { $0.0 < $1.0 }
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text of HTML for the index: tags left out, a few entities read, spaces squeezed; byte by
    /// byte (Foundation's search and replace over every article was most of the index's time).
    public static func plainText(_ html: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(html.utf8.count)
        var inTag = false
        var space = false
        let bytes = Array(html.utf8)
        var i = 0
        func put(_ byte: UInt8) {
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                space = !out.isEmpty
                return
            }
            if space { out.append(0x20); space = false }
            out.append(byte)
        }
        let entities: [([UInt8], UInt8)] = [
            (Array("&amp;".utf8), 0x26), (Array("&lt;".utf8), 0x3C), (Array("&gt;".utf8), 0x3E),
            (Array("&quot;".utf8), 0x22), (Array("&#39;".utf8), 0x27), (Array("&nbsp;".utf8), 0x20),
        ]
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x3C { inTag = true; space = !out.isEmpty; i += 1; continue }
            if byte == 0x3E, inTag { inTag = false; i += 1; continue }
            if inTag { i += 1; continue }
            if byte == 0x26, let (entity, value) = entities.first(where: { entity, _ in
                i + entity.count <= bytes.count && bytes[i..<(i + entity.count)].elementsEqual(entity)
            }) {
                put(value)
                i += entity.count
                continue
            }
            put(byte)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
