/// A scalar with a matrix-product kernel.
///
/// Semantics:
/// - row-major `C = alpha · op(A) · op(B) + beta · C`, strides in elements; with `beta == 0` the old
///   contents of C are not read (NaNs included);
/// - with `aRows`, stored row r of A starts at `a + aRows[r] · lda` (rows picked out of a larger
///   matrix, read in place), rounding exactly as the product of a copy of those rows;
/// - `kernel` chooses the micro-kernel family (`nil`: the process-wide choice, see
///   ``MatrixProductKernel/active``); a scalar whose kernel has one family ignores it. `threads` caps the
///   threads of this call (0: the calling thread's cap, see ``MatrixProductKernel/withThreadLimit(_:_:)``);
/// - the result does not depend on how many threads ran the product.
public protocol MatrixProductScalar: BinaryFloatingPoint {
    /// Row-major `C = alpha · op(A) · op(B) + beta · C`; see `bp_sgemm_rows_using` for the arguments.
    static func gemm(
        kernel: MatrixProductKernel?, threads: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, aRows: UnsafePointer<Int>?,
        b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension MatrixProductScalar {
    /// The product with the process-wide kernel family and the calling thread's thread cap.
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, aRows: UnsafePointer<Int>? = nil,
        b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    ) {
        gemm(
            kernel: nil, threads: 0, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, aRows: aRows, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
