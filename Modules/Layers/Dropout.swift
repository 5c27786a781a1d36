import BackpropTensor

/// Inverted dropout: in training, zeroes each element with probability `rate` and scales the rest by
/// 1/(1 − rate), so that inference needs no change; in inference it is the identity.
public final class Dropout<Scalar: TensorScalar>: Layer {
    /// The probability of dropping an element, in [0, 1).
    public let rate: Double
    private var mask = Tensor<Scalar>(zeros: [0, 0])
    private var wasTraining = false

    public init(rate: Double) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    public var description: String { "Dropout(\(rate))" }

    public func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        wasTraining = context.phase == .training && rate > 0
        guard wasTraining else { return x }
        let keep = Scalar(1 / (1 - rate))
        mask.resize(to: x.shape)
        let rate = rate
        mask.scalars.withUnsafeMutableBufferPointer { m in
            guard let base = m.baseAddress else { return }
            Scalar.bernoulliMask(base, count: m.count, dropProbability: rate, keep: keep, generator: &context.generator)
        }
        return masked(x)
    }

    public func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> {
        wasTraining ? masked(g) : g
    }

    /// `x ⊙ mask`, through the scalar's kernel (this class is compiled generically, so a plain loop
    /// here would pay for generic element access on every element).
    private func masked(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var y = x
        y.scalars.withUnsafeMutableBufferPointer { y in
            mask.scalars.withUnsafeBufferPointer { m in
                precondition(y.count == m.count, "Dropout: \(y.count) elements for a mask of \(m.count)")
                guard let out = y.baseAddress, let by = m.baseAddress else { return }
                Scalar.multiplyInPlace(out, by: by, count: y.count)
            }
        }
        return y
    }
}
