/// A scalar with the activation and loss kernels: the ReLU pair and the fused softmax cross-entropy.
///
/// Semantics: buffers are dense and row-major; they do not overlap unless stated.
public protocol ActivationKernelScalar: BinaryFloatingPoint {
    /// `y = max(x, 0)` element-wise (0 where x is NaN); `y` may be `x`.
    static func relu(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)

    /// The ReLU's backward rule: `inputGradient[i] = output[i] > 0 ? gradient[i] : 0`.
    static func reluBackward(
        output: UnsafePointer<Self>, gradient: UnsafePointer<Self>, into inputGradient: UnsafeMutablePointer<Self>,
        count: Int)

    /// The fused softmax cross-entropy of a `rows × columns` matrix of logits against integer labels:
    /// returns `Σᵢ (log Σⱼ exp(sᵢⱼ) − sᵢ,yᵢ)` (accumulated in Double) and writes `(P − Y) · scale`, with P
    /// the row-wise softmax and Y the one-hot labels, to `gradient`.
    static func softmaxCrossEntropy(
        logits: UnsafePointer<Self>, labels: UnsafePointer<Int>, rows: Int, columns: Int, scale: Self,
        gradient: UnsafeMutablePointer<Self>) -> Double

    /// Replaces each row of a `rows × columns` matrix by its softmax, computed stably.
    static func softmaxRows(_ x: UnsafeMutablePointer<Self>, rows: Int, columns: Int)
}
