import Foundation

/// The pages of a `_pages.yml` in alphabetical order of their titles, grouped by initial: what
/// the A–Z pages (template `az`) list, so that a reader without script (or search) finds a
/// supplier among thousands by its name. Case and accents are ignored (`Élan` files under E,
/// `ёлка` under Е); digits come first, as one group `0–9`, then letters by script (Latin, then
/// Cyrillic), then titles that start with neither, under `#`.
public struct Alphabet: Sendable {
    /// Entity indices in alphabetical order.
    public var order: [Int]
    /// Each initial: its label (`K`, `Ж`, `0–9`, `#`), an ASCII anchor for links (`k`,
    /// `u0436`, `0-9`, `other`) and where its pages start in ``order``.
    public var letters: [(label: String, anchor: String, start: Int)]
    /// Names per A–Z page: several times a listing's, as an A–Z page shows names only.
    public static let pageSize = 500

    public var pageCount: Int { max(1, (order.count + Alphabet.pageSize - 1) / Alphabet.pageSize) }

    /// The page (from 1) that shows position `n` of ``order``.
    public static func page(ofPosition n: Int) -> Int { n / pageSize + 1 }

    public init(_ entities: [DataEntity]) {
        // (group, folded title) for each entity: the group orders initials, digits first.
        let keys = entities.map { entity -> (group: UInt32, folded: String) in
            let folded = Alphabet.fold(entity.title)
            guard let first = folded.unicodeScalars.first(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
            else { return (UInt32.max, folded) }
            if first.properties.numericType != nil, ("0"..."9").contains(first) { return (0, folded) }
            return (first.value, folded)
        }
        order = entities.indices.sorted { a, b in
            if keys[a].group != keys[b].group { return keys[a].group < keys[b].group }
            if keys[a].folded != keys[b].folded { return keys[a].folded < keys[b].folded }
            if entities[a].title != entities[b].title { return entities[a].title < entities[b].title }
            return entities[a].slug < entities[b].slug
        }
        letters = []
        var previous: UInt32?
        for (n, i) in order.enumerated() where keys[i].group != previous {
            let group = keys[i].group
            previous = group
            switch group {
            case 0: letters.append(("0–9", "0-9", n))
            case UInt32.max: letters.append(("#", "other", n))
            default:
                let scalar = Unicode.Scalar(group)!
                let anchor = scalar.isASCII ? String(scalar) : "u" + String(group, radix: 16)
                letters.append((String(scalar).uppercased(), anchor, n))
            }
        }
    }

    /// A title as it sorts: lower-cased, accents taken off. ASCII titles (most) without
    /// Foundation.
    static func fold(_ title: String) -> String {
        if title.utf8.allSatisfy({ $0 < 0x80 }) { return title.lowercased() }
        return title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
