import Foundation
import Testing

@testable import DossierCore
@testable import DossierFormat
@testable import DossierProject
@testable import DossierData
@testable import DossierContent
@testable import DossierMarkdown
@testable import DossierFigures
@testable import DossierTemplates
@testable import DossierSite
@testable import DossierKit

@Suite struct DiagnosticCodeTests {
    @Test func codesAreUniqueAndNamedFamilyDotRule() {
        let raw = DiagnosticCode.all.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in raw {
            #expect(code.range(of: #"^[a-z]+\.[a-z-]+$"#, options: .regularExpression) != nil, "\(code)")
        }
    }

    /// Every problem of every invalid fixture carries a listed code, and the README lists them.
    @Test(arguments: Fixtures.invalidCaseNames())
    func everyProblemHasAListedCode(name: String) throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try Fixtures.apply(overlay: Fixtures.invalidCases.appendingPathComponent(name), to: dir.url)
        do {
            _ = try SiteBuilder(project: Project(root: dir.url)).render()
            Issue.record("\(name) built")
        } catch {
            for diagnostic in error.diagnostics {
                #expect(DiagnosticCode.all.contains(diagnostic.code), "\(diagnostic.code)")
            }
        }
    }

    @Test func theReadmeListsEveryCode() throws {
        let readme = try String(
            contentsOf: Fixtures.sampleSite.appendingPathComponent("README.md"), encoding: .utf8)
        for code in DiagnosticCode.all { #expect(readme.contains("`\(code)`"), "\(code)") }
    }

    @Test func brokenLinksWarnByCodeWhenTheSiteSaysSo() throws {
        let dir = try TemporaryDirectory()
        try Fixtures.copySite(Fixtures.validSite, to: dir.url)
        try Fixtures.apply(overlay: Fixtures.invalidCases.appendingPathComponent("link-to-missing-anchor"), to: dir.url)
        let config = dir.path("Content/site.yml")
        try Data((try String(contentsOf: config, encoding: .utf8) + "links: warn\n").utf8).write(to: config)
        let site = try SiteBuilder(project: Project(root: dir.url)).render()
        #expect(site.warnings.map(\.code) == [.linkMissingAnchor])
        #expect(site.warnings.allSatisfy { $0.severity == .warning })
    }
}
