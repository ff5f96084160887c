/// Where pages go under the output folder, and how a page links back to the top: what the
/// stages above content (figures, charts, site) share about paths.
package enum PagePath {
    /// `../` repeated once per folder level of a page at `path`, or `./` at the top.
    package static func root(forPage path: String) -> String {
        let depth = path.split(separator: "/").count - 1
        return depth == 0 ? "./" : String(repeating: "../", count: depth)
    }

    /// `tenders/index.html` for the article with slug `tenders`.
    package static func of(_ article: Article) -> String { of(article.listing) }
    package static func of(_ listing: ArticleListing) -> String { listing.slug + "/index.html" }
}
