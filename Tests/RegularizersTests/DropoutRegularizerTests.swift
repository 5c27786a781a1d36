import BackpropLayers
import BackpropRegistry
import BackpropRegularizers
import BackpropTensor
import Testing

@Suite("DropoutRegularizer")
struct DropoutRegularizerTests {
    func model(seed: UInt64 = 1) -> Sequential<Double> {
        var rng = SeededGenerator(seed: seed)
        return Sequential<Double>([
            Linear(6, 8, generator: &rng, name: "fc1"),
            ReLU(),
            Sequential<Double>([Linear(8, 8, generator: &rng, name: "fc2"), ReLU()]),
            Linear(8, 3, generator: &rng, name: "fc3"),
        ])
    }

    func input(rows: Int, columns: Int, seed: UInt64) -> Tensor<Double> {
        var rng = SeededGenerator(seed: seed)
        return Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { _ in rng.nextNormal() })
    }

    @Test("a dropout layer follows every ReLU, nested ones included, and only once")
    func insertion() throws {
        let net = model()
        let dropout = DropoutRegularizer(rate: 0.3)
        dropout.prepare(net)
        #expect(net.description
            == "Sequential(Linear(6 → 8) → ReLU → Dropout(0.3) → Sequential(Linear(8 → 8) → ReLU → Dropout(0.3)) → Linear(8 → 3))")
        let described = net.description
        dropout.prepare(net)
        #expect(net.description == described)
        // No penalty, no gradient, parameters unchanged.
        #expect(dropout.penalty(net.parameters) == 0)
        #expect(net.parameters.count == 6)
    }

    @Test("rate 0 leaves the model as it was")
    func zeroRate() {
        let net = model()
        let described = net.description
        DropoutRegularizer(rate: 0).prepare(net)
        #expect(net.description == described)
    }

    @Test("inference output is unchanged by the inserted layers")
    func inferenceUnchanged() {
        let x = input(rows: 5, columns: 6, seed: 9)
        let net = model()
        let before = net(x)
        DropoutRegularizer(rate: 0.5).prepare(net)
        #expect(net(x) == before)
        var training = ForwardContext(phase: .training, generator: SeededGenerator(seed: 4))
        #expect(net.forward(x, context: &training) != before)
    }

    @Test("in training, about `rate` of the activations are zeroed and the rest scaled by 1/(1 − rate)",
          arguments: [0.1, 0.3, 0.5, 0.8])
    func trainingMask(rate: Double) {
        let layer = Dropout<Double>(rate: rate)
        var context = ForwardContext(phase: .training, generator: SeededGenerator(seed: 11))
        let output = layer.forward(Tensor(repeating: 1, shape: [100, 200]), context: &context)
        let zeros = output.scalars.filter { $0 == 0 }.count
        let fraction = Double(zeros) / Double(output.count)
        // 20,000 draws: the standard deviation of the fraction is at most 0.0036.
        #expect(abs(fraction - rate) < 0.02, "dropped \(fraction), expected \(rate)")
        #expect(output.scalars.allSatisfy { $0 == 0 || $0 == 1 / (1 - rate) })
    }

    @Test("backward matches the numerical gradient for a fixed mask")
    func backwardMatchesNumerical() {
        let layer = Dropout<Double>(rate: 0.4)
        let x = input(rows: 4, columns: 7, seed: 21)
        let weights = input(rows: 4, columns: 7, seed: 22)
        // cost(x) = Σ weights ⊙ dropout(x); the same seed gives the same mask on every evaluation.
        func cost(_ x: Tensor<Double>) -> Double {
            var context = ForwardContext(phase: .training, generator: SeededGenerator(seed: 5))
            return zip(layer.forward(x, context: &context).scalars, weights.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        }
        _ = cost(x)
        let analytic = layer.backward(weights)
        let h = 1e-5
        var worst = 0.0
        var dropped = 0
        for i in 0..<x.count {
            var plus = x, minus = x
            plus.scalars[i] += h
            minus.scalars[i] -= h
            let numerical = (cost(plus) - cost(minus)) / (2 * h)
            if analytic.scalars[i] == 0 { dropped += 1 }
            worst = max(worst, abs(numerical - analytic.scalars[i]) / max(abs(numerical) + abs(analytic.scalars[i]), 1e-12))
        }
        #expect(worst < 1e-8)
        #expect(dropped > 0 && dropped < x.count)
    }

    @Test("configuration: rate is required and must lie in [0, 1)")
    func configuration() throws {
        let registry = Registry<any Regularizer>.standardRegularizers
        let dropout = try registry.make(["name": "dropout", "rate": 0.25], path: "regularizers[1]")
        #expect(dropout.description == "Dropout(rate: 0.25)")
        for rate in [1.0, -0.1, 1.5] {
            #expect(throws: ConfigurationError.invalidValue(
                path: "regularizers[1].rate", reason: "must be in [0, 1), found \(rate)")) {
                try registry.make(["name": "dropout", "rate": .number(rate)], path: "regularizers[1]")
            }
        }
        #expect(throws: ConfigurationError.missingKey(path: "regularizers[1].rate")) {
            try registry.make(["name": "dropout"], path: "regularizers[1]")
        }
        #expect(throws: ConfigurationError.wrongType(path: "regularizers[1].rate", expected: "a number", found: "string")) {
            try registry.make(["name": "dropout", "rate": "half"], path: "regularizers[1]")
        }
    }
}

/// A container of a user's own: a residual-free "block" that applies its layers in order.
final class Block<Scalar: TensorScalar>: LayerSequence {
    private(set) var layers: [any Layer<Scalar>]
    init(_ layers: [any Layer<Scalar>]) { self.layers = layers }
    func insert(_ layer: any Layer<Scalar>, at index: Int) { layers.insert(layer, at: index) }
    var description: String { "Block(" + layers.map { $0.description }.joined(separator: " → ") + ")" }
    func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        layers.reduce(x) { $1.forward($0, context: &context) }
    }
    func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> {
        layers.reversed().reduce(g) { $1.backward($0, needsInputGradient: true) }
    }
    var parameters: [Parameter<Scalar>] { layers.flatMap { $0.parameters } }
}

@Suite struct DropoutIntoUserContainersTests {
    @Test func dropoutReachesIntoAnyLayerSequence() {
        var rng = SeededGenerator(seed: 1)
        let block = Block<Float>([Linear<Float>(4, 3, generator: &rng, name: "a"), ReLU<Float>()])
        let model = Sequential<Float> { block; Linear<Float>(3, 2, generator: &rng, name: "b") }
        DropoutRegularizer(rate: 0.25).prepare(model)
        #expect(block.description == "Block(Linear(4 → 3) → ReLU → Dropout(0.25))")
    }
}
