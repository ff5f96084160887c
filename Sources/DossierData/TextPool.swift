/// The distinct texts of a text column, numbered in order of first appearance. Texts that
/// repeat are kept as strings; in a column of nearly all distinct texts (descriptions, notes)
/// the rest are packed end to end in blocks of a megabyte and made into a string when read: a
/// description of 300 bytes costs 300 bytes and 12, where a string of its own took about 350.
package struct TextPool: RandomAccessCollection, Sendable {
    private var strings: [String]
    private var blocks: [[UInt8]] = []
    private var spans: [Span] = []

    /// Where a packed text is: its block, and its bytes in it.
    private struct Span: Sendable {
        var block: Int32
        var start: Int32
        var count: Int32
    }

    private static let blockSize = 1 << 20

    package init(_ strings: [String] = []) {
        self.strings = strings
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { strings.count + spans.count }

    package subscript(i: Int) -> String {
        if i < strings.count { return strings[i] }
        let span = spans[i - strings.count]
        return blocks[Int(span.block)].withUnsafeBufferPointer { block in
            String(decoding: UnsafeBufferPointer(rebasing: block[Int(span.start)..<Int(span.start + span.count)]), as: UTF8.self)
        }
    }

    /// Adds a text kept as a string; only before any is packed.
    package mutating func append(_ text: String) {
        precondition(spans.isEmpty, "a string after packed texts")
        strings.append(text)
    }

    /// Adds a text packed with the others.
    package mutating func appendPacked(_ text: String) {
        var text = text
        text.withUTF8 { appendPacked($0) }
    }

    /// Adds the text whose valid UTF-8 is `utf8`, packed with the others.
    package mutating func appendPacked(_ utf8: UnsafeBufferPointer<UInt8>) {
        let count = utf8.count
        guard count < Int(Int32.max) else {
            // A text of two gigabytes in one cell cannot be packed; it never reaches here (a
            // record is at most 256 MB), and the rule is kept in one place.
            preconditionFailure("a text of 2 GB")
        }
        if count > Self.blockSize / 16 {
            // A long text has a block of its own.
            blocks.append(Array(utf8))
            spans.append(Span(block: Int32(blocks.count - 1), start: 0, count: Int32(count)))
            return
        }
        if blocks.isEmpty || blocks[blocks.count - 1].count + count > Self.blockSize
            || blocks[blocks.count - 1].capacity < Self.blockSize
        {
            var block: [UInt8] = []
            block.reserveCapacity(Self.blockSize)
            blocks.append(block)
        }
        let last = blocks.count - 1
        let start = blocks[last].count
        blocks[last].append(contentsOf: utf8)
        spans.append(Span(block: Int32(last), start: Int32(start), count: Int32(count)))
    }
}
