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
/// `Trainer` drives any optimiser through this protocol (`SGD` by default):
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

/// How momentum combines the velocity and the learning rate; see `SGD`.
public enum MomentumConvention: String, Sendable, CaseIterable { case pytorch, course }

/// Mini-batch stochastic gradient descent, with optional (Nesterov-free) momentum.
///
/// With momentum ρ there are two conventions, and they differ when the rate changes every step (as with
/// cyclical rates):
/// - `.pytorch`: v ← ρ·v + g, θ ← θ − η·v
/// - `.course`:  v ← ρ·v + η·g, θ ← θ − v
/// With ρ = 0 both are plain SGD, θ ← θ − η·g.
public struct SGD<Scalar: TensorScalar>: ResumableOptimizer, Sendable {
    public var momentum: Double
    public var convention: MomentumConvention
    private var velocities: [Tensor<Scalar>] = []

    public init(momentum: Double = 0, convention: MomentumConvention = .pytorch) {
        self.momentum = momentum
        self.convention = convention
    }

    /// The velocities (one per parameter, once the first step with momentum made them; none without).
    public var state: [Tensor<Scalar>] {
        get { velocities }
        set { velocities = newValue }
    }

    public mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double) {
        let eta = Scalar(learningRate)
        guard momentum > 0 else {
            for p in parameters { p.value.add(p.gradient, scaledBy: -eta) }
            return
        }
        stepWithMomentum(parameters, learningRate: learningRate)
    }

    /// Without momentum, a parameter whose regularisers' gradient is `c · value` (one of them with c ≠ 0,
    /// as L2's `2λ` on a weight) gets the term and the step in one pass over it
    /// (`Tensor.decayAndStep`): the same values as the two passes, with its gradient only read (half the
    /// memory traffic of the two passes on the largest arrays of a step after the products). Any other
    /// parameter, and every one with momentum, goes through `addGradient` and `step`.
    public mutating func step(
        _ parameters: [Parameter<Scalar>], learningRate: Double, regularizers: [any Regularizer]
    ) {
        guard momentum == 0 else {
            for regularizer in regularizers { regularizer.addGradient(to: parameters) }
            stepWithMomentum(parameters, learningRate: learningRate)
            return
        }
        let eta = Scalar(learningRate)
        for p in parameters {
            switch Self.decayCoefficient(of: p, regularizers) {
            case .some(0):
                p.value.add(p.gradient, scaledBy: -eta)
            case .some(let decay):
                Tensor.decayAndStep(value: &p.value, gradient: p.gradient, decay: Scalar(decay), rate: -eta)
            case nil:
                for regularizer in regularizers { regularizer.addGradient(to: [p]) }
                p.value.add(p.gradient, scaledBy: -eta)
            }
        }
    }

    /// The one non-zero `gradientCoefficient` of the regularisers for `parameter` (0 when all are 0), or
    /// `nil` when one does not know its coefficient or two are non-zero (summing them first would round
    /// differently from two `addGradient` passes).
    private static func decayCoefficient(of parameter: Parameter<Scalar>, _ regularizers: [any Regularizer]) -> Double? {
        var found = 0.0
        for regularizer in regularizers {
            guard let coefficient = regularizer.gradientCoefficient(for: parameter) else { return nil }
            if coefficient != 0 {
                if found != 0 { return nil }
                found = coefficient
            }
        }
        return found
    }

    private mutating func stepWithMomentum(_ parameters: [Parameter<Scalar>], learningRate: Double) {
        let eta = Scalar(learningRate)
        if velocities.count != parameters.count {
            velocities = parameters.map { Tensor(zeros: $0.value.shape) }
        }
        let rho = Scalar(momentum)
        for (i, p) in parameters.enumerated() {
            // v ← ρ·v + c·g, computed as v·ρ then axpy, keeps one buffer per parameter.
            velocities[i].scale(by: rho)
            switch convention {
            case .pytorch:
                velocities[i].add(p.gradient)
                p.value.add(velocities[i], scaledBy: -eta)
            case .course:
                velocities[i].add(p.gradient, scaledBy: eta)
                p.value.add(velocities[i], scaledBy: -1)
            }
        }
    }
}
