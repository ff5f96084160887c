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
        var table = TermTable()
        table.add(document)
        return Dictionary(uniqueKeysWithValues: table.finishDocument().map { (table.terms[Int($0.0)], $0.1) })
    }

    /// The files of the index, by path under the output folder. `known` gives the terms of a
    /// document already indexed (serve's cache: the editing loop tokenizes only what changed),
    /// `remember` is told the terms of each document read anew.
    public static func files(
        _ documents: [SearchDocument],
        known: @escaping @Sendable (Int, SearchDocument) -> [String: Int32]? = { _, _ in nil },
        remember: (@Sendable (Int, SearchDocument, [String: Int32]) -> Void)? = nil
    ) -> [(path: String, text: String)] {
        // Documents in runs, each run on one core with its own table of terms.
        let runLength = max(64, documents.count / (8 * max(1, ProcessInfo.processInfo.activeProcessorCount)) + 1)
        let runs = stride(from: 0, to: documents.count, by: runLength).map { $0..<min(documents.count, $0 + runLength) }
        let read = parallelMap(runs) { run -> (terms: [String], pairs: [[(Int32, Int32)]]) in
            var table = TermTable()
            var pairs: [[(Int32, Int32)]] = []
            pairs.reserveCapacity(run.count)
            for page in run {
                let document = documents[page]
                if let terms = known(page, document) {
                    for (term, score) in terms { table.add(number: table.number(of: term), weight: score) }
                    pairs.append(table.finishDocument())
                    continue
                }
                table.add(document)
                let found = table.finishDocument()
                if let remember {
                    remember(page, document, Dictionary(uniqueKeysWithValues: found.map { (table.terms[Int($0.0)], $0.1) }))
                }
                pairs.append(found)
            }
            return (table.terms, pairs)
        }
        // One number per term across runs, then each term's pages as (score, page) keys, in
        // page order.
        var numbers: [String: Int32] = [:]
        var terms: [String] = []
        let local = read.map { run in
            run.terms.map { term -> Int32 in
                if let number = numbers[term] { return number }
                numbers[term] = Int32(terms.count)
                terms.append(term)
                return Int32(terms.count - 1)
            }
        }
        var counts = [Int](repeating: 0, count: terms.count + 1)
        for (r, run) in read.enumerated() {
            for document in run.pairs { for (term, _) in document { counts[Int(local[r][Int(term)]) + 1] += 1 } }
        }
        for t in 0..<terms.count { counts[t + 1] += counts[t] }
        var fill = counts
        var keys = [UInt64](repeating: 0, count: counts[terms.count])
        var page: UInt64 = 0
        for (r, run) in read.enumerated() {
            for document in run.pairs {
                for (term, score) in document {
                    let t = Int(local[r][Int(term)])
                    // Best score first, then the first page.
                    keys[fill[t]] = UInt64(UInt32.max - UInt32(score)) << 32 | page
                    fill[t] += 1
                }
                page += 1
            }
        }
        var shards: [String: [Int]] = [:]
        for t in terms.indices { shards[SearchText.shard(of: terms[t]), default: []].append(t) }
        var files: [(String, String)] = []
        var text: [UInt8] = []
        for (shard, members) in shards {
            text.removeAll(keepingCapacity: true)
            text.append(UInt8(ascii: "{"))
            for (n, t) in members.sorted(by: { terms[$0] < terms[$1] }).enumerated() {
                if n > 0 { text.append(UInt8(ascii: ",")) }
                appendJSON(terms[t], to: &text)
                text.append(contentsOf: ":[".utf8)
                keys[counts[t]..<counts[t + 1]].sort()
                for (k, key) in keys[counts[t]..<min(counts[t + 1], counts[t] + postingsPerTerm)].enumerated() {
                    if k > 0 { text.append(UInt8(ascii: ",")) }
                    text.append(UInt8(ascii: "["))
                    appendDecimal(key & 0xFFFF_FFFF, to: &text)
                    text.append(UInt8(ascii: ","))
                    appendDecimal(UInt64(UInt32.max - UInt32(key >> 32)), to: &text)
                    text.append(UInt8(ascii: "]"))
                }
                text.append(UInt8(ascii: "]"))
            }
            text.append(contentsOf: "}\n".utf8)
            files.append(("search/terms/\(SearchText.fileName(ofShard: shard)).json", String(decoding: text, as: UTF8.self)))
        }
        for start in stride(from: 0, to: documents.count, by: chunk) {
            let part = documents[start..<min(documents.count, start + chunk)]
            text.removeAll(keepingCapacity: true)
            text.append(UInt8(ascii: "["))
            for (n, d) in part.enumerated() {
                if n > 0 { text.append(contentsOf: ",\n".utf8) }
                for (f, field) in [d.url, d.title, d.section, d.language, d.excerpt, d.totals].enumerated() {
                    text.append(UInt8(ascii: f == 0 ? "[" : ","))
                    appendJSON(field, to: &text)
                }
                text.append(UInt8(ascii: "]"))
            }
            text.append(contentsOf: "]\n".utf8)
            files.append(("search/pages/\(start / chunk).json", String(decoding: text, as: UTF8.self)))
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

    /// `value` in decimal digits.
    private static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        let start = bytes.count
        repeat {
            bytes.append(0x30 + UInt8(value % 10))
            value /= 10
        } while value > 0
        bytes[start...].reverse()
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
