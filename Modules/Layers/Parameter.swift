import BackpropTensor

/// A trainable tensor together with the gradient of the cost with respect to it.
///
/// Parameters are reference types so that a layer, an optimiser and a regulariser can all refer to the
/// same tensor: the layer fills `gradient` in `backward`, a regulariser adds its term, the optimiser
/// updates `value`.
public final class Parameter<Scalar: TensorScalar> {
    /// A name unique within a model, such as `layers.0.weight`; used for `.npy` file names and reports.
    public var name: String
    /// The current value.
    public var value: Tensor<Scalar>
    /// ∂cost/∂value after the last backward pass (same shape as `value`).
    public var gradient: Tensor<Scalar>
    /// What the parameter is, so that regularisers can choose (L2 applies to weights, not biases).
    public let role: Role

    /// The part a parameter plays in its layer.
    public enum Role: String, Sendable {
        case weight, bias
    }

    public init(name: String, value: Tensor<Scalar>, role: Role) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
        self.role = role
    }
}
