import Yams

/// A dataset's sidecar `Data/NAME.schema.yml`: metadata and column declarations.
package struct Schema: Sendable {
    struct ColumnSpec: Sendable {
        var column: Column
        /// Where the column is declared, for "the data has no such column" errors.
        var line: Int?
        var columnNumber: Int?
    }

    var meta = DatasetMeta()
    var columns: [ColumnSpec] = []

    package static func parse(_ text: String) throws(LocalError) -> Schema {
        guard let root = try YAML.compose(text) else { return Schema() }
        guard root.isMapping else { throw root.error("a schema must be a mapping with 'columns:' and metadata") }
        var schema = Schema()
        for (key, node) in root.pairs {
            switch key {
            case "title": schema.meta.title = try node.text("title")
            case "licence", "license": schema.meta.licence = try node.text("licence")
            case "notes": schema.meta.notes = try node.text("notes")
            case "source":
                if case .scalar = node {
                    schema.meta.sourceName = try node.text("source")
                    continue
                }
                for (skey, snode) in node.pairs {
                    switch skey {
                    case "name": schema.meta.sourceName = try snode.text("source.name")
                    case "url":
                        let url = try snode.text("source.url")
                        guard SafeURL.isAllowed(url) else {
                            throw snode.error(
                                SafeURL.problem("source.url", url), hint: "write the address as https://…")
                        }
                        schema.meta.sourceURL = url
                    case "retrieved":
                        let text = try snode.text("source.retrieved")
                        guard let date = DateValue(iso: text) else {
                            throw snode.error("source.retrieved '\(text)' is not an ISO 8601 date")
                        }
                        schema.meta.retrieved = date
                    default:
                        throw snode.error("unknown source key '\(skey)'", hint: "known: name, url, retrieved")
                    }
                }
            case "figures":
                for (fkey, fnode) in node.pairs {
                    switch fkey {
                    case "name": schema.meta.figureName = try fnode.text("figures.name")
                    case "value": schema.meta.figureValue = try fnode.text("figures.value")
                    default: throw fnode.error("unknown figures key '\(fkey)'", hint: "known: name, value")
                    }
                }
                guard schema.meta.figureName != nil, schema.meta.figureValue != nil else {
                    throw node.error(
                        "figures needs the column of names and the column of values: {name: id, value: value}")
                }
                schema.meta.figuresLine = node.line
                schema.meta.figuresColumn = node.column
            case "columns":
                guard case .mapping(let map) = node else {
                    throw node.error("columns must map each column name to its declaration")
                }
                for pair in map {
                    schema.columns.append(try parseColumn(pair.key.string ?? "", pair.value, key: pair.key))
                }
            default:
                throw node.error(
                    "unknown schema key '\(key)'", hint: "known: title, source, licence, notes, figures, columns")
            }
        }
        return schema
    }

    private static func parseColumn(_ name: String, _ spec: Node, key keyNode: Node) throws(LocalError) -> ColumnSpec {
        var column = Column(name: name, type: .text)
        // A bare type: `year: integer`.
        if case .scalar = spec {
            column.type = try type(spec)
            return ColumnSpec(column: column, line: keyNode.line, columnNumber: keyNode.column)
        }
        guard spec.isMapping else { throw spec.error("column '\(name)' must be a type or a mapping") }
        var hasType = false
        for (key, node) in spec.pairs {
            switch key {
            case "type":
                column.type = try type(node)
                hasType = true
            case "required": column.required = try node.bool("required")
            case "values", "allowed": column.allowed = try node.strings("values")
            case "unit", "currency": column.unit = try node.text(key)
            case "label": column.label = try node.text("label")
            case "description": column.description = try node.text("description")
            case "role":
                let role = try node.text("role")
                guard role == "source" else {
                    throw node.error(
                        "unknown column role '\(role)'", hint: "the one role is 'source': where each row comes from")
                }
                column.role = role
            default:
                throw node.error(
                    "unknown column key '\(key)'",
                    hint: "known: type, required, values, unit, currency, label, description, role")
            }
        }
        if !hasType, column.allowed == nil { column.type = .text }
        return ColumnSpec(column: column, line: keyNode.line, columnNumber: keyNode.column)
    }

    private static func type(_ node: Node) throws(LocalError) -> ColumnType {
        let text = try node.text("type")
        guard let type = ColumnType(rawValue: text) else {
            throw node.error(
                "unknown column type '\(text)'",
                hint: "use one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return type
    }
}
