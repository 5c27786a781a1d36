import BackpropLayers
import BackpropRegularizers
import BackpropTensor

/// Updates parameters from their gradients; one `step` per mini-batch.
///
/// Semantics:
/// - `step` reads each parameter's `gradient` (already including regularisation terms) and changes its
///   `value`; the learning rate is passed in, because the schedule, not the optimiser, owns it.
/// - Per-parameter state (momentum buffers) is keyed by the parameter's position in the list, which
///   must be the same on every call.
/// - `step(_:learningRate:)` leaves each `gradient` as it found it: a regulariser's term added to it
///   before the step is still there after it.
///
/// `Trainer` drives any optimiser through this protocol (`SGD` by default; `Adam` is the other built-in):
///
/// ```swift
/// struct SignDescent<Scalar: TensorScalar>: Optimizer {
///     mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double) {
///         for p in parameters {
///             p.value.add(p.gradient.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }, scaledBy: Scalar(-learningRate))
///         }
///     }
/// }
/// let trainer = Trainer(model: model, optimizer: SignDescent<Float>(), schedule: schedule)
/// ```
/// - `step(_:learningRate:regularizers:)` adds the regularisers' gradients and steps: afterwards every
///   `value` is exactly what `addGradient` of each regulariser followed by `step(_:learningRate:)`
///   leaves (the default does just that). An optimiser may fold a regulariser whose
///   `gradientCoefficient(for:)` is known into its own pass (weight decay), as `SGD` does; such a
///   parameter's `gradient` is then left as the backward pass wrote it, without the regulariser's term
///   (as PyTorch's `weight_decay` leaves `.grad`). Read gradients between the backward pass and the
///   step: afterwards they are the optimiser's, and the next backward pass overwrites them.
public protocol Optimizer<Scalar> {
    associatedtype Scalar: TensorScalar
    /// Moves every parameter's `value` from its `gradient`, with the schedule's rate for this step.
    mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double)

    /// Adds each regulariser's gradient, then steps; what the trainer calls after each backward pass.
    mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double, regularizers: [any Regularizer])
}

extension Optimizer {
    /// Each regulariser's `addGradient`, then `step(_:learningRate:)`.
    public mutating func step(
        _ parameters: [Parameter<Scalar>], learningRate: Double, regularizers: [any Regularizer]
    ) {
        for regularizer in regularizers { regularizer.addGradient(to: parameters) }
        step(parameters, learningRate: learningRate)
    }
}
