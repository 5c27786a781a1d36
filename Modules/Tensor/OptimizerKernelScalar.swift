import CBackpropKernels

/// A scalar with the fused element-wise passes of the optimisers (Adam and AdamW, SGD with momentum):
/// one dynamic call per parameter tensor, a concrete loop over its elements.
///
/// Semantics: the buffers hold `count` elements each and do not overlap; the pass rounds as its plain
/// loop written in the order documented (no multiply-add contraction), so that the result does not
/// depend on how it is vectorised; `gradient` is only read.
public protocol OptimizerKernelScalar: BinaryFloatingPoint {
    /// One Adam step (torch.optim.Adam / AdamW) for every element `i`, in this order:
    ///
    /// ```
    /// g  = gradient[i] + decay · value[i]        (coupled L2; skipped when decay = 0)
    /// value[i] = value[i] · shrink               (decoupled weight decay; skipped when shrink = 1)
    /// m[i] = beta1 · m[i] + oneMinusBeta1 · g
    /// v[i] = beta2 · v[i] + oneMinusBeta2 · g · g
    /// value[i] = value[i] − stepSize · m[i] / (√v[i] / correction2Root + epsilon)
    /// ```
    ///
    /// with `stepSize = η / (1 − β1ᵗ)` and `correction2Root = √(1 − β2ᵗ)`, as PyTorch computes them.
    static func adamStep(
        count: Int, value: UnsafeMutablePointer<Self>, gradient: UnsafePointer<Self>,
        m: UnsafeMutablePointer<Self>, v: UnsafeMutablePointer<Self>, coefficients: AdamCoefficients<Self>)

    /// One SGD step with momentum for every element `i`, in this order:
    ///
    /// ```
    /// g = gradient[i] + decay · value[i]                   (coupled L2; skipped when decay = 0)
    /// velocity[i] = velocity[i] · rho + gradientScale · g
    /// value[i] = value[i] + lookAheadScale · g             (Nesterov only)
    /// value[i] = value[i] + velocityScale · velocity[i]
    /// ```
    ///
    /// Each line rounds as the separate pass it replaces (`axpy`, `scale`), so the step ends with the
    /// same numbers as those passes one after another. Long arrays are split over both cores.
    static func momentumStep(
        count: Int, value: UnsafeMutablePointer<Self>, gradient: UnsafePointer<Self>,
        velocity: UnsafeMutablePointer<Self>, coefficients: MomentumCoefficients<Self>)
}

/// The per-step constants of `OptimizerKernelScalar.adamStep`, computed once per step in `Double` and
/// rounded to the scalar.
public struct AdamCoefficients<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var decay: Scalar
    public var shrink: Scalar
    public var beta1: Scalar
    public var oneMinusBeta1: Scalar
    public var beta2: Scalar
    public var oneMinusBeta2: Scalar
    public var stepSize: Scalar
    public var correction2Root: Scalar
    public var epsilon: Scalar

    /// The constants of step `t` (counted from 1) at learning rate `rate`: `stepSize = η / (1 − β1ᵗ)`,
    /// `correction2Root = √(1 − β2ᵗ)`, `shrink = 1 − η·λ_decoupled`.
    ///
    /// - Parameters:
    ///   - rate: the learning rate η of this step.
    ///   - step: t, the number of this step, from 1.
    ///   - beta1: the first moment's decay β1.
    ///   - beta2: the second moment's decay β2.
    ///   - epsilon: ε, added to the corrected root of the second moment.
    ///   - coupledDecay: λ of the L2 term added to the gradient (Adam's `weight_decay`), or 0.
    ///   - decoupledDecay: λ of the decoupled shrink θ ← θ(1 − ηλ) (AdamW's `weight_decay`), or 0.
    public init(
        rate: Double, step: Double, beta1: Double, beta2: Double, epsilon: Double, coupledDecay: Double,
        decoupledDecay: Double
    ) {
        decay = Scalar(coupledDecay)
        shrink = Scalar(1 - rate * decoupledDecay)
        self.beta1 = Scalar(beta1)
        oneMinusBeta1 = Scalar(1 - beta1)
        self.beta2 = Scalar(beta2)
        oneMinusBeta2 = Scalar(1 - beta2)
        stepSize = Scalar(rate / (1 - wholePower(beta1, step)))
        correction2Root = Scalar((1 - wholePower(beta2, step)).squareRoot())
        self.epsilon = Scalar(epsilon)
    }
}

/// `base` to the power `exponent` (a whole number ≥ 1 here) by repeated squaring, so the module needs
/// no C library and both platforms round alike.
private func wholePower(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0, factor = base
    var n = UInt64(max(0, exponent))
    while n > 0 {
        if n & 1 == 1 { result *= factor }
        factor *= factor
        n >>= 1
    }
    return result
}

/// The generic body of `adamStep`; `Float` and `Double` forward to it, where it is specialised.
@usableFromInline
enum OptimizerKernels {
    @inlinable
    static func adamStep<T: BinaryFloatingPoint & Sendable>(
        count: Int, value: UnsafeMutablePointer<T>, gradient: UnsafePointer<T>,
        m: UnsafeMutablePointer<T>, v: UnsafeMutablePointer<T>, coefficients c: AdamCoefficients<T>
    ) {
        let coupled = c.decay != 0, decoupled = c.shrink != 1
        var i = 0
        while i < count {
            var g = gradient[i]
            if coupled { g = g + c.decay * value[i] }
            if decoupled { value[i] = value[i] * c.shrink }
            let mi = c.beta1 * m[i] + c.oneMinusBeta1 * g
            let vi = c.beta2 * v[i] + c.oneMinusBeta2 * (g * g)
            m[i] = mi
            v[i] = vi
            value[i] = value[i] - c.stepSize * mi / (vi.squareRoot() / c.correction2Root + c.epsilon)
            i &+= 1
        }
    }
}

extension Float: OptimizerKernelScalar {
    public static func adamStep(
        count: Int, value: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, coefficients: AdamCoefficients<Float>
    ) {
        OptimizerKernels.adamStep(count: count, value: value, gradient: gradient, m: m, v: v, coefficients: coefficients)
    }

    /// Through `bp_smomentum_step`.
    public static func momentumStep(
        count: Int, value: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        velocity: UnsafeMutablePointer<Float>, coefficients: MomentumCoefficients<Float>
    ) {
        var c = coefficients.kernelCoefficients
        bp_smomentum_step(count, &c, value, gradient, velocity)
    }
}

extension Double: OptimizerKernelScalar {
    public static func adamStep(
        count: Int, value: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
        m: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>, coefficients: AdamCoefficients<Double>
    ) {
        OptimizerKernels.adamStep(count: count, value: value, gradient: gradient, m: m, v: v, coefficients: coefficients)
    }

    /// Through `bp_dmomentum_step`.
    public static func momentumStep(
        count: Int, value: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
        velocity: UnsafeMutablePointer<Double>, coefficients: MomentumCoefficients<Double>
    ) {
        var c = coefficients.kernelCoefficients
        bp_dmomentum_step(count, &c, value, gradient, velocity)
    }
}
