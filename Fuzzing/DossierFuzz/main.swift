import DossierKit
import Foundation

/// The kind of source this run fuzzes, from `FUZZ_TARGET` (`csv`, `front-matter`, …; see
/// `_FuzzEntry`), read once.
enum Selected {
    static let entry: _FuzzEntry = {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let entry = _FuzzEntry(rawValue: name) else {
            let known = _FuzzEntry.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(known)\n".utf8))
            exit(2)
        }
        return entry
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    Selected.entry.run(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}
