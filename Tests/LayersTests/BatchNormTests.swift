import Backprop
import Testing

/// Batch normalisation: its gradients in both phases, its running statistics against PyTorch's rule,
/// and the difference between training and inference.
@Suite struct BatchNormTests {
    func batch(rows: Int, columns: Int, seed: UInt64, scale: Double = 1, shift: Double = 0) -> Tensor<Double> {
        var rng = SeededGenerator(seed: seed)
        return Tensor.normal(shape: [rows, columns], using: &rng).map { $0 * scale + shift }
    }

    /// A layer with γ, β and running statistics away from their initial values.
    func layer(features: Int) -> BatchNorm<Double> {
        let layer = BatchNorm<Double>(features: features, name: "bn1")
        layer.gamma.value = batch(rows: 1, columns: features, seed: 11, shift: 1)
        layer.beta.value = batch(rows: 1, columns: features, seed: 12)
        layer.runningMean.value = batch(rows: 1, columns: features, seed: 13)
        layer.runningVariance.value = batch(rows: 1, columns: features, seed: 14).map { abs($0) + 0.5 }
        return layer
    }

    /// Checks γ, β and ∂x against centred differences of J = Σ layer(x) ⊙ R in `phase`.
    func check(phase: ForwardContext.Phase) {
        let layer = layer(features: 4)
        var x = batch(rows: 6, columns: 4, seed: 3, scale: 2, shift: 0.5)
        let probe = batch(rows: 6, columns: 4, seed: 99)
        func cost() -> Double {
            var context = ForwardContext(phase: phase)
            return (layer.forward(x, context: &context) * probe).sum()
        }
        var inputGradient = Tensor<Double>(zeros: [0, 0])
        let results = GradientCheck.compare(parameters: layer.parameters, cost: cost) {
            var context = ForwardContext(phase: phase)
            _ = layer.forward(x, context: &context)
            inputGradient = layer.backward(probe)
        }
        #expect(results.map(\.name) == ["bn1.gamma", "bn1.beta"])
        for result in results {
            #expect(result.maxRelativeError < 1e-6, "\(phase) \(result.name): \(result.maxRelativeError)")
        }
        var worst = 0.0
        for i in 0..<x.count {
            let original = x.scalars[i]
            x.scalars[i] = original + 1e-6
            let plus = cost()
            x.scalars[i] = original - 1e-6
            let minus = cost()
            x.scalars[i] = original
            let numerical = (plus - minus) / 2e-6
            let exact = inputGradient.scalars[i]
            worst = max(worst, abs(exact - numerical) / max(1e-8, abs(exact) + abs(numerical)))
        }
        #expect(worst < 1e-6, "\(phase) ∂x: \(worst)")
    }

    @Test func gradientsInTraining() { check(phase: .training) }

    @Test func gradientsInInference() { check(phase: .inference) }

    @Test func gradientsThroughAModelWithLinearBatchNormAndReLU() {
        var rng = SeededGenerator(seed: 5)
        let model = Sequential<Double> {
            Linear<Double>(5, 7, generator: &rng, name: "fc1")
            BatchNorm<Double>(features: 7, name: "bn1")
            ReLU<Double>()
            Linear<Double>(7, 3, generator: &rng, name: "fc2")
        }
        let x = batch(rows: 8, columns: 5, seed: 6)
        let labels = [0, 1, 2, 0, 1, 2, 0, 1]
        let loss = SoftmaxCrossEntropy<Double>()
        let results = GradientCheck.compare(parameters: model.parameters, cost: {
            var context = ForwardContext(phase: .training)
            return loss.loss(logits: model.forward(x, context: &context), labels: labels)
        }, computeAnalytic: {
            var context = ForwardContext(phase: .training)
            _ = model.backward(loss(logits: model.forward(x, context: &context), labels: labels).gradient)
        })
        #expect(results.count == 6)
        for result in results { #expect(result.maxRelativeError < 1e-6, "\(result.name): \(result.maxRelativeError)") }
    }

    @Test func trainingNormalisesByTheBatchAndMovesTheRunningStatisticsAsPyTorch() {
        let layer = BatchNorm<Double>(features: 2)
        let x = Tensor<Double>([[1, 10], [2, 20], [6, 0]])
        var context = ForwardContext(phase: .training)
        let y = layer.forward(x, context: &context)
        // Column 0: mean 3, biased variance 14/3, unbiased 7; column 1: mean 10, variance 200/3 and 100.
        let means = [3.0, 10.0], biased = [14.0 / 3, 200.0 / 3], unbiased = [7.0, 100.0]
        for row in 0..<3 {
            for j in 0..<2 {
                let expected = (x[row, j] - means[j]) / (biased[j] + 1e-5).squareRoot()
                #expect(abs(y[row, j] - expected) < 1e-12)
            }
        }
        // torch.nn.BatchNorm1d(2): running_mean = 0.9·0 + 0.1·mean, running_var = 0.9·1 + 0.1·unbiased.
        #expect(zip(layer.runningMean.value.scalars, means).allSatisfy { abs($0 - 0.1 * $1) < 1e-12 })
        #expect(zip(layer.runningVariance.value.scalars, unbiased).allSatisfy { abs($0 - (0.9 + 0.1 * $1)) < 1e-12 })
        // A second batch compounds: 0.9·(0.1·mean) + 0.1·mean′.
        _ = layer.forward(Tensor<Double>([[0, 0], [2, 2]]), context: &context)
        #expect(abs(layer.runningMean.value.scalars[0] - (0.9 * 0.3 + 0.1 * 1)) < 1e-12)
        #expect(abs(layer.runningVariance.value.scalars[0] - (0.9 * 1.6 + 0.1 * 2)) < 1e-12)
        #expect(layer.buffers.map(\.name) == ["batch_norm.running_mean", "batch_norm.running_var"])
        #expect(layer.buffers.allSatisfy { $0.role == .statistic })
    }

    @Test func inferenceUsesTheRunningStatisticsAndLeavesThemAlone() {
        let layer = layer(features: 3)
        let x = batch(rows: 4, columns: 3, seed: 21, scale: 3, shift: 2)
        let (mean, variance) = (layer.runningMean.value, layer.runningVariance.value)
        var inference = ForwardContext.inference
        let y = layer.forward(x, context: &inference)
        for row in 0..<4 {
            for j in 0..<3 {
                let expected = layer.gamma.value.scalars[j] * (x[row, j] - mean.scalars[j])
                    / (variance.scalars[j] + 1e-5).squareRoot() + layer.beta.value.scalars[j]
                #expect(abs(y[row, j] - expected) < 1e-12)
            }
        }
        #expect(layer.runningMean.value == mean && layer.runningVariance.value == variance)
        // One example alone gives the same output in inference, not in training (where it would be β).
        let single = x.rows(0..<1)
        var again = ForwardContext.inference
        #expect(layer.forward(single, context: &again) == y.rows(0..<1))
        var training = ForwardContext(phase: .training)
        let trained = layer.forward(x, context: &training)
        #expect(trained != y)
        #expect(layer.runningMean.value != mean)
    }

    @Test func sequentialListsBuffersInOrderAndL2LeavesGammaAndBetaAlone() {
        var rng = SeededGenerator(seed: 1)
        let model = Sequential<Float> {
            Linear<Float>(3, 4, generator: &rng, name: "fc1")
            BatchNorm<Float>(features: 4, name: "bn1")
            ReLU<Float>()
            Linear<Float>(4, 4, generator: &rng, name: "fc2")
            BatchNorm<Float>(features: 4, name: "bn2")
        }
        #expect(model.buffers.map(\.name) == [
            "bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var",
        ])
        #expect(model.stateTensors.count == model.parameters.count + 4)
        let l2 = L2Regularizer(lambda: 1)
        let bn = model.parameters.filter { $0.name.hasPrefix("bn") }
        #expect(bn.count == 4)
        #expect(l2.penalty(bn) == 0)
        #expect(bn.allSatisfy { l2.gradientCoefficient(for: $0) == 0 })
    }
}
