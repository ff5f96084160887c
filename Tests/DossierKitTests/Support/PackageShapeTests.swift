import Foundation
import Testing

/// The pipeline's shape, as Package.swift declares it: each stage re-exports every stage under
/// it and imports nothing above it. (Package.swift makes each stage depend on all stages under
/// it; an import of a stage above does not compile, and `make test` refuses any import of a
/// target that is not a declared dependency.)
@Suite struct PackageShapeTests {
    /// The stage names in the order of `stages` in Package.swift.
    static func stages() throws -> [String] {
        let manifest = try String(
            contentsOf: Fixtures.sampleSite.appendingPathComponent("Package.swift"), encoding: .utf8)
        let list = manifest.components(separatedBy: "let stages:")[1].components(separatedBy: "]\n")[0]
        return list.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("(\"Dossier") else { return nil }
            return String(trimmed.dropFirst(2).prefix { $0 != "\"" })
        }
    }

    @Test func everyStageReExportsTheStagesUnderItAndImportsNoneAbove() throws {
        let stages = try Self.stages()
        #expect(stages.first == "DossierCore" && stages.last == "DossierKit" && stages.count >= 10)
        for (i, stage) in stages.enumerated() {
            let folder = Fixtures.sampleSite.appendingPathComponent("Sources/\(stage)")
            let below = Set(stages[..<i])
            let above = Set(stages[(i + 1)...])
            var reExported: Set<String> = []
            for file in FileManager.default.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }) ?? []
            where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ").map(String.init)
                    guard let at = words.firstIndex(of: "import"), at + 1 < words.count else { continue }
                    let module = words[at + 1]
                    #expect(!above.contains(module), "\(stage)/\(file) imports \(module), a stage above it")
                    if words.first == "@_exported" { reExported.insert(module) }
                }
            }
            if stage != "DossierCore" {
                #expect(reExported.isSuperset(of: below), "\(stage) does not re-export \(below.subtracting(reExported).sorted())")
            }
        }
    }
}
