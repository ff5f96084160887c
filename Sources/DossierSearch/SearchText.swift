import Foundation

/// Words as the search index and the search page's script see them: split by Unicode letters
/// and digits (Latin and Cyrillic, Kazakh letters included), lower-cased, accents taken off
/// (`é` → `e`, `ё` → `е`, `й` → `и`), and lightly stemmed (English and Russian endings), so that
/// `suppliers` finds `supplier` and `закупки` finds `закупка`. `Assets/search.js` does the same,
/// rule for rule; `SearchTextTests` checks both on the same words.
public enum SearchText {
    /// The words of `text`, folded (not stemmed), in order.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for original in text.unicodeScalars {
            // ASCII, most of most texts, without Foundation: letters lower-cased, digits kept.
            if original.isASCII {
                let v = original.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) {
                    current.append(original)
                } else if v >= 0x41 && v <= 0x5A {
                    current.append(Unicode.Scalar(v + 0x20)!)
                } else {
                    flush()
                }
                continue
            }
            for scalar in String(original).lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
                switch scalar.properties.generalCategory {
            case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter, .decimalNumber:
                current.append(scalar)
            case .nonspacingMark, .spacingMark, .enclosingMark:
                // An accent of the letter before it: left out.
                continue
            default:
                flush()
            }
            }
        }
        flush()
        return words
    }

    /// The words of `text` as the index keeps them: folded, stemmed, at most 40 characters.
    public static func terms(_ text: String) -> [String] {
        words(text).map { stem(clip($0)) }
    }

    /// Russian endings, longest first, and English ones: only taken off when at least three
    /// letters stay.
    static let russianEndings = [
        "иями", "ями", "ами", "ого", "его", "ему", "ому", "ыми", "ими", "ией", "ией", "ция", "иях", "ах", "ях", "ая",
        "яя", "ое", "ее", "ие", "ые", "ой", "ей", "ий", "ый", "ом", "ем", "ам", "ям", "ов", "ев", "ую", "юю", "ть", "ся",
        "а", "я", "о", "е", "ы", "и", "у", "ю", "ь",
    ].sorted { $0.count > $1.count }
    static let englishEndings = ["ies", "es", "ing", "ed", "ly", "s"]

    /// A word without its ending: Cyrillic words by Russian endings, Latin ones by English.
    public static func stem(_ word: String) -> String {
        guard let first = word.unicodeScalars.first else { return word }
        let cyrillic = (0x400...0x4FF).contains(first.value)
        let endings = cyrillic ? russianEndings : (first.value >= 0x61 && first.value <= 0x7A ? englishEndings : [])
        var counted: Int?
        var count: Int {
            if let counted { return counted }
            counted = word.unicodeScalars.count
            return counted!
        }
        for ending in endings where word.hasSuffix(ending) && count - ending.unicodeScalars.count >= 3 {
            if !cyrillic && ending == "ies" { return String(word.dropLast(3)) + "y" }
            if !cyrillic && ending == "s" && word.hasSuffix("ss") { return word }
            return String(word.dropLast(ending.count))
        }
        return word
    }

    /// A word as the index keeps it: whole up to 40 bytes, else its first 40 scalars (the
    /// script cuts a query's words the same way, so a long word is still found).
    public static func clip(_ word: String) -> String {
        word.utf8.count <= 40 ? word : String(String.UnicodeScalarView(word.unicodeScalars.prefix(40)))
    }

    /// How many shards the index has at most, whatever the script: text without spaces (Chinese,
    /// Japanese) would otherwise make a shard of every two characters.
    public static let shardCount: UInt32 = 1024

    /// The shard a term is in: its first two scalars hashed (FNV-1a over their UTF-8 bytes) into
    /// one of ``shardCount``, named by three hex digits (`ka` → `3c8`).
    public static func shard(of term: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in String(String.UnicodeScalarView(term.unicodeScalars.prefix(2))).utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let n = hash % shardCount
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: [hex[Int(n >> 8)], hex[Int(n >> 4 & 15)], hex[Int(n & 15)]], as: UTF8.self)
    }
}
