import CBackpropKernels

/// A micro-kernel family of the matrix product, chosen once at run time from what the CPU supports.
///
/// `Tensor.matmul` uses ``active``: AVX2 + FMA on x86-64 CPUs that have both, the portable kernel
/// elsewhere. No compiler flag is involved, so one binary runs everywhere (see docs/performance.md).
/// Tests and benchmarks run a chosen family with ``gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:)``
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

    @usableFromInline
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

    /// The most threads one product may use in the whole process (1 or 2); large products use both
    /// cores by default, small ones always run on the calling thread.
    public static var threadLimit: Int {
        get { Int(bp_gemm_threads()) }
        set { bp_gemm_set_threads(Int32(clamping: newValue)) }
    }

    /// Row-major `C = alpha · op(A) · op(B) + beta · C` with this family and at most `threads` threads,
    /// for this call only; arguments as in `TensorScalar.gemm` (strides in elements, `beta == 0` ignores
    /// the old contents of C). With `aRows`, stored row r of A starts at `a + aRows[r] · lda` (rows read
    /// in place, as `IndexedRows` products do). An unsupported family runs the portable kernel.
    @inlinable
    public func gemm<Scalar: TensorScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Scalar, a: UnsafePointer<Scalar>, lda: Int, aRows: UnsafePointer<Int>? = nil,
        b: UnsafePointer<Scalar>, ldb: Int, beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int, threads: Int = 0
    ) {
        let (tA, tB, t) = (Int32(transposeA ? 1 : 0), Int32(transposeB ? 1 : 0), Int32(clamping: threads))
        if Scalar.self == Float.self {
            a.withMemoryRebound(to: Float.self, capacity: 1) { a in
                b.withMemoryRebound(to: Float.self, capacity: 1) { b in
                    c.withMemoryRebound(to: Float.self, capacity: 1) { c in
                        bp_sgemm_rows_using(
                            code, t, tA, tB, m, n, k, Float(alpha), a, lda, aRows, b, ldb, Float(beta), c, ldc)
                    }
                }
            }
        } else if Scalar.self == Double.self {
            a.withMemoryRebound(to: Double.self, capacity: 1) { a in
                b.withMemoryRebound(to: Double.self, capacity: 1) { b in
                    c.withMemoryRebound(to: Double.self, capacity: 1) { c in
                        bp_dgemm_rows_using(
                            code, t, tA, tB, m, n, k, Double(alpha), a, lda, aRows, b, ldb, Double(beta), c, ldc)
                    }
                }
            }
        } else if let aRows {
            // Another TensorScalar: only its own kernel knows its layout.
            Scalar.gemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                aRows: aRows, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        } else {
            Scalar.gemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// Starts packing, on the helper thread, part of A for a coming `gemm` with this family, `threads` and
    /// the same transposes, extents, `a`, `lda` and `aRows` (see `bp_sgemm_rows_prepare`); returns at once.
    /// Only a hint: that product's numbers are the same with or without it. Returns whether the helper
    /// took the job.
    @inlinable @discardableResult
    public func prepareGemm<Scalar: TensorScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Scalar>, lda: Int,
        aRows: UnsafePointer<Int>, threads: Int = 0
    ) -> Bool {
        let (tA, tB, t) = (Int32(transposeA ? 1 : 0), Int32(transposeB ? 1 : 0), Int32(clamping: threads))
        if Scalar.self == Float.self {
            return a.withMemoryRebound(to: Float.self, capacity: 1) {
                bp_sgemm_rows_prepare(code, t, tA, tB, m, n, k, $0, lda, aRows) != 0
            }
        } else if Scalar.self == Double.self {
            return a.withMemoryRebound(to: Double.self, capacity: 1) {
                bp_dgemm_rows_prepare(code, t, tA, tB, m, n, k, $0, lda, aRows) != 0
            }
        }
        return false
    }

    /// How many products so far on the calling thread used a preparation (`prepareGemm`,
    /// `Tensor.prepareMatmul`): for tests and benchmarks.
    public static var preparedProducts: Int { Int(bp_gemm_prepared_count()) }

    /// Makes every preparation made so far (`prepareGemm`, `Tensor.prepareMatmul`, on any thread)
    /// unusable, and returns once the helper thread no longer reads their matrices: for an owner of
    /// prepared rows that lets them go before the product came (a layer deallocated between its
    /// forward and backward passes).
    public static func forgetPreparations() {
        bp_gemm_forget_preparations()
    }
}
