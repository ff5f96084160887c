import Dispatch
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

@Suite struct MarkdownRendererTests {
    @Test func rendersGitHubExtensions() {
        let html = MarkdownRenderer.render(
            """
            | a | b |
            |---|--:|
            | 1 | 2 |

            ~~gone~~ and https://example.org

            - [x] done

            Note.[^n]

            [^n]: The note.
            """
        ).html
        #expect(html.contains("<table>"))
        #expect(html.contains("<th style=\"text-align: right\">b</th>"))
        #expect(html.contains("<del>gone</del>"))
        #expect(html.contains("<a href=\"https://example.org\">https://example.org</a>"))
        #expect(html.contains("<input type=\"checkbox\" checked=\"\" disabled=\"\" />"))
        #expect(html.contains("<a href=\"#fn-n\" id=\"fnref-n\" data-footnote-ref>1</a>"))
        #expect(html.contains("class=\"footnote-backref\""))
    }

    @Test func usesSmartPunctuation() {
        #expect(MarkdownRenderer.render("\"quoted\" -- it's").html == "<p>“quoted” – it’s</p>\n")
    }

    @Test func dropsRawHTMLUnlessTheSiteOptsIn() {
        let source = "<script>alert(1)</script>\n\nText <b>bold</b> [x](javascript:alert(1))"
        let safe = MarkdownRenderer.render(source).html
        #expect(!safe.contains("<script>"))
        #expect(!safe.contains("<b>"))
        #expect(safe.contains("raw HTML omitted"))
        #expect(!safe.contains("javascript:"))
        let unsafe = MarkdownRenderer.render(source, options: .init(unsafeHTML: true)).html
        #expect(unsafe.contains("<b>bold</b>"))
        // tagfilter still neutralises script tags.
        #expect(unsafe.contains("&lt;script>"))
    }

    @Test func givesHeadingsStableUniqueIDs() {
        let result = MarkdownRenderer.render(
            """
            # The *budget*, 2018-2022

            ## Tenders

            ## Tenders

            ### Қазақ тілі
            """)
        #expect(result.headings.map(\.id) == ["the-budget-2018-2022", "tenders", "tenders-1", "қазақ-тілі"])
        #expect(result.headings.map(\.level) == [1, 2, 2, 3])
        #expect(result.headings[0].text == "The budget, 2018-2022")
        #expect(result.html.contains("<h1 id=\"the-budget-2018-2022\">The <em>budget</em>, 2018-2022</h1>"))
        #expect(result.html.contains("<h2 id=\"tenders-1\">Tenders</h2>"))
    }

    /// cmark-gfm's inline parser shares global tables between parsers; rendering on many
    /// threads must give exactly what a serial run gives.
    @Test func concurrentRenderingMatchesSerialByteForByte() {
        let documents = (0..<2000).map { i in
            """
            # Document \(i)

            Text with https://example.org/\(i) and a note.[^a\(i)] ~~old~~ *new* `code` "quotes" -- dashes.

            | n | v |
            |---|---|
            | \(i) | <https://example.com/\(i)> |

            [^a\(i)]: Footnote with www.example.net/\(i) and **bold**.
            """
        }
        MarkdownRenderer.prepare()
        let serial = documents.map { MarkdownRenderer.render($0).html }
        let parallel = parallelMap(documents) { MarkdownRenderer.render($0).html }
        let differing = zip(serial, parallel).filter { $0 != $1 }.count
        #expect(differing == 0)
        #expect(serial[7].contains("<a href=\"http://www.example.net/7\">www.example.net/7</a>"))
    }
}
