import Foundation

/// The character encodings a dataset may declare (`encoding:` in its schema), and the
/// transcoding of its bytes to UTF-8 before they are read. UTF-8 (with or without a byte-order
/// mark) and UTF-16 with a byte-order mark are recognised without a declaration.
package enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
    case latin1 = "iso-8859-1"
    case windows1251 = "windows-1251"
    case koi8r = "koi8-r"
    /// Mac OS Roman: files from old Macs, often with bare CR line endings.
    case macRoman = "macintosh"

    /// The encoding a schema names, in any of its usual spellings.
    package init?(name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "utf8", "utf8bom", "utf8sig": self = .utf8
        case "utf16", "utf16le": self = .utf16LE
        case "utf16be": self = .utf16BE
        case "windows1252", "cp1252", "win1252": self = .windows1252
        case "latin1", "iso88591", "l1": self = .latin1
        case "windows1251", "cp1251", "win1251": self = .windows1251
        case "koi8r", "koi8": self = .koi8r
        case "macintosh", "macroman", "mac": self = .macRoman
        default: return nil
        }
    }

    /// Every encoding's name, for hints.
    package static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The encoding a byte-order mark at the start of `data` names, if it has one.
    package static func byteOrderMark(_ data: Data) -> TextEncoding? {
        if data.starts(with: [0xFF, 0xFE]) { return .utf16LE }
        if data.starts(with: [0xFE, 0xFF]) { return .utf16BE }
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        return nil
    }

    /// The bytes as UTF-8: in the declared encoding, or the one a byte-order mark names. UTF-8
    /// input comes back unchanged (its validity is checked where it is read). A byte the
    /// encoding does not define is an error at its line and column.
    package static func utf8(_ data: Data, declared: TextEncoding?) throws(LocalError) -> Data {
        let bom = byteOrderMark(data)
        switch bom ?? declared ?? .utf8 {
        case .utf8: return data
        case .utf16LE: return try utf16(data, bigEndian: false, skip: bom == nil ? 0 : 2)
        case .utf16BE: return try utf16(data, bigEndian: true, skip: bom == nil ? 0 : 2)
        case .latin1: return singleByte(data, table: nil)
        case .windows1252: return try checkedSingleByte(data, table: windows1252Table, name: "windows-1252")
        case .windows1251: return try checkedSingleByte(data, table: windows1251Table, name: "windows-1251")
        case .koi8r: return singleByte(data, table: koi8rTable)
        case .macRoman: return singleByte(data, table: macRomanTable)
        }
    }

    /// ``mismatch(_:declared:)`` as the loaders report it: thrown when it stops the file, else a
    /// warning to show beside what the file reads as.
    package static func check(_ data: Data, declared: TextEncoding?, path: String) throws(Diagnostic) -> Diagnostic? {
        guard let (problem, isError) = mismatch(data, declared: declared) else { return nil }
        let diagnostic = problem.diagnostic(in: path, code: .sourceEncoding)
        if isError { throw diagnostic }
        return diagnostic.asWarning
    }

    /// What the bytes say against the declared encoding (or its absence): a byte-order mark
    /// naming another encoding, the NUL bytes of UTF-16 where a byte-per-character encoding is
    /// read (or UTF-16 of the other byte order), and valid multi-byte UTF-8 declared as a code
    /// page. Each at its line, with what to declare; `isError` when the file cannot be meant as
    /// read (UTF-16, half its bytes NUL, read a byte per character).
    static func mismatch(_ data: Data, declared: TextEncoding?) -> (problem: LocalError, isError: Bool)? {
        let bom = byteOrderMark(data)
        if let bom, let declared, bom != declared {
            return (
                LocalError(
                    line: 1, column: 1,
                    "the file starts with a \(bom.rawValue) byte-order mark, but its schema declares encoding: \(declared.rawValue); it is read as \(bom.rawValue)",
                    hint: "declare encoding: \(bom.rawValue), or leave it out (the mark says it)"), false
            )
        }
        guard bom == nil else { return nil }
        let sample = data.prefix(1 << 16)
        // The line of the byte at `offset` of the sample.
        func line(of offset: Int) -> Int {
            1 + sample.prefix(offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        var zeros = (even: 0, odd: 0)
        var firstZero: Int?
        for (k, b) in sample.enumerated() where b == 0 {
            if k % 2 == 0 { zeros.even += 1 } else { zeros.odd += 1 }
            if firstZero == nil { firstZero = k }
        }
        if let firstZero, zeros.even + zeros.odd >= max(2, sample.count / 10) {
            // ASCII in UTF-16LE is `a 00`, in UTF-16BE `00 a`.
            let looks: TextEncoding = zeros.odd >= zeros.even ? .utf16LE : .utf16BE
            switch declared {
            case .utf16LE, .utf16BE:
                guard declared != looks else { return nil }
                return (
                    LocalError(
                        line: 1, column: 1,
                        "the schema declares encoding: \(declared!.rawValue), but the bytes are in the other order: they look like \(looks.rawValue)",
                        hint: "declare encoding: \(looks.rawValue)"), false
                )
            case nil, .utf8:
                return (
                    LocalError(
                        line: line(of: firstZero), column: 1,
                        "the file has NUL bytes between its letters: it looks like \(looks.rawValue) without a byte-order mark",
                        hint: "declare encoding: \(looks.rawValue) in its schema, or save it as UTF-8"), true
                )
            default:
                return (
                    LocalError(
                        line: line(of: firstZero), column: 1,
                        "the file has NUL bytes between its letters, which \(declared!.rawValue) does not have: it looks like \(looks.rawValue)",
                        hint: "declare encoding: \(looks.rawValue)"), true
                )
            }
        }
        // Valid UTF-8 with multi-byte letters, declared as a code page: every letter would come
        // out as two (`Привет` as `РџСЂРёРІРµС‚`).
        if let declared, declared != .utf8, declared != .utf16LE, declared != .utf16BE,
            let first = sample.firstIndex(where: { $0 >= 0x80 })
        {
            var cut = sample.endIndex
            // A sample cut inside a character is still UTF-8 up to that character.
            while cut > sample.startIndex, cut - sample.startIndex > sample.count - 4, sample[cut - 1] >= 0x80 { cut -= 1 }
            let prefix = data.count == sample.count ? sample : sample[..<cut]
            if String(validating: prefix, as: UTF8.self) != nil {
                let shown = String(decoding: data[first...].prefix(24), as: UTF8.self).split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
                let misread = (try? String(decoding: TextEncoding.utf8(Data(shown.utf8), declared: declared), as: UTF8.self)) ?? ""
                return (
                    LocalError(
                        line: line(of: first - sample.startIndex), column: 1,
                        "the file is valid UTF-8, but its schema declares encoding: \(declared.rawValue): '\(shown)' would read as '\(misread)'",
                        hint: "leave out encoding: (UTF-8 is read without it), or check that the file is really \(declared.rawValue)"), false
                )
            }
        }
        return nil
    }

    private static func checkedSingleByte(_ data: Data, table: [UInt16], name: String) throws(LocalError) -> Data {
        // The first byte the code page lacks, then (only then) its line and column.
        let bad: Int? = data.withUnsafeBytes { raw in
            raw.firstIndex { $0 >= 0x80 && table[Int($0) - 0x80] == 0 }
        }
        if let bad {
            var line = 1
            var column = 1
            data.withUnsafeBytes { raw in
                for i in 0..<bad {
                    let b = raw[i]
                    if b == 0x0A || (b == 0x0D && raw[i + 1] != 0x0A) {
                        line += 1
                        column = 1
                    } else if b != 0x0D {
                        column += 1
                    }
                }
            }
            let b = data[data.startIndex + bad]
            throw LocalError(
                line: line, column: column,
                "byte 0x\(String(b, radix: 16, uppercase: true)) is not a character in \(name)",
                hint: "check the file's encoding: the schema's 'encoding:' says how to read it")
        }
        return singleByte(data, table: table)
    }

    /// Each byte as the character the table (or Latin-1) gives it, in UTF-8: ASCII as it is,
    /// the rest in two or three bytes.
    private static func singleByte(_ data: Data, table: [UInt16]?) -> Data {
        let out = data.withUnsafeBytes { raw in
            [UInt8](unsafeUninitializedCapacity: raw.count * 3) { buffer, written in
                var n = 0
                for b in raw {
                    if b < 0x80 {
                        buffer[n] = b
                        n += 1
                        continue
                    }
                    let scalar = table.map { UInt32($0[Int(b) - 0x80]) } ?? UInt32(b)
                    for byte in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! {
                        buffer[n] = byte
                        n += 1
                    }
                }
                written = n
            }
        }
        return Data(out)
    }

    private static func utf16(_ data: Data, bigEndian: Bool, skip: Int) throws(LocalError) -> Data {
        let bytes = [UInt8](data)
        guard (bytes.count - skip) % 2 == 0 else {
            throw LocalError(
                line: 1, column: 1, "a UTF-16 file has an even number of bytes; this one ends in half a character",
                hint: "check the file's encoding, or save it as UTF-8")
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = skip
        while i + 1 < bytes.count {
            units.append(
                bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
            i += 2
        }
        var out = [UInt8]()
        out.reserveCapacity(units.count)
        var line = 1
        var column = 1
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                out.append(contentsOf: UTF8.encode(scalar)!)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput: break loop
            case .error:
                throw LocalError(
                    line: line, column: column, "the file is not valid UTF-16 (half of a surrogate pair)",
                    hint: "check the file's encoding, or save it as UTF-8")
            }
        }
        return Data(out)
    }

    /// A guess at the code page of a file that is not UTF-8, for the hint of its error:
    /// Cyrillic text in windows-1251 is mostly bytes 0xC0-0xFF in runs (whole words), Western
    /// text in windows-1252 has them alone (an accented letter in an ASCII word), and a file
    /// with bare CR line ends comes from an old Mac (macintosh).
    package static func guess(_ data: Data) -> TextEncoding {
        var high = 0
        var runs = 0
        var previousHigh = false
        for b in data.prefix(1 << 20) {
            let isHigh = b >= 0xC0
            if isHigh { high += 1 }
            if isHigh && previousHigh { runs += 1 }
            previousHigh = isHigh
        }
        if high > 0 && runs * 2 > high { return .windows1251 }
        // Bare CR line ends are the old Mac's: its code page came with them.
        if let cr = data.firstIndex(of: 0x0D), data.index(after: cr) < data.endIndex, data[data.index(after: cr)] != 0x0A {
            return .macRoman
        }
        return .windows1252
    }

    static let windows1252Table: [UInt16] = [
        0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017D, 0x0000,
        0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
        0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
        0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
    ]

    static let windows1251Table: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
        0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
        0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
        0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
        0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
        0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
        0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
        0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
        0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    ]

    static let macRomanTable: [UInt16] = [
        0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1,
        0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,
        0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
        0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,
        0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF,
        0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
        0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211,
        0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8,
        0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
        0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
        0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA,
        0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
        0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,
        0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,
        0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
        0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
    ]

    static let koi8rTable: [UInt16] = [
        0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524,
        0x252C, 0x2534, 0x253C, 0x2580, 0x2584, 0x2588, 0x258C, 0x2590,
        0x2591, 0x2592, 0x2593, 0x2320, 0x25A0, 0x2219, 0x221A, 0x2248,
        0x2264, 0x2265, 0x00A0, 0x2321, 0x00B0, 0x00B2, 0x00B7, 0x00F7,
        0x2550, 0x2551, 0x2552, 0x0451, 0x2553, 0x2554, 0x2555, 0x2556,
        0x2557, 0x2558, 0x2559, 0x255A, 0x255B, 0x255C, 0x255D, 0x255E,
        0x255F, 0x2560, 0x2561, 0x0401, 0x2562, 0x2563, 0x2564, 0x2565,
        0x2566, 0x2567, 0x2568, 0x2569, 0x256A, 0x256B, 0x256C, 0x00A9,
        0x044E, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433,
        0x0445, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E,
        0x043F, 0x044F, 0x0440, 0x0441, 0x0442, 0x0443, 0x0436, 0x0432,
        0x044C, 0x044B, 0x0437, 0x0448, 0x044D, 0x0449, 0x0447, 0x044A,
        0x042E, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413,
        0x0425, 0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E,
        0x041F, 0x042F, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412,
        0x042C, 0x042B, 0x0417, 0x0428, 0x042D, 0x0429, 0x0427, 0x042A,
    ]
}
