import BackpropTensor
import Dispatch
import Foundation

/// Runs independent jobs on several threads, at most `maxConcurrent` at a time, in submission order.
///
/// Used for the trials of a λ search and the experiments of an example: each job builds its own model
/// and generator, so jobs share nothing mutable. `maxConcurrent` of 1 runs the jobs one after another
/// on the calling thread's queue, which is what to compare against when measuring the speed-up.
///
/// While more than one job runs at once, each job's matrix products are kept to its own thread: the
/// jobs already fill the cores, and a product splitting itself over busy cores only adds waiting. When
/// a worker finds no job left, the one job still running gets both cores (a `SharedThreadLimit` the
/// workers follow), so a short job beside a long one leaves no core idle. Nothing process-wide
/// changes, so work elsewhere in the process keeps both cores, and no result depends on the threads.
///
/// Measured for Assignment 2 (3072 → 50 → 10, batch 100): two trainings side by side on one core each
/// do an epoch's work in 0.215 s against 0.23–0.27 s for one training on both cores, which is why
/// jobs run side by side while there are two (docs/performance.md).
public enum ParallelWork {
    /// `body(item)` for every item; the result of item `i` is at index `i`.
    public static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], maxConcurrent: Int, _ body: @escaping @Sendable (Item) throws -> Output
    ) -> [Result<Output, any Error>] {
        let workers = max(1, min(maxConcurrent, items.count))
        guard workers > 1 else {
            return items.map { item in Result { try body(item) } }
        }
        let results = ResultSlots<Output>(count: items.count)
        let next = Counter()
        let share = SharedThreadLimit(1)
        let running = Counter(workers)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            MatrixProductKernel.following(share) {
                while let index = next.take(below: items.count) {
                    results.set(index, Result { try body(items[index]) })
                }
            }
            // This worker is done: with one job left running, that job gets both cores.
            if running.decrement() <= 1 { share.limit = 2 }
        }
        return results.values
    }

    /// A lock-protected counter: the cursor handing out job indices, and the count of workers still
    /// running.
    private final class Counter: @unchecked Sendable {
        private var value: Int
        private let lock = NSLock()

        init(_ value: Int = 0) { self.value = value }

        /// The value after taking one from it.
        func decrement() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value -= 1
            return value
        }

        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }

    /// Results written by the workers under a lock.
    private final class ResultSlots<Output>: @unchecked Sendable {
        private var slots: [Result<Output, any Error>?]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ result: Result<Output, any Error>) {
            lock.lock()
            slots[index] = result
            lock.unlock()
        }

        var values: [Result<Output, any Error>] {
            lock.lock()
            defer { lock.unlock() }
            return slots.map { $0 ?? .failure(CancellationError()) }
        }
    }
}
