/// Which addresses from data and settings may become links: `http:`, `https:` and relative
/// ones. Anything else (`javascript:`, `data:`, `vbscript:`, `file:`) would run or reach what a
/// reader did not ask for, and a URL holding a control character or a space is no URL.
package enum SafeURL {
    package static func isAllowed(_ url: String) -> Bool {
        guard !url.isEmpty else { return false }
        for scalar in url.unicodeScalars where scalar.value <= 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F) {
            return false
        }
        // A scheme is what comes before the first `:`, if no `/`, `?` or `#` comes first.
        guard let colon = url.firstIndex(of: ":") else { return true }
        let head = url[..<colon]
        if head.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        let scheme = head.lowercased()
        return scheme == "http" || scheme == "https"
    }

    /// The error for a refused address, with the key it was written under.
    package static func problem(_ key: String, _ url: String) -> String {
        "\(key) '\(url)' is not an http, https or relative address"
    }
}

extension SafeURL {
    /// A file name as one path segment of a URL: every byte but letters, digits and `-._~`
    /// percent-encoded (`a#b c.csv` → `a%23b%20c.csv`), so the name cannot end the path.
    package static func pathSegment(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}

extension SafeURL {
    /// A path under the site as a URL's path: each segment as ``pathSegment(_:)`` makes it, the
    /// slashes kept (`ru/бюджет/` → `ru/%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82/`). Sitemaps
    /// and feeds must carry URIs, not IRIs.
    package static func path(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { pathSegment(String($0)) }.joined(separator: "/")
    }
}
