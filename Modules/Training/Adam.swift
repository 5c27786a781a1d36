import BackpropLayers
import BackpropTensor

/// Adam and AdamW: per-element step sizes from running moments of the gradient (Kingma & Ba), as
/// torch.optim.Adam and torch.optim.AdamW compute them. One type for both: `decoupledWeightDecay`
/// chooses how `weightDecay` acts, which is the only difference between the two.
///
/// At step t (from 1), with rate η, for each parameter θ with gradient g:
///
/// ```
/// Adam  (coupled):    g ← g + λ·θ                  AdamW (decoupled):  θ ← θ − η·λ·θ
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// θ ← θ − η/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
/// ```
///
/// ```swift
/// let adam = Adam<Float>()                                                // β1 0.9, β2 0.999, ε 1e-8
/// let adamW = Adam<Float>(weightDecay: 0.01, decoupledWeightDecay: true)  // torch.optim.AdamW's defaults
/// let trainer = Trainer(model: model, optimizer: adamW, schedule: ConstantSchedule(rate: 1e-3))
/// ```
///
/// Semantics:
/// - The weight decay here acts on every parameter (weights and biases), as PyTorch's `weight_decay`
///   does; an L2 regulariser in the run's `regularizers` is added to the gradient before the step as
///   usual (coupled), whichever mode is chosen. `gradient`s are left as the backward pass and the
///   regularisers wrote them.
/// - Each parameter tensor is updated in one fused pass (`Tensor.adamStep`).
/// - `state` is empty before the first step, then `[m₀ … mₙ₋₁, v₀ … vₙ₋₁, t]`: the first moments in
///   the order of the parameters, then the second moments, then the number of steps taken as a
///   one-element tensor of shape `[1]` (exact in `Float` up to 2²⁴ steps).
/// - A state that does not fit (another count, a moment of another shape than its parameter, a step
///   count that is not a whole number ≥ 0) is not used: the next step starts afresh, from zero moments
///   and t = 0, as a new optimiser would. It never traps.
public struct Adam<Scalar: TensorScalar>: ResumableOptimizer, Sendable, CustomStringConvertible {
    /// β1, the decay of the first moment (default 0.9).
    public var beta1: Double
    /// β2, the decay of the second moment (default 0.999).
    public var beta2: Double
    /// ε, added to the corrected root of the second moment (default 1e-8).
    public var epsilon: Double
    /// λ, PyTorch's `weight_decay` (default 0).
    public var weightDecay: Double
    /// AdamW when true: the decay shrinks θ by η·λ·θ instead of adding λ·θ to the gradient.
    public var decoupledWeightDecay: Bool

    private var firstMoments: [Tensor<Scalar>] = []
    private var secondMoments: [Tensor<Scalar>] = []
    private var steps = 0

    /// Adam (or AdamW, with `decoupledWeightDecay`); see the properties for each parameter.
    public init(
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0,
        decoupledWeightDecay: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var description: String {
        "\(decoupledWeightDecay ? "AdamW" : "Adam")(β1 \(beta1), β2 \(beta2), ε \(epsilon), weight decay \(weightDecay))"
    }

    /// The moments and the step count; see the type's semantics for the layout.
    public var state: [Tensor<Scalar>] {
        get {
            guard steps > 0 || !firstMoments.isEmpty else { return [] }
            return firstMoments + secondMoments + [Tensor(shape: [1], scalars: [Scalar(Double(steps))])]
        }
        set {
            let n = (newValue.count - 1) / 2
            guard newValue.count % 2 == 1, let last = newValue.last, last.shape == [1] else { return reset() }
            let t = Double(last.scalars[0])
            guard t >= 0, t < 1e15, t.rounded() == t else { return reset() }
            firstMoments = Array(newValue[0..<n])
            secondMoments = Array(newValue[n..<(2 * n)])
            steps = Int(t)
        }
    }

    private mutating func reset() {
        firstMoments = []
        secondMoments = []
        steps = 0
    }

    public mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double) {
        let fits = firstMoments.count == parameters.count && secondMoments.count == parameters.count
            && parameters.indices.allSatisfy {
                firstMoments[$0].shape == parameters[$0].value.shape && secondMoments[$0].shape == parameters[$0].value.shape
            }
        if !fits {
            firstMoments = parameters.map { Tensor(zeros: $0.value.shape) }
            secondMoments = firstMoments
            steps = 0
        }
        steps += 1
        let coefficients = AdamCoefficients<Scalar>(
            rate: learningRate, step: Double(steps), beta1: beta1, beta2: beta2, epsilon: epsilon,
            coupledDecay: decoupledWeightDecay ? 0 : weightDecay, decoupledDecay: decoupledWeightDecay ? weightDecay : 0)
        for (i, p) in parameters.enumerated() {
            Tensor.adamStep(value: &p.value, gradient: p.gradient, m: &firstMoments[i], v: &secondMoments[i],
                            coefficients: coefficients)
        }
    }
}
