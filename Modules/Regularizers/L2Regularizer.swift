import BackpropLayers
import BackpropRegistry
import BackpropTensor

/// The squared-norm penalty on weights: `λ · Σ ‖W‖²` over every parameter whose role is `.weight`.
///
/// This is the course's `J = L + λ‖W‖²`. Biases are not penalised: shrinking them does not reduce the
/// model's capacity, and the course leaves them out. The gradient is `2λW`; it is added to the gradient
/// the layers computed, which keeps the regularisation visible in the cost rather than hidden in the
/// optimiser as "weight decay" (the two differ by the factor 2 and by how they interact with momentum).
///
/// ```swift
/// let l2 = L2Regularizer(lambda: 0.01)
/// let cost = loss + l2.penalty(model.parameters)
/// ```
///
/// Registered as `"l2"` with the parameter `lambda` (`≥ 0`):
///
/// ```json
/// {"name": "l2", "lambda": 0.01}
/// ```
public struct L2Regularizer: Regularizer, Equatable {
    /// The weight λ of the penalty.
    public let lambda: Double

    /// An L2 penalty; `lambda` must be finite and non-negative.
    public init(lambda: Double) {
        precondition(lambda.isFinite && lambda >= 0, "L2: lambda must be finite and ≥ 0, got \(lambda)")
        self.lambda = lambda
    }

    public var description: String { "L2(lambda: \(lambda))" }

    /// `λ · Σ ‖W‖²` over the weights, accumulated in `Double`.
    public func penalty<S: TensorScalar>(_ parameters: [Parameter<S>]) -> Double {
        guard lambda > 0 else { return 0 }
        var total = 0.0
        for parameter in parameters where parameter.role == .weight {
            total += parameter.value.sumOfSquares()
        }
        return lambda * total
    }

    /// `2λ` for a weight, 0 for a bias: the gradient `addGradient` adds is `2λ · W`, so an optimiser may
    /// fold it into its step (weight decay) with the same numbers.
    public func gradientCoefficient<S: TensorScalar>(for parameter: Parameter<S>) -> Double? {
        parameter.role == .weight && lambda > 0 ? 2 * lambda : 0
    }

    /// Adds `2λW` to each weight's gradient, through the vector kernel; biases are untouched.
    public func addGradient<S: TensorScalar>(to parameters: [Parameter<S>]) {
        guard lambda > 0 else { return }
        let scale = S(2 * lambda)
        for parameter in parameters where parameter.role == .weight {
            parameter.gradient.add(parameter.value, scaledBy: scale)
        }
    }
}

// MARK: - Reading from a configuration

extension L2Regularizer {
    /// Reads `lambda` and checks it.
    ///
    /// - Throws: `ConfigurationError` naming an unknown key (a misspelt `lambda`, with its correction),
    ///   or `lambda` when it is missing, not a number, negative or not finite.
    public init(options: inout Options) throws {
        try options.declare("lambda")
        self.init(lambda: try options.required("lambda", .nonNegative))
    }
}
