import BackpropLayers
import BackpropRegularizers
import BackpropTensor

/// How momentum combines the velocity and the learning rate; see `SGD`.
public enum MomentumConvention: String, Sendable, CaseIterable { case pytorch, course }

/// Mini-batch stochastic gradient descent, with optional momentum, classical or Nesterov.
///
/// With momentum ρ there are two conventions, and they differ when the rate changes every step (as with
/// cyclical rates):
/// - `.pytorch`: v ← ρ·v + g, θ ← θ − η·v
/// - `.course`:  v ← ρ·v + η·g, θ ← θ − v
///
/// With `nesterov`, the step looks ahead along the new velocity (torch.optim.SGD with `nesterov=True`):
/// - `.pytorch`: v ← ρ·v + g, θ ← θ − η·(g + ρ·v)
/// - `.course`:  v ← ρ·v + η·g, θ ← θ − (η·g + ρ·v)
///
/// The course form keeps its velocity in parameter units (η folded in), so at a constant rate it makes
/// exactly the steps of the PyTorch form (its v is η times PyTorch's). With ρ = 0 every form is plain
/// SGD, θ ← θ − η·g.
///
/// Semantics of `state`: one velocity per parameter, shaped as it, once the first step with momentum made
/// them (none without momentum). A state of another count or shapes (a checkpoint of another model) is
/// not used: the next step starts from zero velocities.
public struct SGD<Scalar: TensorScalar>: ResumableOptimizer, Sendable, CustomStringConvertible {
    public var momentum: Double
    public var convention: MomentumConvention
    /// Whether the step uses Nesterov's look-ahead (only with `momentum > 0`).
    public var nesterov: Bool
    private var velocities: [Tensor<Scalar>] = []

    /// SGD with momentum `momentum` (0 for none) in `convention`, Nesterov's form when `nesterov`.
    public init(momentum: Double = 0, convention: MomentumConvention = .pytorch, nesterov: Bool = false) {
        self.momentum = momentum
        self.convention = convention
        self.nesterov = nesterov
    }

    public var description: String {
        guard momentum > 0 else { return "SGD" }
        return "SGD(momentum \(momentum), \(nesterov ? "Nesterov, " : "")\(convention.rawValue) convention)"
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
        stepWithMomentum(parameters, learningRate: learningRate, regularizers: [])
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
            stepWithMomentum(parameters, learningRate: learningRate, regularizers: regularizers)
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

    /// The momentum step of every parameter: one fused pass (`Tensor.momentumStep`) when the
    /// regularisers' gradient is a multiple of the value (L2), else their `addGradient` and the passes
    /// one after another. Both end with the same numbers.
    private mutating func stepWithMomentum(
        _ parameters: [Parameter<Scalar>], learningRate: Double, regularizers: [any Regularizer]
    ) {
        let eta = Scalar(learningRate)
        if velocities.count != parameters.count
            || !zip(velocities, parameters).allSatisfy({ $0.shape == $1.value.shape }) {
            velocities = parameters.map { Tensor(zeros: $0.value.shape) }
        }
        let rho = Scalar(momentum)
        for (i, p) in parameters.enumerated() {
            guard let decay = Self.decayCoefficient(of: p, regularizers) else {
                for regularizer in regularizers { regularizer.addGradient(to: [p]) }
                Self.separatePasses(p, velocity: &velocities[i], eta: eta, rho: rho, convention: convention,
                                    nesterov: nesterov)
                continue
            }
            let (gradientScale, velocityScale, lookAhead): (Scalar, Scalar, Scalar) = switch (convention, nesterov) {
            case (.pytorch, false): (1, -eta, 0)
            case (.course, false): (eta, -1, 0)
            case (.pytorch, true): (1, -eta * rho, -eta)
            case (.course, true): (eta, -rho, -eta)
            }
            Tensor.momentumStep(
                value: &p.value, gradient: p.gradient, velocity: &velocities[i],
                coefficients: MomentumCoefficients(decay: Scalar(decay), rho: rho, gradientScale: gradientScale,
                                                   lookAheadScale: lookAhead, velocityScale: velocityScale,
                                                   nesterov: nesterov))
        }
    }

    /// The momentum step of one parameter as separate passes over its arrays (the gradient already
    /// holds the regularisers' terms).
    private static func separatePasses(
        _ p: Parameter<Scalar>, velocity: inout Tensor<Scalar>, eta: Scalar, rho: Scalar,
        convention: MomentumConvention, nesterov: Bool
    ) {
        // v ← ρ·v + c·g, computed as v·ρ then axpy, keeps one buffer per parameter.
        velocity.scale(by: rho)
        switch (convention, nesterov) {
        case (.pytorch, false):
            velocity.add(p.gradient)
            p.value.add(velocity, scaledBy: -eta)
        case (.course, false):
            velocity.add(p.gradient, scaledBy: eta)
            p.value.add(velocity, scaledBy: -1)
        case (.pytorch, true):
            // θ − η·(g + ρ·v) as (θ − η·g) − η·ρ·v: two axpy passes, no temporary.
            velocity.add(p.gradient)
            p.value.add(p.gradient, scaledBy: -eta)
            p.value.add(velocity, scaledBy: -eta * rho)
        case (.course, true):
            velocity.add(p.gradient, scaledBy: eta)
            p.value.add(p.gradient, scaledBy: -eta)
            p.value.add(velocity, scaledBy: -rho)
        }
    }
}
