import CBackpropKernels

/// The per-step constants of `OptimizerKernelScalar.momentumStep`, each rounded to the scalar as the
/// separate passes it stands for use them.
public struct MomentumCoefficients<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var decay: Scalar
    public var rho: Scalar
    public var gradientScale: Scalar
    public var lookAheadScale: Scalar
    public var velocityScale: Scalar
    public var nesterov: Bool

    /// The constants from their parts: `decay` the coupled L2 coefficient (2λ), `rho` the momentum, and
    /// the scales of the gradient into the velocity, of the gradient into the value (Nesterov's
    /// look-ahead) and of the velocity into the value.
    public init(decay: Scalar, rho: Scalar, gradientScale: Scalar, lookAheadScale: Scalar, velocityScale: Scalar,
                nesterov: Bool) {
        self.decay = decay
        self.rho = rho
        self.gradientScale = gradientScale
        self.lookAheadScale = lookAheadScale
        self.velocityScale = velocityScale
        self.nesterov = nesterov
    }

    /// The C kernel's form (each value widened to Double exactly).
    var kernelCoefficients: bp_momentum_coefficients {
        bp_momentum_coefficients(
            decay: Double(decay), rho: Double(rho), gradientScale: Double(gradientScale),
            lookAheadScale: Double(lookAheadScale), velocityScale: Double(velocityScale), nesterov: nesterov ? 1 : 0)
    }
}

extension Tensor {
    /// One SGD step with momentum of `value` from `gradient`, updating `velocity` in place, in one pass
    /// through `OptimizerKernelScalar.momentumStep`; `gradient` is only read.
    @inlinable
    public static func momentumStep(
        value: inout Tensor, gradient: Tensor, velocity: inout Tensor, coefficients: MomentumCoefficients<Scalar>
    ) {
        let n = value.count
        precondition(gradient.count == n && velocity.count == n,
                     "shapes differ: \(value.shape), \(gradient.shape), \(velocity.shape)")
        guard n > 0 else { return }
        value.scalars.withUnsafeMutableBufferPointer { w in
            gradient.scalars.withUnsafeBufferPointer { g in
                velocity.scalars.withUnsafeMutableBufferPointer { v in
                    Scalar.momentumStep(count: n, value: w.baseAddress!, gradient: g.baseAddress!,
                                        velocity: v.baseAddress!, coefficients: coefficients)
                }
            }
        }
    }
}
