import CBackpropKernels

/// A thread limit that several threads follow and any thread may change while they run.
///
/// ``MatrixProductKernel/withThreadLimit(_:_:)`` fixes a limit for one thread for the length of a call.
/// A group of jobs sharing the cores needs a limit that follows the group instead: one thread each
/// while two jobs run, both threads for the last job left. Threads join the group with
/// ``MatrixProductKernel/following(_:_:)``; the products, gathers and axpy passes they start read
/// ``limit`` each time.
///
/// Semantics:
/// - `limit` is 1 or 2 (values outside are clamped); a change is seen by the next product of every
///   thread that follows it, never by a product already running;
/// - a thread's own limit (`withThreadLimit`) wins over a shared one;
/// - a product rounds the same on one thread or two, so changing the limit never changes a result.
public final class SharedThreadLimit: @unchecked Sendable {
    /// The stored value; written and read with atomic operations only.
    let storage: UnsafeMutablePointer<Int32>

    /// A shared limit of `limit` threads.
    public init(_ limit: Int) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: 0)
        self.limit = limit
    }

    deinit { storage.deallocate() }

    /// The most threads a product of a following thread may use (1 or 2).
    public var limit: Int {
        get { Int(bp_gemm_load_share(storage)) }
        set { bp_gemm_store_share(storage, Int32(clamping: Swift.max(1, Swift.min(newValue, 2)))) }
    }
}

extension MatrixProductKernel {
    /// Runs `body` with the calling thread following `shared` (see ``SharedThreadLimit``), then restores
    /// what it followed before.
    public static func following<Result>(_ shared: SharedThreadLimit, _ body: () throws -> Result) rethrows -> Result {
        let previous = bp_gemm_thread_share()
        bp_gemm_set_thread_share(shared.storage)
        defer { bp_gemm_set_thread_share(previous) }
        return try withExtendedLifetime(shared) { try body() }
    }
}
