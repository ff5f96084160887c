import Foundation

/// Where the pages of a build go, one file at a time from any thread: the staging folder of
/// `dossier build` (``OutputWriter/Staging``), memory, or nowhere (`dossier check`). The build
/// is the same whatever the sink: `check` refuses exactly what `build` refuses.
protocol PageSink: Sendable {
    /// Takes one file; returns its size.
    @discardableResult
    func write(_ file: OutputFile) throws(Diagnostic) -> Int
}

extension PageSink {
    /// ``write(_:)`` with its outcome as a value, for `parallelMap`.
    func attempt(_ file: OutputFile) -> Result<Int, Diagnostic> {
        do throws(Diagnostic) { return .success(try write(file)) } catch { return .failure(error) }
    }
}

/// A sink that keeps nothing, for `dossier check`: paths are still checked as the disk would.
struct NullSink: PageSink {
    @discardableResult
    func write(_ file: OutputFile) throws(Diagnostic) -> Int {
        guard OutputWriter.isSafe(file.path) else {
            throw Diagnostic(
                SourceLocation(path: file.origin), "refusing to write '\(file.path)' outside the output folder",
                code: .outputWrite)
        }
        return file.bytes.count
    }
}

extension OutputWriter.Staging: PageSink {}
