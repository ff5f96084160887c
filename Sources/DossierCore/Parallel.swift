import Dispatch
import Foundation

/// Slots that each index of a parallel loop writes exactly once.
private final class Slots<R>: @unchecked Sendable {
    package var values: [R?]
    package init(count: Int) { values = Array(repeating: nil, count: count) }
}

/// Switches the build to one thread, for tests that compare it with the parallel build.
package enum Parallel {
    @TaskLocal package static var serial = false
}

/// Progress of the running build step: parallel loops report how many of their items are done.
/// Process-wide (a task-local value crashed when set outside a task on Linux), so only the
/// command line sets it, for the one build it runs.
package enum Progress {
    nonisolated(unsafe) private static var current: (@Sendable (Int, Int) -> Void)?
    private static let lock = NSLock()

    /// Called with (done, total) as items finish, from any thread.
    package static var sink: (@Sendable (Int, Int) -> Void)? { lock.withLock { current } }

    package static func with<R>(_ sink: (@Sendable (Int, Int) -> Void)?, _ body: () -> R) -> R {
        guard let sink else { return body() }
        let previous = lock.withLock {
            let previous = current
            current = sink
            return previous
        }
        defer { lock.withLock { current = previous } }
        return body()
    }

    /// Loops shorter than this are not worth reporting.
    package static let minimumItems = 200
}

/// Counts finished items from any thread and reports every `step`th.
private final class ProgressCounter: @unchecked Sendable {
    private var done = 0
    private let lock = NSLock()
    package let total: Int
    package let step: Int
    package let sink: @Sendable (Int, Int) -> Void

    package init(total: Int, sink: @escaping @Sendable (Int, Int) -> Void) {
        self.total = total
        self.step = max(1, total / 200)
        self.sink = sink
    }

    package func tick() {
        let n = lock.withLock {
            done += 1
            return done
        }
        if n % step == 0 || n == total { sink(n, total) }
    }
}

/// Runs `first` and `second` side by side, or one after the other when the build is serial,
/// and returns both results.
package func sideBySide<A, B>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    if Parallel.serial { return (first(), second()) }
    nonisolated(unsafe) var a: A?
    nonisolated(unsafe) var b: B?
    DispatchQueue.concurrentPerform(iterations: 2) { i in
        if i == 0 { a = first() } else { b = second() }
    }
    return (a!, b!)
}

/// Maps `items` on all cores, keeping their order. `body` must not depend on call order.
package func parallelMap<T: Sendable, R>(_ items: [T], _ body: @Sendable (T) -> R) -> [R] {
    let counter =
        items.count >= Progress.minimumItems ? Progress.sink.map { ProgressCounter(total: items.count, sink: $0) } : nil
    if Parallel.serial {
        return items.map {
            let result = body($0)
            counter?.tick()
            return result
        }
    }
    let slots = Slots<R>(count: items.count)
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            out[i] = body(items[i])
            counter?.tick()
        }
    }
    return slots.values.map { $0! }
}
