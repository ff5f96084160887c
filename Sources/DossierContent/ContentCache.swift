import Foundation

/// What the content stage remembers between builds of `dossier serve`: parsed articles by
/// source path with their file's stamp, the list of article files, and what a file watcher saw
/// change since the last build. Owned by ``BuildCache``; the stage needs nothing else of it.
package final class ContentCache: @unchecked Sendable {
    /// Parsed articles by source path, with the file's stamp.
    package let articles = Memo<String, (FileStamp, Article)>()
    /// The article files of the last build, reused while no file is added or removed.
    var listing: [String]? {
        get { lock.withLock { storedListing } }
        set { lock.withLock { storedListing = newValue } }
    }
    private var storedListing: [String]?
    /// The slug scheme the cached articles were parsed with.
    var scheme: SlugScheme? {
        get { lock.withLock { storedScheme } }
        set { lock.withLock { storedScheme = newValue } }
    }
    private var storedScheme: SlugScheme?
    private var hint: (paths: Set<String>, structural: Bool)?
    private let lock = NSLock()

    package init() {}

    /// Tells the next build which files changed (absolute paths) and whether any was added,
    /// removed or renamed.
    package func hint(changed paths: Set<String>, structural: Bool) { lock.withLock { hint = (paths, structural) } }

    package func peekHint() -> (paths: Set<String>, structural: Bool)? { lock.withLock { hint } }

    package func takeHint() -> (paths: Set<String>, structural: Bool)? {
        lock.withLock {
            defer { hint = nil }
            return hint
        }
    }
}
