import BackpropTensor

/// The mean cross-entropy of softmax probabilities against integer labels, and its gradient.
///
/// For logits `s` (one row per example) and labels `y`, the loss is
/// `L = −(1/n) Σᵢ log softmax(sᵢ)[yᵢ]` and `∂L/∂s = (P − Y)/n`, with `P` the softmax and `Y` one-hot.
/// Computing the two together (the fused rule) is both faster and more accurate than chaining a softmax
/// layer and a log.
public struct SoftmaxCrossEntropy<Scalar: TensorScalar>: Sendable {
    public init() {}

    /// The loss and `∂L/∂logits` for a batch.
    public func callAsFunction(logits: Tensor<Scalar>, labels: [Int]) -> (loss: Double, gradient: Tensor<Scalar>) {
        precondition(logits.rows == labels.count, "\(labels.count) labels for \(logits.rows) rows of logits")
        var probabilities = logits.softmaxRows()
        let (n, k) = (logits.rows, logits.columns)
        let scale = Scalar(1) / Scalar(max(n, 1))
        probabilities.scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                let label = labels[i]
                precondition(label >= 0 && label < k, "label \(label) outside 0..<\(k)")
                p[i * k + label] -= 1
            }
            for j in 0..<(n * k) { p[j] *= scale }
        }
        // The loss comes from the logits by log-sum-exp, not from log(P), which underflows for a confident
        // wrong answer.
        return (crossEntropyTerms(logits: logits, labels: labels) / Double(max(n, 1)), probabilities)
    }

    /// The loss alone (mean over the batch).
    public func loss(logits: Tensor<Scalar>, labels: [Int]) -> Double {
        crossEntropyTerms(logits: logits, labels: labels) / Double(max(labels.count, 1))
    }

    /// `Σᵢ (logsumexp(sᵢ) − sᵢ[yᵢ])`, the summed negative log-likelihood, stable for any logits.
    private func crossEntropyTerms(logits: Tensor<Scalar>, labels: [Int]) -> Double {
        let lse = logits.logSumExpRows()
        let k = logits.columns
        var total = 0.0
        for i in 0..<labels.count {
            total += Double(lse.scalars[i]) - Double(logits.scalars[i * k + labels[i]])
        }
        return total
    }
}
