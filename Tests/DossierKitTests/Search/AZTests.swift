import Foundation
import Testing

@testable import DossierCore
@testable import DossierProject
@testable import DossierContent
@testable import DossierSite

/// A–Z pages (template `az`): every page made from data, by initial, for readers without
/// script or search; on a fixture with names in three scripts and on a real register.
@Suite struct AZTests {
    private func entity(_ title: String, _ n: Int) -> DataEntity {
        DataEntity(key: .text(title), slug: "e\(n)", title: title, rows: [n])
    }

    @Test func namesSortByInitialIgnoringCaseAndAccents() {
        let titles = [
            "Zeta LLP", "élan vital", "Ёлка ТОО", "Жетісу", "2GIS", "«Кітап» баспасы", "— dash first", "apple", "Élan Co",
            "Қазақ Газ", "100 Bridges", "ábc", "Ива", "…",
        ]
        let alphabet = Alphabet(titles.enumerated().map { entity($1, $0) })
        let ordered = alphabet.order.map { titles[$0] }
        #expect(
            ordered == [
                "100 Bridges", "2GIS", "ábc", "apple", "— dash first", "Élan Co", "élan vital", "Zeta LLP", "Ёлка ТОО",
                "Жетісу", "Ива", "«Кітап» баспасы", "Қазақ Газ", "…",
            ])
        #expect(alphabet.letters.map(\.label) == ["0–9", "A", "D", "E", "Z", "Е", "Ж", "И", "К", "Қ", "#"])
        #expect(alphabet.letters.map(\.anchor) == ["0-9", "a", "d", "e", "z", "u435", "u436", "u438", "u43a", "u49b", "other"])
        #expect(alphabet.letters.map(\.start) == [0, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13])
    }

    /// 1,203 suppliers: three A–Z pages in each of the sample's languages, every supplier on
    /// exactly one, each initial linked to the page and anchor where it begins (the build
    /// checks every link and anchor), a group carried over to the next page says so.
    @Test func aSiteWritesAZPagesThatListEveryNameOnce() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        var csv = "name,amount\n"
        var names: [String] = []
        for n in 0..<1_203 {
            let name = ["Alpha", "Beta", "Östra", "Жол", "9th"][n % 5] + " supplier \(n)"
            names.append(name)
            csv += "\(name),\(n)\n"
        }
        try dir.write("Data/suppliers.csv", csv)
        try dir.write("Data/suppliers.schema.yml", "columns:\n  amount: {type: integer}\n")
        try dir.write("Templates/supplier.mustache", "{{<layout}}{{$main}}<h1>{{entity.title}}</h1>{{/main}}{{/layout}}\n")
        try dir.write("Content/suppliers/_pages.yml", "data: suppliers\nkey: name\nlist_title: Suppliers\ntemplate: supplier\n")
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        func text(_ path: String) throws -> String {
            String(decoding: try #require(site.files.first { $0.path == path }, "\(path)").bytes, as: UTF8.self)
        }
        let pages = ["suppliers/a-z/index.html", "suppliers/a-z/2/index.html", "suppliers/a-z/3/index.html"]
        #expect(!site.files.contains { $0.path == "suppliers/a-z/4/index.html" })
        let listed = try pages.flatMap { AZTests.entries(try text($0)).map(\.title) }
        #expect(listed.count == 1_203)
        #expect(Set(listed) == Set(names))
        // Digits first, then A, B, O (Östra), then Cyrillic.
        #expect(listed.first?.hasPrefix("9th") == true)
        #expect(listed.last?.hasPrefix("Жол") == true)
        let first = try text(pages[0])
        #expect(first.contains("<h1>Suppliers: A–Z</h1>"))
        #expect(first.contains("<a href=\"#az-a\">A</a>"))
        #expect(first.contains("<a href=\"../../suppliers/a-z/2/index.html#az-u436\">Ж</a>"))
        // 240 names start with 9, 241 with A: B runs from the first page onto the second.
        let second = try text(pages[1])
        #expect(second.contains("<h2 id=\"az-b\">B <span class=\"meta\">(continued)</span></h2>"))
        #expect(second.contains("<h2 id=\"az-o\">O</h2>"))
        // The listing links its A–Z pages; the other languages have theirs, with their words.
        #expect(try text("suppliers/index.html").contains("<a href=\"../suppliers/a-z/index.html\">A–Z</a>"))
        #expect(try text("ru/suppliers/a-z/index.html").contains("<h1>Suppliers: А–Я</h1>"))
        // The search page, without script, links each initial of each section.
        #expect(try text("search/index.html").contains("<a href=\"../suppliers/a-z/2/index.html#az-o\">O</a>"))
    }

    /// A site without the `az` template has no A–Z pages and no links to them.
    @Test func noTemplateNoPages() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.sampleSite, to: dir.url)
        try FileManager.default.removeItem(at: dir.path("Templates/az.mustache"))
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        #expect(!site.files.contains { $0.path.contains("a-z/") })
        let listing = String(decoding: try #require(site.files.first { $0.path == "contractors/index.html" }).bytes, as: UTF8.self)
        #expect(!listing.contains("a-z"))
    }

    /// The City of Philadelphia's registers (../shared/data) as the example builds them: every
    /// vendor page on exactly one A–Z page, in alphabetical order within each initial.
    @Test(.enabled(if: PhiladelphiaTests.available, "../shared/data/philadelphia-contracts is absent: skipped"))
    func everyVendorOfARealRegisterIsListedOnce() throws {
        let dir = try PhiladelphiaTests().project()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Examples")
            .standardizedFileURL
        try FileManager.default.copyItem(at: root.appendingPathComponent("starter/Templates"), to: dir.path("Templates"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("philadelphia/Content"), to: dir.path("Content"))
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("philadelphia/Templates/entity.mustache"), to: dir.path("Templates/entity.mustache"),
            replacing: true)
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        let vendors = Set(
            site.files.map(\.path).filter {
                $0.hasPrefix("vendors/") && $0.hasSuffix("/index.html") && !$0.hasPrefix("vendors/a-z/")
                    && !$0.hasPrefix("vendors/page/") && $0 != "vendors/index.html"
            })
        #expect(vendors.count > 2_000)
        let az = site.files.filter { $0.path.hasPrefix("vendors/a-z/") }.sorted {
            ($0.path == "vendors/a-z/index.html" ? 1 : Int($0.path.split(separator: "/")[2])!)
                < ($1.path == "vendors/a-z/index.html" ? 1 : Int($1.path.split(separator: "/")[2])!)
        }
        #expect(az.count == (vendors.count + 499) / 500)
        let entries = az.flatMap { AZTests.entries(String(decoding: $0.bytes, as: UTF8.self)) }
        let linked = entries.map { $0.url.replacingOccurrences(of: "../", with: "") }
        let titles = entries.map(\.title)
        #expect(linked.count == vendors.count)
        #expect(Set(linked) == vendors)
        let folded = titles.map { Alphabet.fold($0) }
        let letters = folded.map { $0.first(where: { $0.isLetter || $0.isNumber }).map { $0.isNumber ? "0" : String($0) } ?? "#" }
        // Within an initial, in order; the initials themselves in order.
        for n in 1..<folded.count where letters[n] == letters[n - 1] {
            #expect(folded[n - 1] <= folded[n], "\(titles[n - 1]) before \(titles[n])")
        }
    }
}

extension AZTests {
    /// The names an A–Z page lists (the lines with a count), their links and titles as text.
    static func entries(_ html: String) -> [(url: String, title: String)] {
        html.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("<li><a href=\""), line.contains("</a> <span class=\"count\">") else { return nil }
            let url = line.split(separator: "\"")[1]
            guard let start = line.range(of: "\">")?.upperBound, let end = line.range(of: "</a>")?.lowerBound else { return nil }
            let title = line[start..<end].replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
            return (String(url), title)
        }
    }
}

extension FileManager {
    fileprivate func copyItem(at source: URL, to target: URL, replacing: Bool) throws {
        if replacing { try? removeItem(at: target) }
        try copyItem(at: source, to: target)
    }
}
