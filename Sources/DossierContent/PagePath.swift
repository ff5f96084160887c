/// Where pages go under the output folder, and how a page links back to the top: what the
/// stages above content (figures, charts, site) share about paths.
package enum PagePath {
    /// `../` repeated once per folder level of a page at `path`, or `./` at the top.
    package static func root(forPage path: String) -> String {
        // The folders above the page: runs of bytes between slashes, less the file's own. Counted
        // in place (this runs for every page and every link of a build).
        var runs = 0
        var inRun = false
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                inRun = false
            } else if !inRun {
                inRun = true
                runs += 1
            }
        }
        return runs <= 1 ? "./" : String(repeating: "../", count: runs - 1)
    }

    /// `tenders/index.html` for the article with slug `tenders`.
    package static func of(_ article: Article) -> String { article.slug + "/index.html" }
    package static func of(_ listing: ArticleListing) -> String { listing.slug + "/index.html" }
}
