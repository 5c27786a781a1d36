import Foundation
import Backprop
import Testing

/// Every layer and the loss against centred differences, in Double.
@Suite struct LayerGradientTests {
    func batch(rows: Int, columns: Int, seed: UInt64) -> Tensor<Double> {
        var rng = SeededGenerator(seed: seed)
        return Tensor.normal(shape: [rows, columns], using: &rng)
    }

    /// Checks `layer` through the cost J = Σ (layer(x) ⊙ R) for a fixed random R, so every output
    /// element contributes with its own weight; also checks ∂J/∂x.
    func checkLayer(_ layer: any Layer<Double>, input: Tensor<Double>) {
        let probe = batch(rows: input.rows, columns: layer.forwardShapeColumns(input), seed: 99)
        var x = input
        func cost() -> Double {
            var context = ForwardContext.inference
            return (layer.forward(x, context: &context) * probe).sum()
        }
        var inputGradient = Tensor<Double>(zeros: [0, 0])
        let results = GradientCheck.compare(parameters: layer.parameters, cost: cost) {
            var context = ForwardContext.inference
            _ = layer.forward(x, context: &context)
            inputGradient = layer.backward(probe)
        }
        for result in results {
            #expect(result.maxRelativeError < 1e-7, "\(result.name): \(result.maxRelativeError)")
        }
        // ∂J/∂x by centred differences.
        for i in 0..<x.count {
            let original = x.scalars[i]
            x.scalars[i] = original + 1e-6
            let plus = cost()
            x.scalars[i] = original - 1e-6
            let minus = cost()
            x.scalars[i] = original
            let numerical = (plus - minus) / 2e-6
            let exact = inputGradient.scalars[i]
            #expect(abs(exact - numerical) / max(1e-8, abs(exact) + abs(numerical)) < 1e-6)
        }
    }

    @Test func linear() {
        var rng = SeededGenerator(seed: 1)
        let layer = Linear<Double>(6, 4, generator: &rng)
        layer.bias.value = batch(rows: 1, columns: 4, seed: 2)
        checkLayer(layer, input: batch(rows: 5, columns: 6, seed: 3))
    }

    @Test func relu() {
        // Inputs kept away from the kink at 0, where the derivative is undefined.
        let x = batch(rows: 4, columns: 5, seed: 4).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
        checkLayer(ReLU<Double>(), input: x)
    }

    @Test func sequentialOfLinearAndReLU() {
        var rng = SeededGenerator(seed: 5)
        let model = Sequential<Double> {
            Linear<Double>(5, 7, generator: &rng, name: "fc1")
            ReLU<Double>()
            Linear<Double>(7, 3, generator: &rng, name: "fc2")
        }
        checkLayer(model, input: batch(rows: 4, columns: 5, seed: 6))
    }

    @Test func softmaxCrossEntropy() {
        var logits = batch(rows: 6, columns: 4, seed: 7)
        let labels = [0, 3, 1, 2, 2, 0]
        let loss = SoftmaxCrossEntropy<Double>()
        let (_, gradient) = loss(logits: logits, labels: labels)
        for i in 0..<logits.count {
            let original = logits.scalars[i]
            logits.scalars[i] = original + 1e-6
            let plus = loss.loss(logits: logits, labels: labels)
            logits.scalars[i] = original - 1e-6
            let minus = loss.loss(logits: logits, labels: labels)
            logits.scalars[i] = original
            let numerical = (plus - minus) / 2e-6
            let exact = gradient.scalars[i]
            #expect(abs(exact - numerical) / max(1e-8, abs(exact) + abs(numerical)) < 1e-7)
        }
    }

    @Test func lossMatchesTheDefinition() {
        let logits = Tensor<Double>([[1, 2, 3], [0, 0, 0]])
        let expected = -(log(exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0))) + log(1.0 / 3)) / 2
        #expect(abs(SoftmaxCrossEntropy<Double>().loss(logits: logits, labels: [2, 1]) - expected) < 1e-14)
    }

    @Test func confidentWrongAnswerHasALargeFiniteLoss() {
        let logits = Tensor<Float>([[1000, 0], [0, 0]])
        let (loss, gradient) = SoftmaxCrossEntropy<Float>()(logits: logits, labels: [1, 0])
        #expect(abs(loss - (1000 + log(2.0)) / 2) < 1e-3)
        #expect(gradient.scalars == [0.5, -0.5, -0.25, 0.25])
    }

    @Test func firstLayerSkipsTheInputGradient() {
        var rng = SeededGenerator(seed: 8)
        let layer = Linear<Double>(3, 2, generator: &rng)
        var context = ForwardContext.inference
        _ = layer.forward(batch(rows: 2, columns: 3, seed: 9), context: &context)
        #expect(layer.backward(Tensor(zeros: [2, 2]), needsInputGradient: false).count == 0)
    }
}

extension Layer where Scalar == Double {
    /// The number of output columns for an input, found by running the layer once.
    func forwardShapeColumns(_ input: Tensor<Double>) -> Int {
        var context = ForwardContext.inference
        return forward(input, context: &context).columns
    }
}
