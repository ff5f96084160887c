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

@Suite struct DatasetLoaderTests {
    func load(_ files: [String: String]) throws -> ([Dataset], [String]) {
        let dir = try TemporaryDirectory()
        for (path, text) in files { try dir.write(path, text) }
        let (datasets, problems) = DatasetLoader.loadAll(Project(root: dir.url))
        return (datasets, problems.map(\.headline))
    }

    @Test func infersColumnTypesWithoutASchema() throws {
        let (datasets, problems) = try load([
            "Data/t.csv":
                "year,amount,share,when,flag,name\n2017,155854000,0.5,2018-04-01,true,A\n2018,8900000,1,2019-01-01,false,B\n"
        ])
        #expect(problems.isEmpty)
        let t = try #require(datasets.first)
        #expect(t.name == "t")
        #expect(t.columns.map(\.type) == [.integer, .integer, .number, .date, .boolean, .text])
        #expect(t.columns[0].unit == "year")
        #expect(t.columns[1].unit == nil)
        #expect(t.rows[0][1] == .integer(155_854_000))
        #expect(t.rows[1][2] == .number(1))
    }

    @Test func readsJSONAndYAMLAsTables() throws {
        let (datasets, problems) = try load([
            "Data/a.json": #"[{"x": 1, "y": "one"}, {"y": "two", "z": true}]"#,
            "Data/b.yml": "- name: NO\n  n: 1.10\n- name: on\n  n: 2\n",
            "Data/c.json": #"{"total": 20, "completed": 8}"#,
        ])
        #expect(problems.isEmpty)
        let a = try #require(datasets.first { $0.name == "a" })
        #expect(a.columns.map(\.name) == ["x", "y", "z"])
        #expect(a.rows[1] == [.null, .text("two"), .bool(true)])
        // YAML 1.1 would turn NO into false and 1.10 into 1.1 as a double.
        let b = try #require(datasets.first { $0.name == "b" })
        #expect(b.rows.map { $0[0] } == [.text("NO"), .text("on")])
        #expect(b.columns[1].type == .number)
        let c = try #require(datasets.first { $0.name == "c" })
        #expect(c.rows.count == 1)
    }

    @Test func appliesTheSchema() throws {
        let (datasets, problems) = try load([
            "Data/t.csv": "id,amount,status\nx,12,completed\n",
            "Data/t.schema.yml": """
            title: T
            source: {name: Somewhere, url: "https://example.org", retrieved: 2019-06-01}
            licence: CC BY 4.0
            columns:
              id: {type: text, required: true, label: ID}
              amount: {type: number, unit: KZT}
              status: {values: [completed, cancelled]}
            """,
        ])
        #expect(problems.isEmpty)
        let t = try #require(datasets.first)
        #expect(t.meta.title == "T")
        #expect(t.meta.sourceURL == "https://example.org")
        #expect(t.meta.retrieved == DateValue(iso: "2019-06-01"))
        #expect(t.columns[0].label == "ID")
        #expect(t.columns[1].type == .number && t.columns[1].unit == "KZT")
        #expect(t.columns[2].allowed == ["completed", "cancelled"])
    }

    @Test func reportsEveryBadCellWithRowAndColumn() throws {
        let (datasets, problems) = try load([
            "Data/t.csv": "id,amount,status\nx,12,completed\n,abc,lost\ny,1.5,cancelled\n",
            "Data/t.schema.yml": """
            columns:
              id: {type: text, required: true}
              amount: {type: integer}
              status: {values: [completed, cancelled]}
            """,
        ])
        #expect(datasets.isEmpty)
        #expect(
            problems == [
                "Data/t.csv:3:1: error: column 'id' is required but this row leaves it empty",
                "Data/t.csv:3:2: error: value 'abc' in column 'amount' is not an integer",
                "Data/t.csv:3:3: error: value 'lost' is not allowed in column 'status'",
                "Data/t.csv:4:2: error: value '1.5' in column 'amount' is not an integer",
            ])
    }

    @Test func reportsBadJSONCellsAtTheirPosition() throws {
        let (_, problems) = try load([
            "Data/p.json": "[\n  {\"n\": 1},\n  {\"n\": \"many\"}\n]",
            "Data/p.schema.yml": "columns:\n  n: integer\n",
        ])
        #expect(problems == ["Data/p.json:3:9: error: value 'many' in column 'n' is not an integer"])
    }

    @Test func summarisesFloodsOfErrors() throws {
        let rows = (1...30).map { "r\($0),x" }.joined(separator: "\n")
        let (_, problems) = try load([
            "Data/t.csv": "id,n\n" + rows + "\n", "Data/t.schema.yml": "columns:\n  n: integer\n",
        ])
        #expect(problems.count == DatasetLoader.maxProblemsPerFile + 1)
        #expect(problems.last == "Data/t.csv: error: 10 more values break the schema (only the first 20 are listed)")
    }

    @Test func rejectsDuplicateNamesAndOrphanSchemas() throws {
        let (_, problems) = try load([
            "Data/t.csv": "a\n1\n", "Data/t.json": "[]", "Data/u.schema.yml": "columns: {}\n",
        ])
        #expect(
            problems == [
                "Data/t.json: error: dataset name 't' is already taken by Data/t.csv",
                "Data/u.schema.yml: error: schema has no dataset 'u' beside it",
            ])
    }
}
