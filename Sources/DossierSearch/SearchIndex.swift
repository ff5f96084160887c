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
    /// HTML read as text of weight 1 (tags left out): an article's body.
    public var html: String = ""

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
        var table = TermTable()
        table.add(document)
        return Dictionary(uniqueKeysWithValues: table.finishDocument().map { (table.terms[Int($0.0)], $0.1) })
    }

    /// The files of the index, by path under the output folder, sorted.
    public static func files(_ documents: [SearchDocument]) -> [(path: String, text: String)] {
        SearchState(documents).files
    }

    /// Each document's (term number, score) pairs, read on all cores, and the terms by number.
    static func read(_ documents: [SearchDocument]) -> (terms: [String], pairs: [[(Int32, Int32)]]) {
        // Documents in runs, each run on one core with its own table of terms.
        let runLength = max(64, documents.count / (8 * max(1, ProcessInfo.processInfo.activeProcessorCount)) + 1)
        let runs = stride(from: 0, to: documents.count, by: runLength).map { $0..<min(documents.count, $0 + runLength) }
        let read = parallelMap(runs) { run -> (terms: [String], pairs: [[(Int32, Int32)]]) in
            var table = TermTable()
            var pairs: [[(Int32, Int32)]] = []
            pairs.reserveCapacity(run.count)
            for page in run {
                table.add(documents[page])
                pairs.append(table.finishDocument())
            }
            return (table.terms, pairs)
        }
        // One number per term across runs.
        var numbers: [String: Int32] = [:]
        var terms: [String] = []
        var pairs: [[(Int32, Int32)]] = []
        pairs.reserveCapacity(documents.count)
        for run in read {
            let local = run.terms.map { term -> Int32 in
                if let number = numbers[term] { return number }
                numbers[term] = Int32(terms.count)
                terms.append(term)
                return Int32(terms.count - 1)
            }
            for document in run.pairs { pairs.append(document.map { (local[Int($0.0)], $0.1) }) }
        }
        return (terms, pairs)
    }

    /// A term's entry in its shard: `"term":[[page,score],…]`, the best `postingsPerTerm` of its
    /// sorted keys.
    static func fragment(_ term: String, _ keys: [UInt64]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(16 + 12 * min(keys.count, postingsPerTerm))
        appendJSON(term, to: &text)
        text.append(contentsOf: ":[".utf8)
        for (k, key) in keys.prefix(postingsPerTerm).enumerated() {
            if k > 0 { text.append(UInt8(ascii: ",")) }
            text.append(UInt8(ascii: "["))
            Bytes.appendDecimal(key & 0xFFFF_FFFF, to: &text)
            text.append(UInt8(ascii: ","))
            Bytes.appendDecimal(UInt64(UInt32.max - UInt32(key >> 32)), to: &text)
            text.append(UInt8(ascii: "]"))
        }
        text.append(UInt8(ascii: "]"))
        return text
    }

    /// A posting's sort key: best score first, then the first page.
    static func key(page: Int, score: Int32) -> UInt64 { UInt64(UInt32.max - UInt32(score)) << 32 | UInt64(page) }

    /// Chunk `n` of the pages' data.
    static func chunkFile(_ documents: [SearchDocument], _ n: Int) -> (String, String) {
        let part = documents[(n * chunk)..<min(documents.count, (n + 1) * chunk)]
        var text: [UInt8] = [UInt8(ascii: "[")]
        for (i, d) in part.enumerated() {
            if i > 0 { text.append(contentsOf: ",\n".utf8) }
            for (f, field) in [d.url, d.title, d.section, d.language, d.excerpt, d.totals].enumerated() {
                text.append(UInt8(ascii: f == 0 ? "[" : ","))
                appendJSON(field, to: &text)
            }
            text.append(UInt8(ascii: "]"))
        }
        text.append(contentsOf: "]\n".utf8)
        return ("search/pages/\(n).json", String(decoding: text, as: UTF8.self))
    }

    /// `search/index.json`.
    static func indexFile(_ documents: [SearchDocument], shards: [String]) -> (String, String) {
        let shardNames = shards.sorted()
        let sections = Array(Set(documents.map(\.section))).sorted()
        let languages = Array(Set(documents.map(\.language))).sorted()
        let index =
            "{\"format\":\(format),\"pages\":\(documents.count),\"chunk\":\(chunk),\"cap\":\(postingsPerTerm),\"shards\":["
            + shardNames.map(json).joined(separator: ",") + "],\"sections\":[" + sections.map(json).joined(separator: ",")
            + "],\"languages\":[" + languages.map(json).joined(separator: ",") + "]}\n"
        return ("search/index.json", index)
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func json(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendJSON(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``json(_:)`` into bytes: text with nothing to escape (nearly all) is copied whole.
    static func appendJSON(_ text: String, to bytes: inout [UInt8]) {
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0xE2 }
        bytes.append(0x22)
        if plain {
            bytes.append(contentsOf: text.utf8)
        } else {
            bytes.append(contentsOf: escaped(text).utf8)
        }
        bytes.append(0x22)
    }

    /// The inside of a JSON string, escaped scalar by scalar.
    private static func escaped(_ text: String) -> String {
        var out = ""
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
        return out
    }

    /// Text of HTML for the index: tags left out, a few entities read, spaces squeezed; byte by
    /// byte (Foundation's search and replace over every article was most of the index's time).
    /// With `limit`, stops after about that many bytes of text.
    public static func plainText(_ html: String, limit: Int = .max) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, html.utf8.count))
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
        while i < bytes.count && out.count < limit {
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
