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

/// ``parallelMap(_:_:)`` on one thread more than there are cores, for loops whose items wait
/// for the disk: writing 100,000 pages on ext4 waits thousands of times for inode tables and
/// bitmaps to be read, and for the folder being added to, and a core whose only thread waits
/// has nothing to do. Each thread takes the next items in turn; results keep their order.
package func parallelMapCoveringWaits<T: Sendable, R>(_ items: [T], _ body: @Sendable (T) -> R) -> [R] {
    let threads = ProcessInfo.processInfo.activeProcessorCount + 1
    guard !Parallel.serial, items.count > threads else { return parallelMap(items, body) }
    let counter =
        items.count >= Progress.minimumItems ? Progress.sink.map { ProgressCounter(total: items.count, sink: $0) } : nil
    let slots = Slots<R>(count: items.count)
    let next = NextIndex()
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            // Threads of their own, joined before the closure's scope ends: a dispatch queue
            // runs no more threads than cores, whether they wait or not.
            var started: [pthread_t] = []
            for _ in 0..<threads {
                let worker = Unmanaged.passRetained(
                    Worker {
                        while let range = next.take(8, of: items.count) {
                            for i in range {
                                out[i] = body(items[i])
                                counter?.tick()
                            }
                        }
                    }
                ).toOpaque()
                var attributes = pthread_attr_t()
                pthread_attr_init(&attributes)
                // As large as the main thread's: templates and charts recurse.
                pthread_attr_setstacksize(&attributes, 8 << 20)
                var thread = pthread_t()
                let made = pthread_create(
                    &thread, &attributes,
                    { context in
                        Unmanaged<Worker>.fromOpaque(context!).takeRetainedValue().run()
                        return nil
                    }, worker)
                pthread_attr_destroy(&attributes)
                if made == 0 {
                    started.append(thread)
                } else {
                    // No thread to be had: this one does the work.
                    Unmanaged<Worker>.fromOpaque(worker).takeRetainedValue().run()
                }
            }
            for thread in started { pthread_join(thread, nil) }
        }
    }
    return slots.values.map { $0! }
}

/// What one thread of ``parallelMapCoveringWaits(_:_:)`` runs.
private final class Worker {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// Hands out the indices of a loop in runs, to any thread.
private final class NextIndex: @unchecked Sendable {
    private var next = 0
    private let lock = NSLock()

    func take(_ run: Int, of count: Int) -> Range<Int>? {
        lock.withLock {
            guard next < count else { return nil }
            let range = next..<min(next + run, count)
            next = range.upperBound
            return range
        }
    }
}
