import BackpropLayers
import BackpropTensor

/// Something that shapes training beyond the data loss: a penalty on the parameters, a change to the
/// model, or both.
///
/// The course's cost `J = L + λ‖W‖²` is the data loss plus one regulariser's `penalty`; dropout has no
/// penalty but inserts layers in `prepare`. A training step asks each regulariser in turn:
///
/// ```swift
/// for regularizer in regularizers { regularizer.prepare(model) }          // once, before training
/// let cost = loss + regularizers.reduce(0) { $0 + $1.penalty(model.parameters) }
/// model.backward(lossGradient)                                            // overwrites gradients
/// for regularizer in regularizers { regularizer.addGradient(to: model.parameters) }
/// ```
///
/// Semantics:
/// - `penalty` is the term added to the cost for the parameters' current values. It depends only on
///   the values, never on the gradients or on earlier calls, and is `≥ 0` for the built-ins.
/// - `addGradient` **adds** (never overwrites) exactly ∂penalty/∂value to each parameter's `gradient`,
///   so it runs after the layers' backward pass and several regularisers compose by summation. It must
///   be the exact derivative of `penalty`: the gradient check compares the two numerically.
/// - `prepare` may change the model's structure (insert layers) before training starts. It is called
///   once per model; calling it again must not change the model further.
/// - `gradientCoefficient(for:)` may say that ∂penalty/∂value is `c · value` for a parameter (0: no
///   gradient for it), so that an optimiser can fold the term into its own pass over the parameter
///   (weight decay, see `Optimizer.step(_:learningRate:regularizers:)`) with exactly the numbers
///   `addGradient` gives. `nil` (the default) means "use `addGradient`".
/// - The other three have defaults that do nothing (penalty 0), so a regulariser implements only what it
///   needs. Implementations must match the generic signatures exactly, or the default is called
///   instead.
/// - A regulariser is an immutable value: any state a training run needs lives in the model.
public protocol Regularizer: Sendable, CustomStringConvertible {
    /// The term this regulariser adds to the cost.
    func penalty<S: TensorScalar>(_ parameters: [Parameter<S>]) -> Double

    /// Adds ∂penalty/∂value to each parameter's `gradient`.
    func addGradient<S: TensorScalar>(to parameters: [Parameter<S>])

    /// Changes the model's structure before training, if the regulariser works through layers.
    func prepare<S: TensorScalar>(_ model: Sequential<S>)

    /// The c with ∂penalty/∂value = c · value for `parameter`, computed as `addGradient` adds it
    /// (`gradient += S(c) · value`), or `nil` when the gradient has another form.
    func gradientCoefficient<S: TensorScalar>(for parameter: Parameter<S>) -> Double?
}

extension Regularizer {
    /// No penalty.
    public func penalty<S: TensorScalar>(_ parameters: [Parameter<S>]) -> Double { 0 }

    /// No gradient, as there is no penalty.
    public func addGradient<S: TensorScalar>(to parameters: [Parameter<S>]) {}

    /// The model is left as it is.
    public func prepare<S: TensorScalar>(_ model: Sequential<S>) {}

    /// `nil`: the optimiser calls `addGradient`.
    public func gradientCoefficient<S: TensorScalar>(for parameter: Parameter<S>) -> Double? { nil }
}
