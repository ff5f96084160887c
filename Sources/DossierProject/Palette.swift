/// Chart colours. Marks get CSS classes (`c0`…`c7`, `c-positive`, …) whose colours the site's
/// stylesheet defines through custom properties, so dark mode and print can change them; a
/// colour given as `#rrggbb` is written as a `fill` attribute instead.
import Yams

package enum Palette {
    /// Eight colour-blind-safe categorical colours (Okabe and Ito), then named roles.
    package static let categorical = (0..<8).map { "c\($0)" }
    static let roles = ["positive", "negative", "warning", "neutral", "accent", "muted"]
    static var names: [String] { categorical + roles }

    /// The categorical slot a named colour looks like, so other keys avoid it.
    package static func slot(_ color: String) -> Int? {
        switch color {
        case "positive": return 2
        case "negative": return 5
        case "warning": return 1
        case "accent": return 0
        default:
            guard color.hasPrefix("c"), let n = Int(color.dropFirst()), (0..<8).contains(n) else { return nil }
            return n
        }
    }

    static func isValid(_ color: String) -> Bool {
        names.contains(color) || isHex(color)
    }

    static func isHex(_ color: String) -> Bool {
        guard color.hasPrefix("#"), color.count == 7 || color.count == 4 else { return false }
        return color.dropFirst().allSatisfy(\.isHexDigit)
    }

    /// The class and fill for a mark: an explicit colour from the spec or site, else the
    /// categorical colour at `index`.
    package static func paint(key: String, index: Int, spec: [String: String], site: [String: String]) -> (
        className: String, fill: String?
    ) {
        if let color = spec[key] ?? site[key] {
            if isHex(color) { return ("mark", color) }
            return ("mark " + (categorical.contains(color) ? color : "c-" + color), nil)
        }
        return ("mark c\(index % categorical.count)", nil)
    }

    /// Reads a mapping of values to colours (`completed: positive`), checking each colour.
    package static func parse(_ node: Node) throws(LocalError) -> [String: String] {
        guard node.isMapping else { throw node.error("colors must map values to colour names or #rrggbb") }
        var colors: [String: String] = [:]
        for (value, colorNode) in node.pairs {
            let color = try colorNode.text("colour")
            guard isValid(color) else {
                throw colorNode.error(
                    "unknown colour '\(color)'", hint: "use #rrggbb or one of \(names.joined(separator: ", "))")
            }
            colors[value] = color
        }
        return colors
    }
}
