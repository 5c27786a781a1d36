import BackpropTensor

/// Batch normalisation of each feature, as `torch.nn.BatchNorm1d`: `y = γ · (x − μ) / √(σ² + ε) + β`,
/// placed between a linear layer and its activation.
///
/// The input is `[batch, features]`. In the training phase μ and σ² are the batch's mean and biased
/// variance of each feature, and the running statistics move towards them:
/// `running_mean ← (1 − m) · running_mean + m · μ` and
/// `running_var ← (1 − m) · running_var + m · σ²·n/(n − 1)` (the unbiased variance, as PyTorch; a batch
/// of one example, whose unbiased variance is undefined, moves it towards 0). In the inference phase
/// the running statistics take their place, so the output of an example does not depend on its batch.
///
/// γ (`<name>.gamma`, role `.scale`, starts at 1) and β (`<name>.beta`, role `.shift`, starts at 0)
/// are trained; L2 does not penalise them. The running mean (starts at 0) and variance (starts at 1)
/// are the layer's ``Layer/buffers`` (`<name>.running_mean`, `<name>.running_var`, role `.statistic`):
/// saved and restored with the model, never trained.
///
/// The backward pass is the standard one, with x̂ = (x − μ)/√(σ² + ε) and n rows:
/// `∂β = Σ g`, `∂γ = Σ g ⊙ x̂`, `∂x = γ/√(σ² + ε) · (g − (∂β + x̂ ⊙ ∂γ)/n)` in training, and
/// `∂x = γ/√(σ² + ε) · g` after an inference pass (the statistics are then constants).
public final class BatchNorm<Scalar: TensorScalar>: Layer {
    /// The learned scale γ, `[1, features]`.
    public let gamma: Parameter<Scalar>
    /// The learned shift β, `[1, features]`.
    public let beta: Parameter<Scalar>
    /// The running mean of each feature, `[1, features]`.
    public let runningMean: Parameter<Scalar>
    /// The running (unbiased) variance of each feature, `[1, features]`.
    public let runningVariance: Parameter<Scalar>
    /// The weight m of the newest batch in the running statistics (PyTorch's `momentum`, 0.1).
    public let momentum: Double
    /// The ε added to the variance before its square root.
    public let epsilon: Double

    // x̂ of the last forward pass and 1/√(σ² + ε) per feature, for the backward pass.
    private var normalized = Tensor<Scalar>(zeros: [0, 0])
    private var inverseDeviation: [Scalar] = []
    private var wasTraining = false
    // Two output buffers in turn, as ReLU: the next layer keeps the last output until its next forward.
    private var output = Tensor<Scalar>(zeros: [0, 0])
    private var spare = Tensor<Scalar>(zeros: [0, 0])
    private var inputGradient = Tensor<Scalar>(zeros: [0, 0])

    /// A layer normalising `features` features; its tensors are named `<name>.gamma`, `<name>.beta`,
    /// `<name>.running_mean` and `<name>.running_var`.
    ///
    /// - Parameters:
    ///   - features: the width of the input and of the output.
    ///   - momentum: the weight of the newest batch in the running statistics, in [0, 1].
    ///   - epsilon: added to the variance, positive.
    ///   - name: the prefix of the tensors' names, unique in the model (`bn1`).
    public init(features: Int, momentum: Double = 0.1, epsilon: Double = 1e-5, name: String = "batch_norm") {
        precondition(features >= 1, "BatchNorm: features must be ≥ 1, got \(features)")
        precondition((0...1).contains(momentum), "BatchNorm: momentum must be in [0, 1], got \(momentum)")
        precondition(epsilon > 0 && epsilon.isFinite, "BatchNorm: epsilon must be positive, got \(epsilon)")
        self.momentum = momentum
        self.epsilon = epsilon
        gamma = Parameter(name: "\(name).gamma", value: Tensor(repeating: 1, shape: [1, features]), role: .scale)
        beta = Parameter(name: "\(name).beta", value: Tensor(zeros: [1, features]), role: .shift)
        runningMean = Parameter(name: "\(name).running_mean", value: Tensor(zeros: [1, features]), role: .statistic)
        runningVariance = Parameter(
            name: "\(name).running_var", value: Tensor(repeating: 1, shape: [1, features]), role: .statistic)
    }

    /// The number of features normalised.
    public var features: Int { gamma.value.count }
    /// The prefix of the tensors' names (`bn1`).
    public var name: String { String(gamma.name.dropLast(".gamma".count)) }
    public var parameters: [Parameter<Scalar>] { [gamma, beta] }
    /// The running mean, then the running variance.
    public var buffers: [Parameter<Scalar>] { [runningMean, runningVariance] }
    public var description: String { "BatchNorm(\(features))" }

    public func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        precondition(x.columns == features, "BatchNorm(\(features)) got input of shape \(x.shape)")
        let (n, c) = (x.rows, features)
        wasTraining = context.phase == .training
        var mean = [Scalar](repeating: 0, count: c)
        var variance = [Scalar](repeating: 0, count: c)
        if wasTraining && n > 0 {
            Self.statistics(of: x, mean: &mean, variance: &variance)
            updateRunningStatistics(mean: mean, biasedVariance: variance, count: n)
        } else {
            mean = runningMean.value.scalars
            variance = runningVariance.value.scalars
        }
        inverseDeviation = variance.map { 1 / ($0 + Scalar(epsilon)).squareRoot() }
        normalized.resize(to: [n, c])
        swap(&output, &spare)
        output.resize(to: [n, c])
        x.scalars.withUnsafeBufferPointer { source in
            normalized.scalars.withUnsafeMutableBufferPointer { xHat in
                output.scalars.withUnsafeMutableBufferPointer { y in
                    guard n > 0, let source = source.baseAddress, let xHat = xHat.baseAddress, let y = y.baseAddress
                    else { return }
                    Scalar.normalize(
                        source, rows: n, columns: c, mean: mean, inverseDeviation: inverseDeviation,
                        gamma: gamma.value.scalars, beta: beta.value.scalars, xHat: xHat, y: y)
                }
            }
        }
        return output
    }

    public func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> {
        let (n, c) = (normalized.rows, features)
        precondition(g.shape == normalized.shape, "BatchNorm(\(features)): gradient \(g.shape) for output \(normalized.shape)")
        var shiftGradient = [Scalar](repeating: 0, count: c)
        var scaleGradient = [Scalar](repeating: 0, count: c)
        g.scalars.withUnsafeBufferPointer { gradient in
            normalized.scalars.withUnsafeBufferPointer { xHat in
                guard n > 0, let gradient = gradient.baseAddress, let xHat = xHat.baseAddress else { return }
                Scalar.normalizationParameterGradients(
                    gradient, xHat: xHat, rows: n, columns: c, shift: &shiftGradient, scale: &scaleGradient)
            }
        }
        beta.gradient = Tensor(shape: [1, c], scalars: shiftGradient)
        gamma.gradient = Tensor(shape: [1, c], scalars: scaleGradient)
        guard needsInputGradient else { return Tensor(zeros: [0, 0]) }
        // ∂x = γ/√(σ² + ε) · (g − (∂β + x̂ ⊙ ∂γ)/n) in training; the batch terms vanish in inference.
        let factor = zip(gamma.value.scalars, inverseDeviation).map { $0 * $1 }
        let batchTerms: Scalar = wasTraining && n > 0 ? 1 / Scalar(n) : 0
        inputGradient.resize(to: [n, c])
        g.scalars.withUnsafeBufferPointer { gradient in
            normalized.scalars.withUnsafeBufferPointer { xHat in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    guard n > 0, let gradient = gradient.baseAddress, let xHat = xHat.baseAddress, let dx = dx.baseAddress
                    else { return }
                    Scalar.normalizationInputGradient(
                        gradient, xHat: xHat, rows: n, columns: c, shift: shiftGradient, scale: scaleGradient,
                        factor: factor, batchTerms: batchTerms, dx: dx)
                }
            }
        }
        return inputGradient
    }

    /// The mean and biased variance of each column of `x` (two passes, for accuracy).
    private static func statistics(of x: Tensor<Scalar>, mean: inout [Scalar], variance: inout [Scalar]) {
        x.scalars.withUnsafeBufferPointer { source in
            guard let source = source.baseAddress else { return }
            Scalar.columnStatistics(source, rows: x.rows, columns: x.columns, mean: &mean, variance: &variance)
        }
    }

    private func updateRunningStatistics(mean: [Scalar], biasedVariance: [Scalar], count n: Int) {
        let m = Scalar(momentum)
        let correction: Scalar = n > 1 ? Scalar(n) / Scalar(n - 1) : 1
        for j in 0..<features {
            runningMean.value.scalars[j] = (1 - m) * runningMean.value.scalars[j] + m * mean[j]
            runningVariance.value.scalars[j] = (1 - m) * runningVariance.value.scalars[j]
                + m * biasedVariance[j] * correction
        }
    }
}
