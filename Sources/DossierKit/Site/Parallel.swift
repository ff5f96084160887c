import Dispatch

/// Slots that each index of a parallel loop writes exactly once.
private final class Slots<R>: @unchecked Sendable {
    var values: [R?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}

/// Switches the build to one thread, for tests that compare it with the parallel build.
enum Parallel {
    @TaskLocal static var serial = false
}

/// Maps `items` on all cores, keeping their order. `body` must not depend on call order.
func parallelMap<T: Sendable, R>(_ items: [T], _ body: @Sendable (T) -> R) -> [R] {
    if Parallel.serial { return items.map(body) }
    let slots = Slots<R>(count: items.count)
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            out[i] = body(items[i])
        }
    }
    return slots.values.map { $0! }
}
