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

    @Test("The fused bias + ReLU of a Linear → ReLU pair gives the layer-by-layer numbers, forward and backward",
          arguments: [false, true])
    func fusedBiasReLUMatchesLayerByLayer(double: Bool) {
        if double { checkFusedBiasReLU(Double.self) } else { checkFusedBiasReLU(Float.self) }
    }

    private func checkFusedBiasReLU<S: TensorScalar>(_: S.Type) {
        var rng = SeededGenerator(seed: 3)
        let first = Linear<S>(37, 21, generator: &rng), relu = ReLU<S>(), second = Linear<S>(21, 5, generator: &rng)
        // A bias with both signs, so that the ReLU cuts where the bias decides.
        first.bias.value = Tensor(shape: [1, 21], scalars: (0..<21).map { S(Double($0 % 5) - 2) * S(0.3) })
        let model = Sequential<S>([first, relu, second])
        let x = Tensor<S>(shape: [9, 37], scalars: (0..<(9 * 37)).map { _ in S(rng.nextNormal()) })
        var context = ForwardContext(phase: .training)
        let fused = model.forward(x, context: &context)
        let fusedHidden = relu.forward(first.forward(x, context: &context), context: &context)
        let layered = second.forward(fusedHidden, context: &context)
        #expect(fused.scalars == layered.scalars)
        #expect(fusedHidden.scalars.contains(0) && fusedHidden.scalars.contains { $0 > 0 })
        // Backward after the fused forward equals backward after the layer-by-layer one.
        let g = Tensor<S>(shape: [9, 5], scalars: (0..<45).map { S(Double($0 % 7) - 3) })
        _ = model.forward(x, context: &context)
        _ = model.backward(g, needsInputGradient: false)
        let fusedGradient = first.weight.gradient.scalars
        _ = second.forward(relu.forward(first.forward(x, context: &context), context: &context), context: &context)
        _ = model.backward(g, needsInputGradient: false)
        #expect(first.weight.gradient.scalars == fusedGradient)
    }

    @Test("A batch of indexed rows gives the numbers of its gathered copy, forward and backward",
          arguments: [0, 1, 2])
    func indexedRowsMatchGatheredBatch(layout: Int) {
        var rng = SeededGenerator(seed: 8)
        // Linear → ReLU → Linear (fused bias + ReLU), Linear → Linear, and a first layer that is not Linear.
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
