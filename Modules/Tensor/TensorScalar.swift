/// A floating-point type that tensors can hold: `Float` for speed, `Double` for gradient checks.
///
/// The requirements are the kernels every hot loop of a training step goes through. They are
/// requirements rather than generic functions so that code generic over the scalar (a layer written
/// once for `Float` and `Double`) still runs concrete, vectorised loops: one dynamic call per operation,
/// never one per element.
///
/// Semantics: every kernel works on dense buffers of `count` elements; the buffers of one call may not
/// overlap unless the documentation says so.
public protocol TensorScalar: BinaryFloatingPoint, Sendable, Codable, CustomStringConvertible
where RawSignificand: FixedWidthInteger {
    /// The NumPy type string of the scalar in little-endian order (`<f4`, `<f8`).
    static var numpyDescriptor: String { get }

    /// Row-major `C = alpha · op(A) · op(B) + beta · C`; see `bp_sgemm` for the argument meanings.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// `gemm` with the rows of A picked out of a larger matrix, read in place: stored row r of A starts at
    /// `a + aRows[r] · lda`. Rounds exactly as `gemm` on a copy of those rows; see `bp_sgemm_rows_using`.
    /// (A scalar whose kernel takes only stored matrices can gather the rows into a copy and call `gemm`.)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, aRows: UnsafePointer<Int>,
        b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// Starts packing, on the product helper thread, part of A for a coming `gemm(…aRows:…)` with the same
    /// transposes, extents, `a`, `lda` and rows, and returns at once: whether the helper took the job; see
    /// `bp_sgemm_rows_prepare`. Only a hint: the product's result is the same with or without it (the
    /// default does nothing).
    @discardableResult
    static func prepareGemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int,
        aRows: UnsafePointer<Int>) -> Bool

    /// Shortens `array` to `count` elements or lengthens it with zeros, keeping its first elements.
    static func resize(_ array: inout [Self], to count: Int)

    /// `y += alpha · x`.
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// `value += rate · (gradient + decay · value)`, element by element in one pass: an L2 term and a plain
    /// SGD step fused, `value` rounding exactly as two `axpy` passes through a copy of the gradient would.
    /// `gradient` is only read.
    static func decayAndStep(
        count: Int, decay: Self, rate: Self, value: UnsafeMutablePointer<Self>, gradient: UnsafePointer<Self>)

    /// `x *= alpha` in place.
    static func scale(_ x: UnsafeMutablePointer<Self>, count: Int, by alpha: Self)

    /// `Σ xᵢ · yᵢ`, accumulated in `Double`.
    static func dot(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Double

    /// Adds `row` (of `columns` elements) to each of the `rows` rows of `matrix`.
    static func addRow(_ row: UnsafePointer<Self>, to matrix: UnsafeMutablePointer<Self>, rows: Int, columns: Int)

    /// Writes the column sums of a `rows × columns` matrix to `sums`.
    static func columnSums(_ matrix: UnsafePointer<Self>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Self>)

    /// `y = max(x, 0)` element-wise (0 where x is NaN); `y` may be `x`.
    static func relu(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)

    /// `y[r][c] = max(x[r][c] + bias[c], 0)` for a `rows × columns` matrix: a linear layer's bias and the
    /// ReLU after it in one pass, rounded as the two passes.
    static func biasRelu(
        _ x: UnsafePointer<Self>, bias: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int)

    /// The ReLU's backward rule: `inputGradient[i] = output[i] > 0 ? gradient[i] : 0`.
    static func reluBackward(
        output: UnsafePointer<Self>, gradient: UnsafePointer<Self>, into inputGradient: UnsafeMutablePointer<Self>,
        count: Int)

    /// `x *= y` element-wise, in place (masks and dropout).
    static func multiplyInPlace(_ x: UnsafeMutablePointer<Self>, by y: UnsafePointer<Self>, count: Int)

    /// The fused softmax cross-entropy of a `rows × columns` matrix of logits against integer labels:
    /// returns `Σᵢ (log Σⱼ exp(sᵢⱼ) − sᵢ,yᵢ)` (accumulated in Double) and writes `(P − Y) · scale`, with P
    /// the row-wise softmax and Y the one-hot labels, to `gradient`.
    static func softmaxCrossEntropy(
        logits: UnsafePointer<Self>, labels: UnsafePointer<Int>, rows: Int, columns: Int, scale: Self,
        gradient: UnsafeMutablePointer<Self>) -> Double

    /// Replaces each row of a `rows × columns` matrix by its softmax, computed stably.
    static func softmaxRows(_ x: UnsafeMutablePointer<Self>, rows: Int, columns: Int)

    /// The natural exponential, for generic code.
    static func exponential(_ x: Self) -> Self
    /// The natural logarithm, for generic code.
    static func logarithm(_ x: Self) -> Self
}

extension TensorScalar {
    /// Packing ahead is only an optimisation: a scalar whose kernel cannot do it ignores the hint.
    @discardableResult
    public static func prepareGemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int,
        aRows: UnsafePointer<Int>
    ) -> Bool { false }
}
