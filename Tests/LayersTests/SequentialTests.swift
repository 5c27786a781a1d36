import Backprop
import Testing

@Suite struct SequentialTests {
    @Test func composesAndListsParametersInOrder() {
        var rng = SeededGenerator(seed: 1)
        let model = Sequential<Float> {
            Linear<Float>(3072, 50, generator: &rng, name: "fc1")
            ReLU<Float>()
            Linear<Float>(50, 10, generator: &rng, name: "fc2")
        }
        #expect(model.parameters.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(model.description == "Sequential(Linear(3072 → 50) → ReLU → Linear(50 → 10))")
        let out = model(Tensor(zeros: [4, 3072]))
        #expect(out.shape == [4, 10])
        #expect(out.scalars.allSatisfy { $0 == 0 })
    }

    @Test func sameSeedSameModel() {
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11)
        #expect(Linear<Double>(4, 3, generator: &a).weight.value == Linear<Double>(4, 3, generator: &b).weight.value)
    }

    @Test("A model's forward and backward passes are its layers' one after another", arguments: [false, true])
    func forwardIsLayerByLayer(double: Bool) {
        if double { checkLayerByLayer(Double.self) } else { checkLayerByLayer(Float.self) }
    }

    private func checkLayerByLayer<S: TensorScalar>(_: S.Type) {
        var rng = SeededGenerator(seed: 3)
        let first = Linear<S>(37, 21, generator: &rng), relu = ReLU<S>(), second = Linear<S>(21, 5, generator: &rng)
        // A bias with both signs, so that the ReLU cuts where the bias decides.
        first.bias.value = Tensor(shape: [1, 21], scalars: (0..<21).map { S(Double($0 % 5) - 2) * S(0.3) })
        let model = Sequential<S>([first, relu, second])
        let x = Tensor<S>(shape: [9, 37], scalars: (0..<(9 * 37)).map { _ in S(rng.nextNormal()) })
        var context = ForwardContext(phase: .training)
        let whole = model.forward(x, context: &context)
        let hidden = relu.forward(first.forward(x, context: &context), context: &context)
        let layered = second.forward(hidden, context: &context)
        #expect(whole.scalars == layered.scalars)
        #expect(hidden.scalars.contains(0) && hidden.scalars.contains { $0 > 0 })
        let g = Tensor<S>(shape: [9, 5], scalars: (0..<45).map { S(Double($0 % 7) - 3) })
        _ = model.forward(x, context: &context)
        _ = model.backward(g, needsInputGradient: false)
        let modelGradient = first.weight.gradient.scalars
        _ = second.forward(relu.forward(first.forward(x, context: &context), context: &context), context: &context)
        let hiddenGradient = second.backward(g, needsInputGradient: true)
        _ = first.backward(relu.backward(hiddenGradient), needsInputGradient: false)
        #expect(first.weight.gradient.scalars == modelGradient)
    }

    /// A user's layer that adopts the in-place capability: it scales the rows it is given, reading them
    /// where they are, and counts the calls.
    private final class ScaledRows: Layer {
        typealias Scalar = Float
        var inPlaceCalls = 0
        var description: String { "ScaledRows" }
        func forward(_ input: Tensor<Float>, context: inout ForwardContext) -> Tensor<Float> { input * 2 }
        func forward(_ input: IndexedRows<Float>, context: inout ForwardContext) -> Tensor<Float> {
            inPlaceCalls += 1
            var out = Tensor<Float>(zeros: input.shape)
            for (i, row) in input.indices.enumerated() {
                for j in 0..<input.columns { out.scalars[i * input.columns + j] = 2 * input.source.scalars[row * input.columns + j] }
            }
            return out
        }
        var readsIndexedRowsInPlace: Bool { true }
        func backward(_ g: Tensor<Float>, needsInputGradient: Bool) -> Tensor<Float> { g * 2 }
    }

    @Test("A user's layer can read indexed rows in place: Sequential hands them to it, no downcast")
    func userLayerReadsIndexedRows() {
        let layer = ScaledRows()
        var rng = SeededGenerator(seed: 4)
        let model = Sequential<Float>([layer, Linear<Float>(6, 3, generator: &rng)])
        #expect(model.readsIndexedRowsInPlace)
        let source = Tensor<Float>(shape: [10, 6], scalars: (0..<60).map { Float($0) })
        let rows = IndexedRows(of: source, at: [7, 2, 2][...])
        var context = ForwardContext(phase: .training)
        let inPlace = model.forward(rows, context: &context)
        #expect(layer.inPlaceCalls == 1)
        #expect(inPlace == model.forward(rows.gathered(), context: &context))
        // A layer without the capability gets a gathered copy.
        #expect(!Sequential<Float>([ReLU<Float>(), layer]).readsIndexedRowsInPlace)
    }

    @Test("A batch of indexed rows gives the numbers of its gathered copy, forward and backward",
          arguments: [0, 1, 2])
    func indexedRowsMatchGatheredBatch(layout: Int) {
        var rng = SeededGenerator(seed: 8)
        // Linear → ReLU → Linear, Linear → Linear, and a first layer that copies indexed rows.
        func model() -> Sequential<Float> {
            var weights = SeededGenerator(seed: 21)
            let first = Linear<Float>(30, 12, generator: &weights), last = Linear<Float>(12, 4, generator: &weights)
            first.bias.value = Tensor(shape: [1, 12], scalars: (0..<12).map { Float($0 % 3) - 1 })
            switch layout {
            case 0: return Sequential([first, ReLU(), last])
            case 1: return Sequential([first, last])
            default: return Sequential([ReLU(), first, last])
            }
        }
        let source = Tensor<Float>(shape: [50, 30], scalars: (0..<1500).map { _ in Float(rng.nextNormal()) })
        let rows = IndexedRows(of: source, at: [49, 3, 3, 17, 0, 28, 11][...])
        let g = Tensor<Float>(shape: [7, 4], scalars: (0..<28).map { Float($0 % 5) - 2 })
        var context = ForwardContext(phase: .training)

        let indexed = model(), gathered = model()
        #expect(indexed.readsIndexedRowsInPlace == (layout != 2))
        let indexedOutput = indexed.forward(rows, context: &context)
        let gatheredOutput = gathered.forward(rows.gathered(), context: &context)
        #expect(indexedOutput == gatheredOutput)
        _ = indexed.backward(g, needsInputGradient: false)
        _ = gathered.backward(g, needsInputGradient: false)
        for (a, b) in zip(indexed.parameters, gathered.parameters) {
            #expect(a.gradient == b.gradient, "\(a.name)")
        }
        // Read in place, the rows did not move: the source is unchanged.
        #expect(rows.source == source)
    }
}
