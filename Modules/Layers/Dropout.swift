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
        for i in 0..<mask.count {
            mask.scalars[i] = context.generator.nextUniform() < rate ? 0 : keep
        }
        return x * mask
    }

    public func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> {
        wasTraining ? g * mask : g
    }
}
