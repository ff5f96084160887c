import Foundation
import Testing

@testable import DossierCore
@testable import DossierProject
@testable import DossierData
@testable import DossierKit

/// `file_columns:` patterns are matched in linear time: no pattern hangs the build, and the
/// matches are those of the regular expressions users know.
@Suite struct LinearPatternTests {
    func groups(_ pattern: String, _ text: String) throws -> [String?]? {
        try LinearPattern(pattern).firstMatch(in: text)?.map { $0.map(String.init) }
    }

    /// What NSRegularExpression (ICU, backtracking) finds, for the same shape of answer.
    func reference(_ pattern: String, _ text: String) -> [String?]? {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        let ns = text as NSString
        guard let match = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<match.numberOfRanges).map { k in
            let r = match.range(at: k)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
    }

    @Test func readsWhatTheSchemasUse() throws {
        #expect(try groups("FY-(\\d{4})", "professional-services/FY-2019-Q4.csv") == ["FY-2019", "2019"])
        #expect(try groups("-Q(\\d)", "professional-services/FY-2019-Q4.csv") == ["-Q4", "4"])
        #expect(try groups("(?<year>\\d{4})-(\\d\\d)\\.csv$", "leeds/2013-01.csv") == ["2013-01.csv", "2013", "01"])
        #expect(try groups("^([^/]+)/", "q/2019-Q1.csv") == ["q/", "q"])
        #expect(try groups("(a|ab)(c|bcd)(d*)", "abcd") == ["abcd", "a", "bcd", ""])
        #expect(try groups("x(y)?z", "xz") == ["xz", nil])
        #expect(try groups("Q(\\d)", "no quarter") == nil)
        #expect(try groups("(Платежи)-(\\d+)", "Платежи-2013.csv") == ["Платежи-2013", "Платежи", "2013"])
    }

    /// Random patterns over a small alphabet, with every construct, against ICU: the same
    /// match and the same groups (leftmost-first, greedy and lazy). A repeated group never
    /// matches the empty text here: how often such a group repeats empty is where backtracking
    /// engines disagree among themselves (ICU finds no match for `(?:.?$|a*?[0-9]?)+?$` in
    /// `aba1`, PCRE does).
    @Test func agreesWithICUOnRandomPatterns() throws {
        var rng = SplitMix64(seed: 30)
        let atoms = ["a", "b", "-", "\\d", "[ab]", "[^a]", ".", "\\w", "1", "[0-9]"]
        func pattern(_ depth: Int, nonEmpty: Bool) -> String {
            var out = ""
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                var atom = atoms.randomElement(using: &rng)!
                if depth > 0 && Int.random(in: 0..<3, using: &rng) == 0 {
                    let inner = pattern(depth - 1, nonEmpty: true)
                    atom = Bool.random(using: &rng) ? "(\(inner))" : "(?:\(inner)|\(pattern(depth - 1, nonEmpty: true)))"
                }
                let quantifiers =
                    nonEmpty ? ["", "", "+", "{2}", "{1,2}", "+?"] : ["", "", "*", "+", "?", "{2}", "{1,2}", "*?", "+?", "??", "{0,}"]
                out += atom + quantifiers.randomElement(using: &rng)!
            }
            if nonEmpty { return out }
            if Int.random(in: 0..<6, using: &rng) == 0 { out = "^" + out }
            if Int.random(in: 0..<6, using: &rng) == 0 { out += "$" }
            return out
        }
        var compared = 0
        for _ in 0..<3000 {
            let p = pattern(2, nonEmpty: false)
            let text = String((0..<Int.random(in: 0...10, using: &rng)).map { _ in "ab-1a9b".randomElement(using: &rng)! })
            let (mine, icu) = (try groups(p, text), reference(p, text))
            #expect(mine?.first == icu?.first, "pattern \(p) on '\(text)': \(String(describing: mine)) \(String(describing: icu))")
            #expect(mine == icu, "pattern \(p) on '\(text)': \(String(describing: mine)) \(String(describing: icu))")
            compared += 1
        }
        #expect(compared == 3000)
    }

    @Test func refusesWhatCannotBeMatchedInLinearTime() throws {
        for (pattern, words) in [
            ("(a)\\1", "backreferences"), ("a(?=b)", "look-ahead"), ("(?<=a)b", "look-ahead"), ("a++", "possessive"),
            ("(a", "not closed"), ("a)", "unmatched"), ("[a", "not closed"), ("*a", "nothing before it"),
            ("a{3,2}", "fewer"), ("a{5000}", "1000 at most"), ("(a{1000}){1000}", "too long"), ("\\q", "unknown escape"),
        ] {
            #expect(throws: LinearPattern.Problem.self, "\(pattern)") { try LinearPattern(pattern) }
            do {
                _ = try LinearPattern(pattern)
            } catch {
                #expect(error.message.contains(words), "\(pattern): \(error.message)")
            }
        }
    }

    /// The patterns that made a backtracking matcher run for ever, on names of 200 and 20,000
    /// characters: each returns, in a number of steps linear in the name.
    @Test func pathologicalPatternsReturn() throws {
        for pattern in ["(a+)+b", "(a|aa)+b", "(a*)*b", "(a|a?)+b", "(.*a){12}b", "^(\\w+\\s?)*$x"] {
            let p = try LinearPattern(pattern)
            for length in [200, 20_000] {
                let name = String(repeating: "a", count: length) + "!"
                let started = Date()
                #expect(p.firstMatch(in: name) == nil)
                // Generous: a backtracking matcher needed 16 s for 40 characters.
                #expect(Date().timeIntervalSince(started) < 20, "\(pattern) on \(length) characters")
            }
        }
    }

    /// Through the command: a schema with `(a+)+b` over a file of a 200-character name is
    /// checked and built in bounded time, with the column taken where the pattern matches.
    @Test func theBuildWithAPathologicalPatternFinishes() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        let long = String(repeating: "a", count: 200)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Data/slow"), withIntermediateDirectories: true)
        try Data("name,amount\nx,1\n".utf8).write(to: root.appendingPathComponent("Data/slow/\(long).csv"))
        try Data("name,amount\ny,2\n".utf8).write(to: root.appendingPathComponent("Data/slow/aab.csv"))
        try Data("file_columns:\n  part: \"(a+)+b\"\ncolumns:\n  amount: integer\n".utf8)
            .write(to: root.appendingPathComponent("Data/slow.schema.yml"))
        for command in [["check"], ["build", "--quiet"]] {
            let result = try Fixtures.run(command + ["--root", root.path], timeout: 60)
            #expect(result.status == 0, "\(command): \(result.err)")
        }
        let (datasets, problems) = DatasetLoader.loadAll(Project(root: root))
        #expect(!problems.contains { $0.severity == .error })
        let slow = try #require(datasets.first { $0.name == "slow" })
        let part = try #require(slow.columnIndex("part"))
        #expect((0..<slow.rowCount).map { slow[$0, part].plainText }.sorted() == ["", "aa"])
    }

    @Test func aBadPatternIsAnErrorAtItsLine() throws {
        let dir = try TemporaryDirectory()
        let root = dir.path("p")
        _ = try Scaffold.initProject(at: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Data/q"), withIntermediateDirectories: true)
        try Data("name,amount\nx,1\n".utf8).write(to: root.appendingPathComponent("Data/q/FY-2019.csv"))
        try Data("columns:\n  amount: integer\nfile_columns:\n  year: \"FY-(\\\\d{4})\"\n  q: \"(a)\\\\1\"\n".utf8)
            .write(to: root.appendingPathComponent("Data/q.schema.yml"))
        let result = try Fixtures.run(["check", "--root", root.path], timeout: 60)
        #expect(result.status != 0)
        #expect(result.err.contains("Data/q.schema.yml:5:6: error: '(a)\\1' is not a pattern Dossier reads: backreferences"), "\(result.err)")
    }
}
