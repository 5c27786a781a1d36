import BackpropTensor

/// A trainable tensor together with the gradient of the cost with respect to it, or a layer's buffer.
///
/// A buffer (role `.statistic`, listed by ``Layer/buffers``) is model state that is not trained, such as
/// the running mean of a ``BatchNorm``: it is saved, loaded and checkpointed with the parameters, but no
/// optimiser or regulariser sees it, and its `gradient` stays zero.
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
    /// What the parameter is, so that regularisers can choose (L2 applies to weights only: not to
    /// biases, nor to batch normalisation's scale and shift).
    public let role: Role

    /// The part a parameter plays in its layer.
    public enum Role: String, Sendable {
        /// A linear layer's weight matrix: the only role L2 penalises.
        case weight
        /// A linear layer's bias.
        case bias
        /// A normalisation's learned scale γ (trained, not penalised by L2).
        case scale
        /// A normalisation's learned shift β (trained, not penalised by L2).
        case shift
        /// A buffer: model state that is not trained (a running mean or variance).
        case statistic
    }

    public init(name: String, value: Tensor<Scalar>, role: Role) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
        self.role = role
    }
}
