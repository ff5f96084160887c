import Foundation
import Yams

/// Cleans columns of names before pages, charts and figures see them, as OpenRefine's
/// clustering does by hand: an alias file (`Data/NAME.aliases.yml`) maps variants to a
/// canonical spelling, and `normalize:` merges spellings that are equal once cleaned (case,
/// spaces, punctuation, company suffixes), keeping the spelling most rows use.
package enum NameCleaning {
    /// Column → variant → canonical name.
    package typealias Aliases = [String: [String: String]]

    /// Reads an alias file: for each column, each canonical name and the variants that mean it.
    ///
    ///     vendor:
    ///       CERTIFIED SPECIALTIES INC: [Certified Specialties Inc., CERTIFIED SPECIALTIES]
    package static func readAliases(_ url: URL, path: String) throws(Diagnostic) -> Aliases {
        let text = try SourceFiles.readText(url, relativePath: path)
        var out: Aliases = [:]
        do throws(LocalError) {
            guard let root = try YAML.compose(text) else { return [:] }
            guard root.isMapping else {
                throw root.error("an alias file maps each column to its names: {vendor: {Canonical: [variant, …]}}")
            }
            for (column, names) in root.pairs {
                guard names.isMapping else {
                    throw names.error("'\(column)' must map each canonical name to a list of its variants")
                }
                // variant → its canonical name, and where that was written.
                var variantOf: [String: (canonical: String, node: Node)] = [:]
                var canonicals: [String] = []
                for (canonical, variants) in names.pairs {
                    canonicals.append(canonical)
                    for variant in try variants.strings("the variants of '\(canonical)'") where variant != canonical {
                        if let other = variantOf[variant], other.canonical != canonical {
                            throw variants.error("'\(variant)' is listed under both '\(other.canonical)' and '\(canonical)'")
                        }
                        variantOf[variant] = (canonical, variants)
                    }
                }
                // A chain (A ← B, B ← C) is followed to its end: C is A too. A loop is an error.
                var map: [String: String] = [:]
                for (variant, entry) in variantOf.sorted(by: { $0.key < $1.key }) {
                    var seen: [String] = [variant]
                    var target = entry.canonical
                    while let next = variantOf[target] {
                        guard !seen.contains(target) else {
                            throw entry.node.error(
                                "the names '\((seen + [target]).joined(separator: "' → '"))' alias each other in a loop",
                                hint: "pick one of them as the canonical name and list the others under it")
                        }
                        seen.append(target)
                        target = next.canonical
                    }
                    map[variant] = target
                }
                for canonical in canonicals where map[canonical] == nil { map[canonical] = canonical }
                out[column] = map
            }
        } catch {
            throw error.diagnostic(in: path, code: .dataAliases)
        }
        return out
    }

    /// Applies the alias file and every column's `normalize:` to the dataset's text columns.
    static func apply(
        to dataset: inout Dataset, schema: Schema?, aliases: Aliases, aliasesPath: String?
    ) throws(Diagnostic) -> [Diagnostic] {
        for column in aliases.keys.sorted() {
            guard let index = dataset.columnIndex(column) else {
                throw Diagnostic(
                    SourceLocation(path: aliasesPath ?? dataset.path), "alias file names column '\(column)', which \(dataset.name) does not have",
                    hint: "its columns: \(dataset.columns.map(\.name).joined(separator: ", "))", code: .dataAliases)
            }
            guard dataset.columns[index].type == .text else {
                throw Diagnostic(
                    SourceLocation(path: aliasesPath ?? dataset.path), "alias file names column '\(column)', which is not text",
                    code: .dataAliases)
            }
        }
        for (index, column) in dataset.columns.enumerated() where column.type == .text {
            let normalizer = schema?.spec(column.name)?.reading.normalize
            let map = aliases[column.name] ?? [:]
            guard normalizer != nil || !map.isEmpty else { continue }
            dataset.data[index] = clean(dataset.data[index], normalizer: normalizer, aliases: map)
        }
        // Names the reporter asked to clean that still look like duplicates.
        var warnings: [Diagnostic] = []
        for (index, column) in dataset.columns.enumerated() where column.type == .text {
            guard schema?.spec(column.name)?.reading.normalize != nil || aliases[column.name] != nil else { continue }
            let groups = nearDuplicates(dataset, column: index)
            guard let first = groups.first else { continue }
            let example = first.names.prefix(3).map { "'\($0.0)' (\($0.1) row\($0.1 == 1 ? "" : "s"))" }.joined(separator: ", ")
            var warning = Diagnostic(
                SourceLocation(path: dataset.path),
                "\(groups.count) group\(groups.count == 1 ? "" : "s") of names in \(dataset.name).\(column.name) look like duplicates, e.g. \(example), \(first.reason)",
                hint: "list them with dossier check --names \(dataset.name).\(column.name); merge real ones in Data/\(dataset.name).aliases.yml",
                code: .dataNearDuplicates)
            warning.severity = .warning
            warnings.append(warning)
        }
        return warnings
    }

    /// The column with every name replaced by its canonical spelling.
    static func clean(_ column: DataColumn, normalizer: NameNormalizer?, aliases: [String: String]) -> DataColumn {
        guard case .texts(let strings, let codes) = column.storage else { return column }
        var rows = [Int](repeating: 0, count: strings.count)
        for code in codes where code >= 0 { rows[Int(code)] += 1 }
        let display = strings.map { normalizer?.display($0) ?? $0 }
        // Aliases match as written, or by key when the column is normalized.
        var aliasByKey: [String: String] = [:]
        if let normalizer {
            for (variant, canonical) in aliases { aliasByKey[normalizer.key(variant)] = canonical }
        }
        var spelling: [String: String] = [:]  // key → chosen spelling
        var best: [String: Int] = [:]
        let keys = display.map { normalizer?.key($0) ?? $0 }
        for (i, key) in keys.enumerated() {
            if let canonical = aliases[strings[i]] ?? aliases[display[i]] ?? aliasByKey[key] {
                spelling[key] = canonical
                best[key] = .max
                continue
            }
            if (best[key] ?? -1) < rows[i] {
                best[key] = rows[i]
                spelling[key] = display[i]
            }
        }
        return column.renamingTexts { i, _ in spelling[keys[i]] ?? display[i] }
    }

    /// A group of spellings that are probably one name, with the rows of each.
    package struct NearDuplicates: Sendable, Hashable {
        package var names: [(String, Int)]
        /// Why: "equal once normalized" or "1 letter apart".
        package var reason: String

        package static func == (a: NearDuplicates, b: NearDuplicates) -> Bool {
            a.reason == b.reason && a.names.map(\.0) == b.names.map(\.0) && a.names.map(\.1) == b.names.map(\.1)
        }
        package func hash(into h: inout Hasher) {
            h.combine(reason)
            for (n, c) in names {
                h.combine(n)
                h.combine(c)
            }
        }
    }

    /// The spellings of a text column that remain likely duplicates: equal once fully
    /// normalized (case, punctuation, spaces, company suffixes), or within a small edit
    /// distance of each other (one edit per eight letters, at most two), with their row counts;
    /// the most used groups first.
    package static func nearDuplicates(_ dataset: Dataset, column index: Int) -> [NearDuplicates] {
        guard case .texts(let strings, let codes) = dataset.data[index].storage else { return [] }
        var rows = [Int](repeating: 0, count: strings.count)
        for code in codes where code >= 0 { rows[Int(code)] += 1 }
        let normalizer = NameNormalizer.all
        var byKey: [String: [Int]] = [:]
        for (i, s) in strings.enumerated() where rows[i] > 0 { byKey[normalizer.key(s), default: []].append(i) }
        var groups: [NearDuplicates] = []
        for (_, members) in byKey where members.count > 1 {
            groups.append(
                NearDuplicates(
                    names: members.map { (strings[$0], rows[$0]) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 },
                    reason: "equal once normalized"))
        }
        // Close keys: compare keys that share their first three characters (blocking, as
        // OpenRefine's nearest-neighbour method does, to keep this linear in practice).
        let keys = byKey.keys.sorted()
        var blocks: [String: [String]] = [:]
        for key in keys where key.count >= 6 { blocks[String(key.prefix(3)), default: []].append(key) }
        for (_, block) in blocks.sorted(by: { $0.key < $1.key }) where block.count > 1 && block.count <= 2000 {
            let chars = block.map { Array($0) }
            for a in 0..<block.count {
                for b in (a + 1)..<block.count {
                    let limit = min(2, max(1, min(chars[a].count, chars[b].count) / 8))
                    // `CUA 5` and `CUA 10` are two names: numbers must agree.
                    guard chars[a].filter(\.isNumber) == chars[b].filter(\.isNumber),
                        abs(chars[a].count - chars[b].count) <= limit,
                        let d = editDistance(chars[a], chars[b], limit: limit), d > 0
                    else { continue }
                    let members = (byKey[block[a]]! + byKey[block[b]]!)
                    groups.append(
                        NearDuplicates(
                            names: members.map { (strings[$0], rows[$0]) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 },
                            reason: "\(d) letter\(d == 1 ? "" : "s") apart"))
                }
            }
        }
        return groups.sorted {
            let (ra, rb) = ($0.names.reduce(0) { $0 + $1.1 }, $1.names.reduce(0) { $0 + $1.1 })
            return ra != rb ? ra > rb : $0.names[0].0 < $1.names[0].0
        }
    }

    /// Levenshtein distance, or nil once it exceeds `limit`.
    package static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var rowMin = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return nil }
            swap(&previous, &current)
        }
        let d = previous[b.count]
        return d <= limit ? d : nil
    }
}
