import Foundation
import Testing

@testable import DossierCore
@testable import DossierFormat
@testable import DossierProject
@testable import DossierContent
@testable import DossierSearch
@testable import DossierSite

/// The search index: words folded and stemmed, the sharded files, what a build indexes, and the
/// script the search page loads.
@Suite struct SearchTests {
    @Test func wordsAreFoldedAndStemmed() {
        #expect(SearchText.words("Private fund \"KAZANAT-MIRAS\", 2017") == ["private", "fund", "kazanat", "miras", "2017"])
        #expect(SearchText.words("Ní Aoláin — ёлка, йогурт") == ["ni", "aolain", "елка", "иогурт"])
        #expect(SearchText.words("Қазақстан Республикасы") == ["қазақстан", "республикасы"])
        #expect(SearchText.stem("suppliers") == "supplier")
        #expect(SearchText.stem("supplies") == "supply")
        #expect(SearchText.stem("business") == "business")
        #expect(SearchText.stem("tenders") == "tender")
        #expect(SearchText.stem("bus") == "bus")
        #expect(SearchText.stem("закупки") == SearchText.stem("закупка"))
        #expect(SearchText.stem("закупками") == SearchText.stem("закупка"))
        #expect(SearchText.stem("министерства") == SearchText.stem("министерство"))
        #expect(SearchText.stem("мир") == "мир")
        #expect(SearchText.shard(of: "kazanat") == SearchText.shard(of: "ka"))
        #expect(SearchText.shard(of: "kazanat").count == 3)
        #expect(SearchText.shard(of: "закупки") == SearchText.shard(of: "за"))
    }

    @Test func theIndexIsShardedRankedAndTheSameBytesEveryTime() throws {
        let documents = [
            SearchDocument(
                url: "a/index.html", title: "Tenders of the akimat", section: "Articles", language: "en",
                excerpt: "About \"tenders\"", fields: [("Tenders of the akimat", 10), ("tender tender text", 1)]),
            SearchDocument(
                url: "b/index.html", title: "Another", section: "Contractors", language: "en", excerpt: "",
                totals: "3 rows", fields: [("Another", 10), ("a tender", 3)]),
        ]
        let files = SearchIndex.files(documents)
        #expect(files.map(\.path) == SearchIndex.files(documents).map(\.path))
        #expect(files.map(\.text) == SearchIndex.files(documents).map(\.text))
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.text) })
        let shard = try #require(byPath["search/terms/\(SearchText.shard(of: "te")).json"])
        // "tender": page 0 has it in its title (10) and twice in its text (2); page 1 once at 3.
        #expect(shard.contains("\"tender\":[[0,12],[1,3]]"))
        #expect(byPath["search/pages/0.json"]?.contains("[\"a/index.html\",\"Tenders of the akimat\",\"Articles\",\"en\",\"About \\\"tenders\\\"\",\"\"]") == true)
        #expect(byPath["search/index.json"]?.hasPrefix("{\"format\":1,\"pages\":2,\"chunk\":50,\"cap\":1000,\"shards\":[") == true)
        #expect(byPath["search/search.js"] == SearchIndex.script)
    }

    @Test func theEmbeddedScriptIsSearchJS() throws {
        let file = Fixtures.sampleSite.appendingPathComponent("Sources/DossierSearch/search.js")
        #expect(try String(contentsOf: file, encoding: .utf8) == SearchIndex.script, "run .ci/embed-search.py")
    }

    /// The script folds and stems as Swift does: checked with Node when the machine has it.
    @Test func theScriptStemsAsSwiftDoes() throws {
        guard let node = ["/usr/bin/node", "/usr/local/bin/node"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("SearchTests: node is absent, the script's stemming was not compared (skipped)")
            return
        }
        let samples = [
            "Suppliers supplies business tenders", "Закупки закупками министерства министерство", "Қазақстан бағдарламасы",
            "Ní Aoláin ёлка йогурт", "KAZANAT-MIRAS 2017",
            // Words past 40 bytes, in Latin and Cyrillic, and a run of Chinese with no spaces.
            String(repeating: "procurement", count: 6), String(repeating: "государственный", count: 3),
            "国家预算执行情况审计报告显示多个部门存在资金管理问题需要整改落实到位并追究相关责任人的责任",
        ]
        let script = SearchIndex.script
        let start = try #require(script.range(of: "  var RU = "))
        let end = try #require(script.range(of: "  function load(url)"))
        let functions = String(script[start.lowerBound..<end.lowerBound])
        let program =
            functions + "\nconst samples = " + "[" + samples.map { "\"\($0)\"" }.joined(separator: ",") + "];\n"
            + "console.log(JSON.stringify(samples.map(s => words(s).map(w => stem(clip(w))).map(t => t + ' ' + shardName(t)))));\n"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = ["-e", program]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fromScript = try JSONSerialization.jsonObject(with: data) as? [[String]]
        #expect(fromScript == samples.map { SearchText.terms($0).map { $0 + " " + SearchText.shard(of: $0) } })
    }

    @Test func theSampleWritesItsIndexAndOnlyTheSearchPageHasAScript() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        // An article that asks to be left out.
        let url = dir.path("Content/prevention.kk.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\ntags:", with: "\nsearch: false\ntags:").utf8).write(to: url)
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        func file(_ path: String) throws -> String {
            String(decoding: try #require(site.files.first { $0.path == path }).bytes, as: UTF8.self)
        }
        let index = try file("search/index.json")
        #expect(index.contains("\"sections\":[\"Articles\",\"Contractors\",\"Customers\",\"Статьи\"]"))
        #expect(index.contains("\"languages\":[\"en\",\"ru\"]"))
        let pages = try file("search/pages/0.json")
        #expect(pages.contains("\"contractors/private-fund-kazanat-miras/index.html\""))
        #expect(pages.contains("\"ru/tenders/index.html\""))
        #expect(!pages.contains("kk/prevention"))
        // A supplier's page is found by the lots' columns the site names (search: columns:).
        let shard = try file("search/terms/\(SearchText.shard(of: "me")).json")
        #expect(shard.contains("\"meeting\":["))
        let search = try file("search/index.html")
        #expect(search.contains("<script src=\"../search/search.js\" defer></script>"))
        for page in site.files where page.path.hasSuffix(".html") && page.path != "search/index.html" {
            #expect(!String(decoding: page.bytes, as: UTF8.self).contains("<script"), "\(page.path)")
        }
    }
}

extension SearchTests {
    /// The byte path gives the terms the general one gives, whatever the text mixes.
    @Test func theFastPathMakesTheSameTerms() {
        for text in [
            "Private fund \"KAZANAT-MIRAS\", 2017: suppliers' supplies", "a b-c  d\te\nBusiness 42x", "",
            "Закупки — “tenders”, ёлка and Ní Aoláin’s café; Қазақстан2019 xЖy", "AB\u{0301}C DÉF",
            String(repeating: "Abcdefghij", count: 6) + " " + String(repeating: "abcdefghij", count: 5) + "x Закупки закупки",
        ] {
            // Each text twice: the second time every stretch is found in the table.
            let document = SearchDocument(url: "", title: "", section: "", language: "", excerpt: "", fields: [(text, 2), (text, 3)])
            let general = Dictionary(SearchText.terms(text).map { ($0, Int32(5)) }, uniquingKeysWith: +)
            #expect(SearchIndex.terms(of: document) == general, "\(text)")
        }
    }
}

extension SearchTests {
    /// Serve's index brought up to date page by page gives the bytes a new index gives: a word
    /// taken out of one page, a word no page had, a page's title; and says when it cannot.
    @Test func anIndexUpdatedPageByPageIsTheIndexMadeAnew() throws {
        func document(_ n: Int, _ title: String, _ body: String) -> SearchDocument {
            var d = SearchDocument(
                url: "p\(n)/index.html", title: title, section: n < 60 ? "Articles" : "Suppliers", language: "en",
                excerpt: body, fields: [(title, 10)])
            d.html = "<p>" + body + "</p>"
            return d
        }
        let common = "budget akimat kazanat words here only retitled seventh zeal"
        var documents = (0..<120).map { document($0, "Page \($0)", "tender lot \($0) " + common) }
        documents[7] = document(7, "Seventh", "only-here zebra tender zeal")
        let state = SearchState(documents)
        #expect(state.files.map(\.path) == SearchIndex.files(documents).map(\.path))
        var changed = documents
        // "zebra" leaves its shard ("ze": "zeal" stays in it); "zero" and "tenor" are new.
        changed[7] = document(7, "Seventh, retitled", "zero tenor &amp; tender zeal")
        changed[0] = document(0, "Page 0", "tender lot 0 " + common + " zero")
        changed[90] = document(90, "Page 90", "tender lot 90 " + common)
        let files = try #require(state.update([changed[7], changed[0], changed[90]]))
        let fresh = SearchState(changed).files
        #expect(state.files.map(\.path) == fresh.map(\.path))
        #expect(state.files.map(\.text) == fresh.map(\.text))
        // Only what changed is handed back: chunk 0 (pages 0 and 7), the shards of the words
        // that came and went; not chunk 1 (page 90 read the same) nor untouched shards.
        let paths = Set(files.map(\.path))
        #expect(paths.contains("search/pages/0.json"))
        #expect(!paths.contains("search/pages/1.json"))
        #expect(paths.contains("search/terms/\(SearchText.shard(of: "te")).json"))
        #expect(paths.contains("search/terms/\(SearchText.shard(of: "ze")).json"))
        #expect(!paths.contains("search/terms/\(SearchText.shard(of: "ak")).json"))
        // A word in a shard no page had: the index must be made anew.
        #expect(state.update([document(3, "Page 3", "qqq")]) == nil)
        #expect(SearchState(changed).update([document(999, "Nowhere", "x")]) == nil)
    }
}

/// Shards are bounded whatever the script, and a word longer than the index keeps is found.
@Suite struct SearchBoundsTests {
    @Test func anArticleOfChineseTextMakesAtMostTheShardCount() throws {
        // 20,000 distinct characters' worth of text without spaces: each run of letters is a word.
        var rng = SplitMix64(seed: 7)
        var text = ""
        for _ in 0..<4000 {
            for _ in 0..<30 { text.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0x4E00...0x9FFF, using: &rng))!) }
            text += "。"
        }
        let document = SearchDocument(url: "a/", title: "审计", section: "Articles", language: "zh", excerpt: "", totals: "", fields: [(text, 1)])
        let files = SearchIndex.files([document])
        let shards = files.filter { $0.path.hasPrefix("search/terms/") }
        #expect(shards.count > 500)
        #expect(shards.count <= Int(SearchText.shardCount))
    }

    @Test func aLongWordIsFoundByTheTermItsQueryMakes() throws {
        let long = String(repeating: "antidisestablishment", count: 3) + "arianism"
        let document = SearchDocument(url: "a/", title: long, section: "Articles", language: "en", excerpt: "", totals: "", fields: [(long, 10)])
        let terms = SearchIndex.terms(of: document)
        // The script clips the query's word, then stems it, exactly as `terms` does.
        let query = SearchText.stem(SearchText.clip(SearchText.words(long)[0]))
        #expect(terms[query] != nil, "\(terms.keys)")
    }
}
