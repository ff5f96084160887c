/// The index as `dossier serve` keeps it between builds: every page's terms, every term's pages,
/// and each term's entry in its shard already written, so that a saved article costs only the
/// terms it had and has (its old postings out, its new ones in) and the shards and page chunks
/// that hold them, not the whole index. `dossier build` makes one and keeps its files.
public final class SearchState: @unchecked Sendable {
    private var table: TermTable
    private var documents: [SearchDocument]
    /// Each page's (term number, score) pairs.
    private var pairs: [[(Int32, Int32)]]
    /// Each term's postings, every one (not only the best), as sorted ``SearchIndex/key(page:score:)``.
    private var postings: [[UInt64]]
    /// Each term's entry in its shard (``SearchIndex/fragment(_:_:)``).
    private var fragments: [[UInt8]]
    /// Each shard's terms, sorted.
    private var shards: [String: [Int32]] = [:]
    private var pageOf: [String: Int] = [:]
    /// Every file of the index by path.
    private var texts: [String: String] = [:]

    public init(_ documents: [SearchDocument]) {
        let (terms, pairs) = SearchIndex.read(documents)
        self.documents = documents
        self.pairs = pairs
        table = TermTable(terms: terms)
        var counts = [Int](repeating: 0, count: terms.count)
        for document in pairs { for (t, _) in document { counts[Int(t)] += 1 } }
        var unsorted = counts.map { n -> [UInt64] in
            var list: [UInt64] = []
            list.reserveCapacity(n)
            return list
        }
        for (page, document) in pairs.enumerated() {
            for (t, score) in document { unsorted[Int(t)].append(SearchIndex.key(page: page, score: score)) }
        }
        // Sorting and writing each term's entry on all cores: most of the work at 100,000 pages.
        let postings = unsorted
        let written = parallelMap(Array(terms.indices)) { t -> ([UInt64], [UInt8]) in
            let sorted = postings[t].sorted()
            return (sorted, SearchIndex.fragment(terms[t], sorted))
        }
        self.postings = written.map(\.0)
        fragments = written.map(\.1)
        for t in terms.indices { shards[SearchText.shard(of: terms[t]), default: []].append(Int32(t)) }
        for shard in shards.keys { shards[shard]!.sort { terms[Int($0)] < terms[Int($1)] } }
        for (page, document) in documents.enumerated() { pageOf[document.url] = page }
        let chunks = (documents.count + SearchIndex.chunk - 1) / SearchIndex.chunk
        let made =
            shards.keys.map(file(ofShard:)) + (0..<chunks).map { SearchIndex.chunkFile(documents, $0) }
            + [SearchIndex.indexFile(documents, shards: Array(shards.keys)), ("search/search.js", SearchIndex.script)]
        texts = Dictionary(uniqueKeysWithValues: made)
    }

    /// Every file of the index, sorted by path.
    public var files: [(path: String, text: String)] { texts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// The pages of the index by URL, in order.
    public var urls: [String] { documents.map(\.url) }

    /// A shard's file: its terms' entries, in order.
    private func file(ofShard shard: String) -> (String, String) {
        var text: [UInt8] = [UInt8(ascii: "{")]
        for (n, t) in shards[shard]!.enumerated() {
            if n > 0 { text.append(UInt8(ascii: ",")) }
            text.append(contentsOf: fragments[Int(t)])
        }
        text.append(contentsOf: "}\n".utf8)
        return ("search/terms/\(shard).json", String(decoding: text, as: UTF8.self))
    }

    /// Whether `document` would be read as the page it replaces was.
    private static func same(_ a: SearchDocument, _ b: SearchDocument) -> Bool {
        a.url == b.url && a.title == b.title && a.section == b.section && a.language == b.language && a.excerpt == b.excerpt
            && a.totals == b.totals && a.html == b.html && a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { $0.text == $1.text && $0.weight == $1.weight }
    }

    /// Takes in new versions of some pages (each by the URL it had): their old terms out, their
    /// new ones in. Returns the files whose text changed, or nil when the change needs the index
    /// made anew (a page not in it, or a shard that would appear or vanish); the state is then
    /// unusable.
    public func update(_ changed: [SearchDocument]) -> [(path: String, text: String)]? {
        var dirtyTerms: Set<Int32> = []
        var dirtyChunks: Set<Int> = []
        var metadata = false
        for document in changed {
            guard let page = pageOf[document.url] else { return nil }
            if SearchState.same(document, documents[page]) { continue }
            let old = documents[page]
            metadata = metadata || old.section != document.section || old.language != document.language
            for (t, _) in pairs[page] {
                postings[Int(t)].removeAll { Int($0 & 0xFFFF_FFFF) == page }
                dirtyTerms.insert(t)
            }
            let known = table.terms.count
            table.add(document)
            let found = table.finishDocument()
            for t in known..<table.terms.count {
                // A term no page had: into its shard, which must exist already.
                let term = table.terms[t]
                guard var members = shards[SearchText.shard(of: term)] else { return nil }
                let at = members.firstIndex { table.terms[Int($0)] > term } ?? members.count
                members.insert(Int32(t), at: at)
                shards[SearchText.shard(of: term)] = members
                postings.append([])
                fragments.append([])
            }
            for (t, score) in found {
                let key = SearchIndex.key(page: page, score: score)
                var list = postings[Int(t)]
                postings[Int(t)] = []
                var low = 0
                var high = list.count
                while low < high {
                    let mid = (low + high) / 2
                    if list[mid] < key { low = mid + 1 } else { high = mid }
                }
                list.insert(key, at: low)
                postings[Int(t)] = list
                dirtyTerms.insert(t)
            }
            pairs[page] = found
            documents[page] = document
            dirtyChunks.insert(page / SearchIndex.chunk)
        }
        var dirtyShards: Set<String> = []
        for t in dirtyTerms {
            let term = table.terms[Int(t)]
            let shard = SearchText.shard(of: term)
            if postings[Int(t)].isEmpty {
                // A term no page has any more leaves its shard, which must not become empty.
                shards[shard]!.removeAll { $0 == t }
                if shards[shard]!.isEmpty { return nil }
                fragments[Int(t)] = []
            } else {
                fragments[Int(t)] = SearchIndex.fragment(term, postings[Int(t)])
            }
            dirtyShards.insert(shard)
        }
        var out: [(String, String)] = []
        func put(_ file: (path: String, text: String)) {
            if texts[file.path] != file.text { out.append(file) }
            texts[file.path] = file.text
        }
        for shard in dirtyShards { put(file(ofShard: shard)) }
        for n in dirtyChunks { put(SearchIndex.chunkFile(documents, n)) }
        if metadata { put(SearchIndex.indexFile(documents, shards: Array(shards.keys))) }
        return out.sorted { $0.0 < $1.0 }
    }
}
