import Foundation

/// A file the build writes, by its path under the output folder.
public struct OutputFile: Sendable {
    public var path: String
    public var bytes: Data
    /// A file copied as it is instead of `bytes`, so a large dataset is not held in memory.
    public var copyFrom: URL?
    /// What made the file (`Content/budget.md`, `Templates/assets/style.css`), for the error
    /// when two things would write one path.
    public var origin: String

    public init(path: String, bytes: Data, origin: String = "") {
        self.path = path
        self.bytes = bytes
        self.origin = origin
    }

    /// A generated text file; control characters and noncharacters are left out
    /// (``OutputText``).
    public init(path: String, text: String, origin: String = "") {
        self.init(path: path, bytes: Data(OutputText.clean(text).utf8), origin: origin)
    }

    /// A text file from its UTF-8 bytes, cleaned as ``init(path:text:origin:)`` cleans text.
    package init(path: String, utf8: [UInt8], origin: String = "") {
        self.init(path: path, bytes: Data(OutputText.clean(utf8)), origin: origin)
    }

    public init(path: String, copying source: URL, origin: String) {
        self.init(path: path, bytes: Data(), origin: origin)
        self.copyFrom = source
    }

    package var isHTML: Bool { path.hasSuffix(".html") }
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}
