import Backprop
import Testing

@Suite struct GradientCheckTests {
    @Test func standardSuitePassesBelowOneMillionth() {
        for entry in GradientCheckSuite.synthetic().run() {
            for comparison in entry.comparisons {
                #expect(comparison.maxRelativeError < 1e-6, "\(entry.model) λ=\(entry.lambda) \(comparison.name)")
            }
        }
    }

    @Test func catchesAWrongGradient() {
        // A layer whose backward pass is off by 1% must fail the check.
        var rng = SeededGenerator(seed: 2)
        let layer = Linear<Double>(4, 3, generator: &rng)
        let x = Tensor<Double>.normal(shape: [5, 4], using: &rng)
        let results = GradientCheck.compare(parameters: layer.parameters, cost: {
            var context = ForwardContext.inference
            return layer.forward(x, context: &context).sum()
        }, computeAnalytic: {
            var context = ForwardContext.inference
            _ = layer.forward(x, context: &context)
            _ = layer.backward(Tensor(repeating: 1, shape: [5, 3]))
            layer.weight.gradient.scale(by: 1.01)
        })
        #expect(results[0].maxRelativeError > 1e-3)
        #expect(results[1].maxRelativeError < 1e-8)
    }

    @Test func checksDropoutModelsInInferencePhase() {
        var rng = SeededGenerator(seed: 3)
        let model: Sequential<Double> = ModelSpec(hidden: [5]).makeModel(inputs: 6, classes: 3, generator: &rng)
        DropoutRegularizer(rate: 0.5).prepare(model)
        let x = Tensor<Double>.normal(shape: [4, 6], using: &rng)
        let results = GradientCheck.check(model: model, regularizers: [L2Regularizer(lambda: 0.1)], inputs: x, labels: [0, 1, 2, 1])
        #expect(results.allSatisfy { $0.maxRelativeError < 1e-6 })
    }
}
