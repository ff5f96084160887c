import Foundation
import Testing

/// Compares a tree of output files with a golden folder. With `DOSSIER_RECORD=1` in the
/// environment it rewrites the golden folder instead, and fails so that recording is never
/// mistaken for passing.
func assertMatchesGolden(
    _ actual: [(String, Data)], golden: URL, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let fm = FileManager.default
    let actual = actual.sorted { $0.0 < $1.0 }
    if ProcessInfo.processInfo.environment["DOSSIER_RECORD"] == "1" {
        try? fm.removeItem(at: golden)
        for (path, data) in actual {
            let target = golden.appendingPathComponent(path)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
        }
        Issue.record(
            "recorded \(actual.count) golden files in \(golden.lastPathComponent); unset DOSSIER_RECORD and run again",
            sourceLocation: sourceLocation)
        return
    }
    let expected = try Fixtures.readTree(golden)
    #expect(
        actual.map(\.0) == expected.map(\.0), "the set of output files differs from \(golden.lastPathComponent)",
        sourceLocation: sourceLocation)
    let expectedByPath = Dictionary(uniqueKeysWithValues: expected)
    for (path, data) in actual {
        guard let want = expectedByPath[path] else { continue }
        if data != want {
            let got = String(decoding: data, as: UTF8.self)
            let exp = String(decoding: want, as: UTF8.self)
            let gotLines = got.split(separator: "\n", omittingEmptySubsequences: false)
            let expLines = exp.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(gotLines, expLines).enumerated().first { $0.element.0 != $0.element.1 }
            let where_ =
                first.map { "line \($0.offset + 1):\n  expected: \($0.element.1)\n  actual:   \($0.element.0)" }
                ?? "length differs"
            Issue.record("\(path) differs from the golden file at \(where_)", sourceLocation: sourceLocation)
        }
    }
}
