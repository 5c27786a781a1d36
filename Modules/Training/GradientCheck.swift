import BackpropRegularizers
import BackpropLayers
import BackpropTensor

/// How far an analytic gradient is from a numerical one, for one parameter tensor.
public struct GradientComparison: Sendable, Equatable, Codable {
    /// The parameter's name (`fc1.weight`).
    public var name: String
    public var shape: [Int]
    /// The largest element-wise relative error |gₐ − gₙ| / max(ε, |gₐ| + |gₙ|).
    public var maxRelativeError: Double
    /// The mean of the element-wise relative errors.
    public var meanRelativeError: Double
    /// The largest absolute difference |gₐ − gₙ|.
    public var maxAbsoluteError: Double
}

/// Compares analytic gradients with numerical ones computed by centred differences.
///
/// For each element θᵢ the numerical gradient is (J(θᵢ + h) − J(θᵢ − h)) / 2h, with J the full cost
/// (loss plus regularisation). The comparison is the course's relative error
/// |gₐ − gₙ| / max(ε, |gₐ| + |gₙ|), reported per parameter tensor. Use `Double` models: in `Float` the
/// difference quotient loses about half of its digits.
public enum GradientCheck {
    /// Compares the gradients that `computeAnalytic` leaves in `parameters` with centred differences of `cost`.
    ///
    /// - Parameters:
    ///   - parameters: the tensors to perturb; their `gradient` is read after `computeAnalytic` runs.
    ///   - cost: the full cost at the current parameter values; must be deterministic.
    ///   - computeAnalytic: fills every parameter's `gradient` (a forward and backward pass).
    ///   - step: the perturbation h.
    ///   - epsilon: the floor ε of the denominator, so that two tiny gradients do not count as far apart.
    /// - Complexity: two evaluations of `cost` per parameter element.
    public static func compare<Scalar: TensorScalar>(
        parameters: [Parameter<Scalar>], cost: () -> Double, computeAnalytic: () -> Void,
        step: Double = 1e-5, epsilon: Double = 1e-8
    ) -> [GradientComparison] {
        computeAnalytic()
        let analytic = parameters.map(\.gradient)
        return zip(parameters, analytic).map { parameter, analyticGradient in
            var maxRelative = 0.0, sumRelative = 0.0, maxAbsolute = 0.0
            for i in 0..<parameter.value.count {
                let original = parameter.value.scalars[i]
                parameter.value.scalars[i] = original + Scalar(step)
                let plus = cost()
                parameter.value.scalars[i] = original - Scalar(step)
                let minus = cost()
                parameter.value.scalars[i] = original
                let numerical = (plus - minus) / (2 * step)
                let exact = Double(analyticGradient.scalars[i])
                let absolute = abs(exact - numerical)
                let relative = absolute / max(epsilon, abs(exact) + abs(numerical))
                maxRelative = max(maxRelative, relative)
                maxAbsolute = max(maxAbsolute, absolute)
                sumRelative += relative
            }
            return GradientComparison(
                name: parameter.name, shape: parameter.value.shape, maxRelativeError: maxRelative,
                meanRelativeError: sumRelative / Double(max(parameter.value.count, 1)),
                maxAbsoluteError: maxAbsolute)
        }
    }

    /// Checks a model's backward pass, the loss and the regularisers together on one batch.
    ///
    /// By default the model runs in inference phase so that stochastic layers (dropout) are the identity.
    /// In the training phase batch normalisation uses the batch's statistics, the function it trains
    /// with; every pass then starts from the same generator (seed 0), so a dropout mask is the same in
    /// each and the cost is still a deterministic function of the parameters.
    ///
    /// - Parameters:
    ///   - model: the model whose parameters are checked.
    ///   - regularizers: their penalties are part of the cost, their gradients of the analytic one.
    ///   - inputs: the batch, one example per row.
    ///   - labels: the class of each example.
    ///   - phase: the phase of every forward pass (`.inference` by default).
    ///   - step: the perturbation h.
    ///   - epsilon: the floor ε of the relative error's denominator.
    public static func check<Scalar: TensorScalar>(
        model: Sequential<Scalar>, regularizers: [any Regularizer], inputs: Tensor<Scalar>, labels: [Int],
        phase: ForwardContext.Phase = .inference, step: Double = 1e-5, epsilon: Double = 1e-8
    ) -> [GradientComparison] {
        let loss = SoftmaxCrossEntropy<Scalar>()
        let parameters = model.parameters
        func cost() -> Double {
            var context = ForwardContext(phase: phase)
            let logits = model.forward(inputs, context: &context)
            return loss.loss(logits: logits, labels: labels)
                + regularizers.reduce(0) { $0 + $1.penalty(parameters) }
        }
        return compare(parameters: parameters, cost: cost, computeAnalytic: {
            var context = ForwardContext(phase: phase)
            let logits = model.forward(inputs, context: &context)
            _ = model.backward(loss(logits: logits, labels: labels).gradient)
            for regularizer in regularizers { regularizer.addGradient(to: parameters) }
        }, step: step, epsilon: epsilon)
    }
}
