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
public protocol Optimizer<Scalar> {
    associatedtype Scalar: TensorScalar
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
public struct SGD<Scalar: TensorScalar>: Optimizer, Sendable {
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

    /// A step with an L2 penalty λ‖W‖² on the `.weight` parameters folded in: the same parameter values as
    /// `L2Regularizer(lambda:).addGradient(to:)` followed by `step`. Without momentum it is one pass over
    /// each weight matrix that leaves the gradients as they were (the loss's alone, as PyTorch's
    /// `SGD(weight_decay:)` leaves `p.grad`); writing the L2 term back was a quarter of the pass's memory
    /// traffic. With momentum it is those two calls, and the gradients then hold the L2 term.
    public mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double, l2Lambda lambda: Double) {
        guard momentum == 0 else {
            L2Regularizer(lambda: lambda).addGradient(to: parameters)
            step(parameters, learningRate: learningRate)
            return
        }
        let eta = Scalar(learningRate), decay = Scalar(2 * lambda)
        for p in parameters {
            guard p.role == .weight, lambda > 0 else {
                p.value.add(p.gradient, scaledBy: -eta)
                continue
            }
            precondition(p.value.count == p.gradient.count, "SGD: \(p.name) value and gradient sizes differ")
            let n = p.value.count
            p.gradient.scalars.withUnsafeBufferPointer { g in
                p.value.scalars.withUnsafeMutableBufferPointer { w in
                    guard n > 0 else { return }
                    Scalar.decayAndStep(count: n, decay: decay, rate: -eta, value: w.baseAddress!, gradient: g.baseAddress!)
                }
            }
        }
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
