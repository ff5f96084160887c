import Foundation
import Yams

/// A `Content/FOLDER/_pages.yml`: pages generated from a dataset, one per distinct value of a
/// column (or one per row), and a paginated listing of them at `FOLDER/`.
public struct DataPagesSpec: Sendable {
    /// The folder under `Content/` (and under the output): `contractors`.
    public var folder: String
    /// The spec file, relative to the root, for errors.
    public var path: String
    public var data: String
    /// The column whose distinct values get a page each; nil for one page per row.
    public var key: String?
    /// Patterns with `{key}` or `{column}` placeholders.
    public var slug: String
    public var title: String
    public var template: String
    public var listTemplate: String
    public var listTitle: String
    public var pageSize: Int
    /// A date column: when set, each page joins the site's feed, dated by its latest row.
    public var feedDate: String?
    /// Tag patterns (`procurement`, `{region}`): each page joins those tags' pages.
    public var tags: [String] = []
    /// The longest a part of a page's slug may be, in bytes (`slug_max: 80`): longer ones are
    /// cut at a word boundary. Nil: as long as the values make them.
    public var slugMax: Int?
    /// Only rows whose column holds one of the values (`filter: {quarter: 4}`).
    public var filter: [(column: String, values: [String])] = []
    /// The order of the listing: `title` (the default), `count`, or `total.COLUMN`; `-` first
    /// for the largest first.
    public var sort: (key: String, descending: Bool)?
    /// Where each key was written, for errors about its value.
    package var lines: [String: (Int, Int)] = [:]
    /// Changes whenever the file changes.
    package var signature: Int = 0

    package func location(_ key: String) -> SourceLocation {
        let (line, column) = lines[key] ?? (1, 1)
        return SourceLocation(path: path, line: line, column: column)
    }

    static let knownKeys = [
        "data", "key", "slug", "title", "template", "list_template", "list_title", "page_size", "feed_date", "tags",
        "slug_max", "filter", "sort",
    ]

    package static func parse(_ text: String, folder: String, path: String) throws(LocalError) -> DataPagesSpec {
        guard let root = try YAML.compose(text), root.isMapping else {
            throw LocalError(line: 1, column: 1, "_pages.yml must be a mapping with at least `data:`")
        }
        let pairs = try root.knownPairs(knownKeys) { "unknown key '\($0)' in _pages.yml" }
        let values = pairs.mapValues(\.value)
        let lines = pairs.mapValues { ($0.value.line ?? 1, $0.value.column ?? 1) }
        guard values["data"] != nil else {
            throw LocalError(line: 1, column: 1, "_pages.yml needs `data:` (the dataset to make pages from)")
        }
        let key = try values["key"].map { (node) throws(LocalError) in try node.text("key") }
        var pageSize = 20
        if let node = values["page_size"] {
            guard case .integer(let n) = YAML.value(node), (1...100_000).contains(n) else {
                throw node.error("page_size must be a whole number from 1 to 100,000")
            }
            pageSize = n
        }
        func field(_ name: String, _ fallback: String) throws(LocalError) -> String {
            try values[name].map { (node) throws(LocalError) in try node.text(name) } ?? fallback
        }
        var spec = DataPagesSpec(
            folder: folder, path: path, data: try values["data"]!.text("data"), key: key,
            slug: try field("slug", key != nil ? "{key}" : ""), title: try field("title", key != nil ? "{key}" : ""),
            template: try field("template", "entity"), listTemplate: try field("list_template", "entities"),
            listTitle: try field("list_title", folder), pageSize: pageSize, lines: lines)
        if spec.slug.isEmpty {
            throw LocalError(
                line: 1, column: 1, "pages made one per row need a `slug:` pattern", hint: "for example slug: \"{id}\"")
        }
        if spec.title.isEmpty { spec.title = spec.slug }
        spec.feedDate = try values["feed_date"].map { (node) throws(LocalError) in try node.text("feed_date") }
        spec.tags = try values["tags"].map { (node) throws(LocalError) in try node.strings("tags") } ?? []
        if let node = values["filter"] {
            guard node.isMapping else {
                throw node.error("filter maps a column to the value (or list of values) its rows must hold: {quarter: 4}")
            }
            for (column, value) in node.pairs {
                let accepted: [String]
                if case .sequence(let items) = value {
                    accepted = items.map { YAML.value($0).plainText }
                } else {
                    accepted = [YAML.value(value).plainText]
                }
                spec.filter.append((column, accepted))
            }
        }
        if let node = values["sort"] {
            var text = try node.text("sort")
            let descending = text.hasPrefix("-")
            if descending { text.removeFirst() }
            guard text == "title" || text == "count" || (text.hasPrefix("total.") && text.count > 6) else {
                throw node.error("sort must be title, count or total.COLUMN, with - for the largest first (-total.amount)")
            }
            spec.sort = (text, descending)
        }
        if let node = values["slug_max"] {
            guard case .integer(let n) = YAML.value(node), (8...200).contains(n) else {
                throw node.error("slug_max must be a whole number from 8 to 200")
            }
            spec.slugMax = n
        }
        spec.signature = text.hashValue
        return spec
    }

    /// The placeholders `{name}` of a pattern.
    static func placeholders(_ pattern: String) -> [String] {
        var names: [String] = []
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The pattern with each `{name}` replaced.
    static func fill(_ pattern: String, _ value: (String) -> String) -> String {
        var out = ""
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            out += value(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

/// One generated page: its key, slug, title and the rows it shows.
public struct DataEntity: Sendable {
    public var key: Value
    public var slug: String
    public var title: String
    /// Row indices into the dataset.
    public var rows: [Int]
    /// The latest date of its rows in the spec's `feed_date` column, for the feed.
    public var date: DateValue? = nil
    /// Its tags, from the spec's patterns filled with its first row.
    public var tags: [String] = []
}

/// A `_pages.yml` with the pages it makes from its dataset.
public struct DataPages: Sendable {
    public var spec: DataPagesSpec
    public var entities: [DataEntity]
    public var dataset: Dataset

    /// Changes whenever the entity's page would show something else of its own: its slug,
    /// title, tags or any value of its rows. Only a cache asks (the dev server's rebuilds), so
    /// it is worked out then, not for every page of every build.
    package func signature(of entity: DataEntity) -> Int {
        var hasher = Hasher()
        hasher.combine(entity.slug)
        hasher.combine(entity.title)
        for r in entity.rows { for column in dataset.data { hasher.combine(column[r]) } }
        hasher.combine(entity.tags)
        return hasher.finalize()
    }

    package var pageCount: Int { max(1, (entities.count + spec.pageSize - 1) / spec.pageSize) }

    /// What every page shows of the dataset besides its rows: columns and metadata.
    package var schemaSignature: Int {
        var hasher = Hasher()
        hasher.combine(dataset.name)
        hasher.combine(dataset.path)
        hasher.combine(dataset.columns)
        let meta = dataset.meta
        for text in [meta.title, meta.sourceName, meta.sourceURL, meta.licence, meta.notes] { hasher.combine(text) }
        hasher.combine(meta.retrieved)
        return hasher.finalize()
    }

    package func entityPath(_ entity: DataEntity) -> String { "\(spec.folder)/\(entity.slug)/index.html" }
    package func listPath(page: Int) -> String {
        page == 1 ? "\(spec.folder)/index.html" : "\(spec.folder)/page/\(page)/index.html"
    }
    /// Page `n` of the A–Z pages (``Alphabet``): `FOLDER/a-z/`, `FOLDER/a-z/2/`.
    package func azPath(page: Int) -> String {
        page == 1 ? "\(spec.folder)/a-z/index.html" : "\(spec.folder)/a-z/\(page)/index.html"
    }

    /// Which of `values` are equal as ``Value``s are (texts by canonical equivalence): the
    /// group of each (-1 for an empty one), numbered in order of first appearance, and each
    /// group's first value.
    ///
    /// A text column that was not interned as it was read (its first rows all differed) has a
    /// value per row: a million texts. When all are ASCII, where canonical equivalence is
    /// equality of bytes, they are told apart by their bytes in a table of their own; hashing
    /// each as a `String` in a dictionary took a third of a second more.
    package static func merged(_ values: [Value]) -> (ids: [Int32], firsts: [Value]) {
        var ids = [Int32](repeating: -1, count: values.count)
        var firsts: [Value] = []
        func ascii(_ value: Value) -> Bool {
            guard case .text(var text) = value else { return value.isNull }
            return text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
        }
        guard values.count > 64, values.allSatisfy(ascii) else {
            var texts: [String: Int32] = [:]
            var others: [Value: Int32] = [:]
            for (g, value) in values.enumerated() where !value.isNull {
                let id: Int32
                if case .text(let text) = value {
                    id = texts[text] ?? Int32(firsts.count)
                    if id == firsts.count { texts[text] = id }
                } else {
                    id = others[value] ?? Int32(firsts.count)
                    if id == firsts.count { others[value] = id }
                }
                if id == firsts.count { firsts.append(value) }
                ids[g] = id
            }
            return (ids, firsts)
        }
        // Open addressing over 64-bit FNV-1a hashes of the bytes; each group's hash is kept to
        // grow the table without hashing again.
        var hashes: [UInt64] = []
        var slots = [Int32](repeating: -1, count: 1 << 12)
        var mask = slots.count - 1
        for (g, value) in values.enumerated() {
            guard case .text(var text) = value else { continue }  // empty: no group
            let hash = text.withUTF8 { Bytes.fnv1a($0) }
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            var id: Int32 = -1
            while slots[slot] >= 0 {
                let candidate = slots[slot]
                if hashes[Int(candidate)] == hash, case .text(let other) = firsts[Int(candidate)], other == text {
                    id = candidate
                    break
                }
                slot = (slot + 1) & mask
            }
            if id < 0 {
                id = Int32(firsts.count)
                firsts.append(value)
                hashes.append(hash)
                slots[slot] = id
                if firsts.count * 2 > slots.count {
                    slots = [Int32](repeating: -1, count: slots.count * 2)
                    mask = slots.count - 1
                    for (k, h) in hashes.enumerated() {
                        var s = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
                        while slots[s] >= 0 { s = (s + 1) & mask }
                        slots[s] = Int32(k)
                    }
                }
            }
            ids[g] = id
        }
        return (ids, firsts)
    }

    /// Groups the dataset's rows into pages, checking that every placeholder is a column and
    /// that no two pages make the same slug.
    package static func expand(
        _ spec: DataPagesSpec, datasets: [String: Dataset], slugs scheme: SlugScheme = .transliterate
    ) -> (DataPages?, [Diagnostic]) {
        guard let dataset = datasets[spec.data] else {
            return (
                nil,
                [
                    Diagnostic(
                        spec.location("data"), "dataset '\(spec.data)' does not exist",
                        hint: "datasets: \(datasets.keys.sorted().joined(separator: ", "))", code: .pagesUnknownDataset)
                ]
            )
        }
        let columns = dataset.columns.map(\.name)
        var problems: [Diagnostic] = []
        var keyIndex: Int?
        if let key = spec.key {
            keyIndex = dataset.columnIndex(key)
            if keyIndex == nil {
                problems.append(
                    Diagnostic(
                        spec.location("key"), "dataset '\(dataset.name)' has no column '\(key)'",
                        hint: "its columns: \(columns.joined(separator: ", "))", code: .pagesUnknownColumn))
            }
        }
        for (name, pattern) in [("slug", spec.slug), ("title", spec.title)] + spec.tags.map({ ("tags", $0) }) {
            for placeholder in DataPagesSpec.placeholders(pattern) where placeholder != "key" || spec.key == nil {
                if dataset.columnIndex(placeholder) == nil {
                    problems.append(
                        Diagnostic(
                            spec.location(name), "{\(placeholder)} in \(name) is not a column of '\(dataset.name)'",
                            hint: "its columns: \(columns.joined(separator: ", "))", code: .pagesUnknownColumn))
                }
            }
        }
        var filters: [(Int, Set<String>)] = []
        for (column, accepted) in spec.filter {
            guard let index = dataset.columnIndex(column) else {
                problems.append(
                    Diagnostic(
                        spec.location("filter"), "filter: dataset '\(dataset.name)' has no column '\(column)'",
                        hint: "its columns: \(columns.joined(separator: ", "))", code: .pagesUnknownColumn))
                continue
            }
            filters.append((index, Set(accepted)))
        }
        var dateIndex: Int?
        if let feedDate = spec.feedDate {
            dateIndex = dataset.columnIndex(feedDate)
            if let d = dateIndex, dataset.columns[d].type != .date {
                problems.append(
                    Diagnostic(
                        spec.location("feed_date"),
                        "feed_date: column '\(feedDate)' holds \(dataset.columns[d].type.rawValue), not dates",
                        hint: "declare it `type: date` in the schema, with dates written YYYY-MM-DD", code: .pagesSpec))
            } else if dateIndex == nil {
                problems.append(
                    Diagnostic(
                        spec.location("feed_date"), "dataset '\(dataset.name)' has no column '\(feedDate)'",
                        hint: "its columns: \(columns.joined(separator: ", "))", code: .pagesUnknownColumn))
            }
        }
        guard problems.isEmpty else { return (nil, problems) }

        // Group rows: by the key's value, or one group per row.
        var groups: [(Value, [Int])] = []
        if let keyIndex, filters.isEmpty {
            // Every row: numbered by the column's own codes (a million rows hashed as values was
            // a second of a build), then values that are equal but stored apart (text in another
            // normalization form) made one group, as a dictionary of values makes them.
            let (codes, values) = dataset.data[keyIndex].groups(Array(0..<dataset.rowCount))
            let (ids, firsts) = DataPages.merged(values)
            // Each group's rows in an array of its exact size (no growing a million times), in
            // the order of the rows.
            var sizes = [Int](repeating: 0, count: firsts.count)
            for code in codes where ids[Int(code)] >= 0 { sizes[Int(ids[Int(code)])] += 1 }
            var rowsOf = sizes.map { size -> [Int] in
                var rows: [Int] = []
                rows.reserveCapacity(size)
                return rows
            }
            for (r, code) in codes.enumerated() where ids[Int(code)] >= 0 { rowsOf[Int(ids[Int(code)])].append(r) }
            groups = Array(zip(firsts, rowsOf))
        } else if let keyIndex {
            var index: [Value: Int] = [:]
            for r in 0..<dataset.rowCount where filters.allSatisfy({ $0.1.contains(dataset[r, $0.0].plainText) }) {
                let value = dataset[r, keyIndex]
                if value.isNull { continue }
                if let g = index[value] {
                    groups[g].1.append(r)
                } else {
                    index[value] = groups.count
                    groups.append((value, [r]))
                }
            }
        } else {
            groups = (0..<dataset.rowCount).filter { r in filters.allSatisfy { $0.1.contains(dataset[r, $0.0].plainText) } }
                .map { (.integer($0 + 1), [$0]) }
        }
        // Each group's page worked out on all cores (slugs, titles, signatures over every row
        // of a million-row dataset were seconds on one), then checked in order.
        struct Made: Sendable {
            var entity: DataEntity?
            var first: Int
        }
        let slugs = scheme
        let dateColumn = dateIndex
        nonisolated(unsafe) let data = dataset
        let made = parallelMap(groups) { group -> Made in
            let (key, rows) = group
            let first = rows[0]
            func value(_ name: String) -> String {
                if name == "key", spec.key != nil { return key.plainText }
                guard let c = data.columnIndex(name) else { return "" }
                return data[first, c].plainText
            }
            var slug = DataPagesSpec.fill(spec.slug) { Slug.make(value($0), scheme: slugs) }
            if let max = spec.slugMax { slug = Slug.shorten(slug, to: max) }
            let title = DataPagesSpec.fill(spec.title, value)
            if slug.isEmpty || slug.split(separator: "/").contains(where: { $0.isEmpty }) { return Made(entity: nil, first: first) }
            var date: DateValue?
            if let dateColumn {
                for r in rows {
                    if case .date(let d) = data[r, dateColumn], date.map({ $0 < d }) ?? true { date = d }
                }
            }
            var tags: [String] = []
            for pattern in spec.tags {
                let tag = DataPagesSpec.fill(pattern, value).trimmingCharacters(in: .whitespaces)
                if !tag.isEmpty, !tags.contains(tag) { tags.append(tag) }
            }
            return Made(entity: DataEntity(key: key, slug: slug, title: title, rows: rows, date: date, tags: tags), first: first)
        }
        var entities: [DataEntity] = []
        entities.reserveCapacity(made.count)
        var bySlug: [String: (Int, String)] = [:]
        bySlug.reserveCapacity(made.count)
        for item in made {
            guard let entity = item.entity else {
                problems.append(
                    Diagnostic(spec.location("slug"), "row \(item.first + 1) of \(dataset.path) makes an empty slug", code: .pagesEmptySlug))
                continue
            }
            let (slug, title, first) = (entity.slug, entity.title, item.first)
            if let (otherRow, otherTitle) = bySlug[slug] {
                problems.append(
                    Diagnostic(
                        spec.location("slug"),
                        "rows \(otherRow + 1) ('\(otherTitle)') and \(first + 1) ('\(title)') of \(dataset.path) make the same slug '\(slug)'",
                        hint: spec.key.map { column in
                            "if they are one name spelt two ways, merge them before pages see them: normalize: true on column '\(column)' in Data/\(dataset.name).schema.yml, or '\(title)' under '\(otherTitle)' in Data/\(dataset.name).aliases.yml (dossier check --names \(dataset.name).\(column) lists such names); if they are two, make the slug pattern tell them apart"
                        } ?? "make the slug pattern tell them apart, e.g. add {id}", code: .pagesDuplicateSlug))
                continue
            }
            bySlug[slug] = (first, title)
            entities.append(entity)
        }
        guard problems.isEmpty else { return (nil, problems) }
        // Each title lowered once, not twice per comparison.
        let lowered = entities.map { $0.title.lowercased() }
        entities = entities.indices.sorted {
            lowered[$0] != lowered[$1] ? lowered[$0] < lowered[$1] : entities[$0].slug < entities[$1].slug
        }.map { entities[$0] }
        if let (key, descending) = spec.sort, key != "title" || descending {
            // By count or a column's total (ties keep the title order), or titles backwards.
            var measure: (DataEntity) -> Decimal = { Decimal($0.rows.count) }
            if key.hasPrefix("total.") {
                let name = String(key.dropFirst(6))
                guard let c = dataset.columnIndex(name), dataset.columns[c].isNumeric else {
                    return (
                        nil,
                        [
                            Diagnostic(
                                spec.location("sort"), "sort: '\(name)' is not a numeric column of '\(dataset.name)'",
                                hint: "numeric columns: \(dataset.columns.filter(\.isNumeric).map(\.name).joined(separator: ", "))",
                                code: .pagesUnknownColumn)
                        ]
                    )
                }
                measure = { entity in entity.rows.reduce(Decimal(0)) { $0 + (dataset.data[c].decimal(at: $1) ?? 0) } }
            }
            let indexed = entities.enumerated().map { ($0.offset, $0.element, key == "title" ? 0 : measure($0.element)) }
            entities = indexed.sorted { a, b in
                if key == "title" { return a.0 > b.0 }
                if a.2 != b.2 { return descending ? a.2 > b.2 : a.2 < b.2 }
                return a.0 < b.0
            }.map(\.1)
        }
        return (DataPages(spec: spec, entities: entities, dataset: dataset), [])
    }
}
