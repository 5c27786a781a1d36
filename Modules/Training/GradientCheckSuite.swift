import BackpropLayers
import BackpropRegularizers
import BackpropTensor

/// The standard gradient checks: the linear classifier, the 2-layer network and the 2-layer network with
/// batch normalisation (`2-layer-bn`, checked in the training phase, with the batch's statistics), in
/// Double, with L2 regularisation at several strengths (including none).
///
/// Small dimensions keep it fast (the numerical gradient costs two forward passes per parameter) and
/// mirror the course, which checks on the first 20 features of a few images.
public struct GradientCheckSuite: Sendable {
    /// One model and λ, with the comparison of every parameter tensor.
    public struct Case: Sendable {
        public var model: String
        public var lambda: Double
        public var comparisons: [GradientComparison]
        public var worst: Double { comparisons.map(\.maxRelativeError).max() ?? 0 }
    }

    public var inputs: Tensor<Double>
    public var labels: [Int]
    public var classes: Int
    public var hiddenWidth = 6
    public var lambdas: [Double] = [0, 0.01, 0.1, 1]
    public var seed: UInt64

    /// A suite on `inputs` (one example per row) with integer `labels` in `0..<classes`.
    public init(inputs: Tensor<Double>, labels: [Int], classes: Int, seed: UInt64 = 1) {
        self.inputs = inputs
        self.labels = labels
        self.classes = classes
        self.seed = seed
    }

    /// A suite on random data: `count` examples of `features` N(0, 1) features.
    public static func synthetic(count: Int = 8, features: Int = 20, classes: Int = 10, seed: UInt64 = 1) -> Self {
        var rng = SeededGenerator(seed: seed)
        let inputs = Tensor<Double>.normal(shape: [count, features], using: &rng)
        return GradientCheckSuite(
            inputs: inputs, labels: (0..<count).map { _ in rng.nextIndex(below: classes) },
            classes: classes, seed: seed)
    }

    /// Runs every model and λ.
    public func run() -> [Case] {
        var cases: [Case] = []
        let models: [(name: String, hidden: [Int], batchNorm: Bool)] = [
            ("linear", [], false), ("2-layer", [hiddenWidth], false), ("2-layer-bn", [hiddenWidth], true),
        ]
        for (name, hidden, batchNorm) in models {
            for lambda in lambdas {
                var rng = SeededGenerator(seed: seed)
                let model: Sequential<Double> = ModelSpec(hidden: hidden, batchNorm: batchNorm)
                    .makeModel(inputs: inputs.columns, classes: classes, generator: &rng)
                // Non-zero biases, shifts and scales away from 1, so that their gradients are checked away
                // from a special point.
                for parameter in model.parameters where parameter.role == .bias || parameter.role == .shift {
                    parameter.value = Tensor.normal(shape: parameter.value.shape, standardDeviation: 0.1, using: &rng)
                }
                for parameter in model.parameters where parameter.role == .scale {
                    parameter.value = Tensor.normal(shape: parameter.value.shape, standardDeviation: 0.1, using: &rng)
                        .map { $0 + 1 }
                }
                let regularizers: [any Regularizer] = lambda > 0 ? [L2Regularizer(lambda: lambda)] : []
                let comparisons = GradientCheck.check(
                    model: model, regularizers: regularizers, inputs: inputs, labels: labels,
                    phase: batchNorm ? .training : .inference)
                    // A bias just before a batch normalisation has a gradient of exactly 0 (the batch mean
                    // removes it); its centred difference is rounding noise, so a relative error means
                    // nothing there and it is left out.
                    .filter { !(batchNorm && $0.name == "fc1.bias") }
                cases.append(Case(model: name, lambda: lambda, comparisons: comparisons))
            }
        }
        return cases
    }
}
