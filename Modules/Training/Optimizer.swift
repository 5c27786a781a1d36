import BackpropLayers
import BackpropTensor

/// Updates parameters from their gradients; one `step` per mini-batch.
///
/// Semantics:
/// - `step` reads each parameter's `gradient` (already including regularisation terms) and changes its
///   `value`; the learning rate is passed in, because the schedule, not the optimiser, owns it.
/// - Per-parameter state (momentum buffers) is keyed by the parameter's position in the list, which
///   must be the same on every call.
/// - The optimiser leaves each `gradient` as it found it: a regulariser's term added to it before the
///   step is still there after it.
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
public protocol Optimizer<Scalar> {
    associatedtype Scalar: TensorScalar
    /// Moves every parameter's `value` from its `gradient`, with the schedule's rate for this step.
    mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double)
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
public struct SGD<Scalar: TensorScalar>: Optimizer {
    public var momentum: Double
    public var convention: MomentumConvention
    private var velocities: [Tensor<Scalar>] = []

    public init(momentum: Double = 0, convention: MomentumConvention = .pytorch) {
        self.momentum = momentum
        self.convention = convention
    }

    public mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double) {
        let eta = Scalar(learningRate)
        guard momentum > 0 else {
            for p in parameters { p.value.add(p.gradient, scaledBy: -eta) }
            return
        }
        stepWithMomentum(parameters, learningRate: learningRate)
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
