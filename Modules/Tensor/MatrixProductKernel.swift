import CBackpropKernels

/// A micro-kernel family of the matrix product, chosen once at run time from what the CPU supports.
///
/// `Tensor.matmul` uses ``active``: AVX2 + FMA on x86-64 CPUs that have both, the portable kernel
/// elsewhere. No compiler flag is involved, so one binary runs everywhere (see docs/performance.md).
/// Tests and benchmarks run a chosen family with ``gemm(transposeA:transposeB:m:n:k:alpha:a:lda:aRows:b:ldb:beta:c:ldc:threads:)``
/// without changing what concurrent callers get.
///
/// ```swift
/// print(MatrixProductKernel.active)          // "avx2-fma" on this machine
/// MatrixProductKernel.portable.gemm(...)     // force the plain-C path for one call
/// ```
///
/// Semantics:
/// - every family computes the same product; results differ from each other only by rounding
///   (summation order), and one family gives bit-identical results on one or two threads;
/// - selecting a family the CPU cannot run is refused, never a crash.
public enum MatrixProductKernel: Sendable, CaseIterable, CustomStringConvertible {
    /// Plain C with vector extensions: SSE2 code on baseline x86-64, NEON on arm64.
    case portable
    /// 6×16 Float / 6×8 Double register tiles with AVX2 and FMA (x86-64).
    case avx2

    /// The C library's code for the family.
    var code: Int32 {
        switch self {
        case .portable: Int32(BP_GEMM_KERNEL_PORTABLE)
        case .avx2: Int32(BP_GEMM_KERNEL_AVX2)
        }
    }

    /// The family `Tensor.matmul` uses now: the CPU's best unless ``select(_:)`` chose another.
    public static var active: MatrixProductKernel {
        bp_gemm_kernel() == Int32(BP_GEMM_KERNEL_AVX2) ? .avx2 : .portable
    }

    /// Whether this CPU can run the family.
    public var isSupported: Bool { bp_gemm_kernel_supported(code) != 0 }

    /// The family's short name ("portable", "avx2-fma").
    public var description: String { String(cString: bp_gemm_kernel_name(code)) }

    /// Makes `kernel` the family of every later product in the process (`nil`: the CPU's best).
    ///
    /// - Returns: `false`, changing nothing, when the CPU cannot run `kernel`.
    @discardableResult
    public static func select(_ kernel: MatrixProductKernel?) -> Bool {
        bp_gemm_set_kernel(kernel?.code ?? Int32(BP_GEMM_KERNEL_AUTO)) == 0
    }

    /// The most threads a product started on the calling thread may use (1 or 2): the thread's own
    /// limit inside ``withThreadLimit(_:_:)``, else the shared limit it follows (``following(_:_:)``),
    /// else the process-wide one (2). Large products use both cores by default; small ones always run
    /// on the calling thread.
    public static var threadLimit: Int {
        let own = bp_gemm_thread_threads()
        if own > 0 { return Int(own) }
        if let share = bp_gemm_thread_share(), bp_gemm_load_share(share) > 0 { return Int(bp_gemm_load_share(share)) }
        return Int(bp_gemm_threads())
    }

    /// Runs `body` with the products, gathers and axpy passes it starts on the calling thread limited to
    /// `limit` threads (1 or 2), then restores the thread's previous limit.
    ///
    /// The limit belongs to the calling thread alone, so concurrent callers never change each other's:
    /// several trainings at once (`ParallelWork`, in BackpropTraining) each keep their products on their own thread, while
    /// a training elsewhere in the process still uses both cores.
    ///
    /// ```swift
    /// let history = MatrixProductKernel.withThreadLimit(1) { trainer.fit(...) }
    /// ```
    public static func withThreadLimit<Result>(_ limit: Int, _ body: () throws -> Result) rethrows -> Result {
        let previous = bp_gemm_thread_threads()
        bp_gemm_set_thread_threads(Int32(clamping: max(1, min(limit, 2))))
        defer { bp_gemm_set_thread_threads(previous) }
        return try body()
    }

    /// Row-major `C = alpha · op(A) · op(B) + beta · C` with this family and at most `threads` threads,
    /// for this call only (0: the calling thread's limit); arguments as in `MatrixProductScalar.gemm`
    /// (strides in elements, `beta == 0` ignores the old contents of C). With `aRows`, stored row r of
    /// A starts at `a + aRows[r] · lda` (rows read in place, as `IndexedRows` products do). An
    /// unsupported family runs the portable kernel.
    @inlinable
    public func gemm<Scalar: MatrixProductScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Scalar, a: UnsafePointer<Scalar>, lda: Int, aRows: UnsafePointer<Int>? = nil,
        b: UnsafePointer<Scalar>, ldb: Int, beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int, threads: Int = 0
    ) {
        Scalar.gemm(
            kernel: self, threads: threads, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            alpha: alpha, a: a, lda: lda, aRows: aRows, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
