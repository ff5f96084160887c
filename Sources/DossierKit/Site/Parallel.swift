import Dispatch

/// Slots that each index of a parallel loop writes exactly once.
private final class Slots<R>: @unchecked Sendable {
    var values: [R?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}

/// Maps `items` on all cores, keeping their order. `body` must not depend on call order.
func parallelMap<T: Sendable, R>(_ items: [T], _ body: @Sendable (T) -> R) -> [R] {
    let slots = Slots<R>(count: items.count)
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            out[i] = body(items[i])
        }
    }
    return slots.values.map { $0! }
}
