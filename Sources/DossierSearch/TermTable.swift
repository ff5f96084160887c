import Foundation

/// Text to term numbers for one thread of the indexer, from UTF-8 bytes: a stretch of letters and
/// digits between ASCII separators is looked up by its bytes (ASCII letters lower-cased) in an
/// open-addressing table, and only a stretch never seen before is folded and stemmed
/// (``SearchText/terms(_:)``). A site's text has a few tens of thousands of distinct words among
/// millions: the general path runs once per distinct word, not once per word.
struct TermTable {
    /// Term by number.
    private(set) var terms: [String] = []
    private var numbers: [String: Int32] = [:]

    /// Stretches seen: their bytes in `arena`, their terms in `expansions`.
    private struct Entry {
        var hash: UInt64
        /// The first 8 bytes, zero-padded: a word of up to 8 bytes is known by it alone.
        var prefix: UInt64
        var start: Int32
        var length: Int32
        var first: Int32
        var count: Int32
        /// The term's number when the stretch has exactly one (nearly always), else -1.
        var single: Int32
    }
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    private var expansions: [Int32] = []
    /// Entry number + 1 per slot (0: empty); a power of two, at most half full.
    private var slots: [Int32] = Array(repeating: 0, count: 1 << 12)

    /// A document's scores while it is read: by term number, and which are set.
    private var scores: [Int32] = []
    private var touched: [Int32] = []

    init() {}

    /// A table that numbers terms as `terms` does (its word cache starts empty).
    init(terms: [String]) {
        self.terms = terms
        numbers = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, Int32($0)) })
        scores = Array(repeating: 0, count: terms.count)
    }

    /// The number of `term`, given one if it has none yet.
    mutating func number(of term: String) -> Int32 {
        if let number = numbers[term] { return number }
        let number = Int32(terms.count)
        terms.append(term)
        numbers[term] = number
        scores.append(0)
        return number
    }

    /// The stretch being read, ASCII letters lower-cased.
    private var word: [UInt8] = []

    /// Bytes by kind: 0 separates words, 1 is an ASCII letter or digit, 2 is part of a
    /// character beyond ASCII (a stretch holding one is read the general way).
    private static let kinds: [UInt8] = (0...255).map { byte in
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) ? 1 : (byte >= 0x80 ? 2 : 0)
    }

    /// Adds `weight` to each term of `text` in the current document. With `html`, tags are
    /// left out and character references (`&amp;`, `&#39;`) separate words, as they do in the
    /// text they stand for.
    mutating func add(_ text: String, weight: Int32, html: Bool = false) {
        var text = text
        let kinds = Self.kinds
        text.withUTF8 { bytes in
            kinds.withUnsafeBufferPointer { kinds in
                let count = bytes.count
                var i = 0
                while i < count {
                    let byte = bytes[i]
                    if kinds[Int(byte)] != 0 {
                        let start = i
                        var other = false
                        while i < count {
                            let kind = kinds[Int(bytes[i])]
                            if kind == 0 { break }
                            if kind == 2 { other = true }
                            i += 1
                        }
                        flush(UnsafeBufferPointer(rebasing: bytes[start..<i]), other: other, weight: weight)
                        continue
                    }
                    i += 1
                    guard html else { continue }
                    if byte == 0x3C {
                        while i < count && bytes[i] != 0x3E { i += 1 }
                        i += 1
                    } else if byte == 0x26 {
                        // A character reference: up to its `;`.
                        var j = i
                        while j < count && j - i < 32 && (bytes[j] == 0x23 || kinds[Int(bytes[j])] == 1) { j += 1 }
                        if j < count && bytes[j] == 0x3B && j > i { i = j + 1 }
                    }
                }
            }
        }
    }

    /// Adds the terms of a document's fields and HTML.
    mutating func add(_ document: SearchDocument) {
        for (text, weight) in document.fields { add(text, weight: Int32(weight)) }
        if !document.html.isEmpty { add(document.html, weight: 1, html: true) }
    }

    /// Adds `weight` to a term of the current document by its number.
    @inline(__always) mutating func add(number: Int32, weight: Int32) {
        if scores[Int(number)] == 0 { touched.append(number) }
        scores[Int(number)] += weight
    }

    /// The current document's (term number, score) pairs, and a fresh start for the next one.
    mutating func finishDocument() -> [(Int32, Int32)] {
        let pairs = touched.map { ($0, scores[Int($0)]) }
        for number in touched { scores[Int(number)] = 0 }
        touched.removeAll(keepingCapacity: true)
        return pairs
    }

    /// Adds the terms of a stretch of letters and digits.
    private mutating func flush(_ stretch: UnsafeBufferPointer<UInt8>, other: Bool, weight: Int32) {
        // An ASCII word's term depends on its first 40 letters only.
        let length = other ? stretch.count : min(40, stretch.count)
        if word.count < length { word = [UInt8](repeating: 0, count: max(length, 2 * word.count, 64)) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var prefix: UInt64 = 0
        word.withUnsafeMutableBufferPointer { word in
            for k in 0..<length {
                var byte = stretch[k]
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                word[k] = byte
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                if k < 8 { prefix |= UInt64(byte) << (8 * UInt64(k)) }
            }
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let n = slots[slot]
            if n == 0 { break }
            let entry = entries[Int(n) - 1]
            if entry.hash == hash && entry.prefix == prefix && Int(entry.length) == length
                && (length <= 8
                    || arena.withUnsafeBufferPointer({ stored in
                        word.withUnsafeBufferPointer { memcmp(stored.baseAddress! + Int(entry.start) + 8, $0.baseAddress! + 8, length - 8) == 0 }
                    }))
            {
                if entry.single >= 0 {
                    add(number: entry.single, weight: weight)
                } else {
                    for k in Int(entry.first)..<Int(entry.first + entry.count) { add(number: expansions[k], weight: weight) }
                }
                return
            }
            slot = (slot + 1) & mask
        }
        let text = String(decoding: word[..<length], as: UTF8.self)
        let found = other ? SearchText.terms(text).filter { !$0.isEmpty } : [SearchText.stem(text)]
        let first = Int32(expansions.count)
        for term in found {
            let number = number(of: term)
            expansions.append(number)
            add(number: number, weight: weight)
        }
        entries.append(
            Entry(
                hash: hash, prefix: prefix, start: Int32(arena.count), length: Int32(length), first: first,
                count: Int32(found.count), single: found.count == 1 ? expansions[Int(first)] : -1))
        arena.append(contentsOf: word[..<length])
        slots[slot] = Int32(entries.count)
        if entries.count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (n, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(n + 1)
        }
    }
}
