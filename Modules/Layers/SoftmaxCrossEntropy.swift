import BackpropTensor

/// The mean cross-entropy of softmax probabilities against integer labels, and its gradient.
///
/// For logits `s` (one row per example) and labels `y`, the loss is
/// `L = −(1/n) Σᵢ log softmax(sᵢ)[yᵢ]` and `∂L/∂s = (P − Y)/n`, with `P` the softmax and `Y` one-hot.
/// Both come from one fused pass (`TensorScalar.softmaxCrossEntropy`), which is faster than chaining a
/// softmax layer and a log, and more accurate: the loss is computed by log-sum-exp, so a confidently
/// wrong answer gives a large finite loss instead of log(0).
public struct SoftmaxCrossEntropy<Scalar: TensorScalar>: Sendable {
    public init() {}

    /// The loss and `∂L/∂logits` for a batch.
    public func callAsFunction(logits: Tensor<Scalar>, labels: [Int]) -> (loss: Double, gradient: Tensor<Scalar>) {
        var gradient = Tensor<Scalar>(zeros: logits.shape)
        let total = apply(logits: logits, labels: labels, gradient: &gradient)
        return (total / Double(max(labels.count, 1)), gradient)
    }

    /// The loss; writes `∂L/∂logits` into `gradient`, reusing its storage (no allocation once it has the
    /// batch's shape, which is how the trainer calls it every step).
    public func callAsFunction(logits: Tensor<Scalar>, labels: [Int], gradient: inout Tensor<Scalar>) -> Double {
        gradient.resize(to: logits.shape)
        return apply(logits: logits, labels: labels, gradient: &gradient) / Double(max(labels.count, 1))
    }

    /// The loss alone (mean over the batch).
    public func loss(logits: Tensor<Scalar>, labels: [Int]) -> Double {
        var scratch = Tensor<Scalar>(zeros: logits.shape)
        return apply(logits: logits, labels: labels, gradient: &scratch) / Double(max(labels.count, 1))
    }

    /// The summed loss; writes the gradient of the mean loss into `gradient` (same shape as `logits`).
    private func apply(logits: Tensor<Scalar>, labels: [Int], gradient: inout Tensor<Scalar>) -> Double {
        let (n, k) = (logits.rows, logits.columns)
        precondition(n == labels.count, "\(labels.count) labels for \(n) rows of logits")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < k }, "a label is outside 0..<\(k)")
        guard n > 0 else { return 0 }
        let scale = Scalar(1) / Scalar(n)
        return logits.scalars.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { y in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    Scalar.softmaxCrossEntropy(
                        logits: s.baseAddress!, labels: y.baseAddress!, rows: n, columns: k, scale: scale,
                        gradient: g.baseAddress!)
                }
            }
        }
    }
}
