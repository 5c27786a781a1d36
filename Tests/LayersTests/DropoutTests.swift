import Backprop
import Testing

@Suite struct DropoutTests {
    @Test func inferenceIsTheIdentity() {
        let x = Tensor<Double>([[1, 2, 3]])
        var context = ForwardContext.inference
        #expect(Dropout<Double>(rate: 0.5).forward(x, context: &context) == x)
    }

    @Test func trainingDropsAboutRateAndRescales() {
        let layer = Dropout<Double>(rate: 0.25)
        var context = ForwardContext(phase: .training, generator: SeededGenerator(seed: 3))
        let y = layer.forward(Tensor(repeating: 1, shape: [100, 100]), context: &context)
        let dropped = y.scalars.filter { $0 == 0 }.count
        #expect(abs(Double(dropped) / 10_000 - 0.25) < 0.02)
        #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-12 })
        // The backward pass uses the same mask.
        let g = layer.backward(Tensor(repeating: 1, shape: [100, 100]))
        #expect(g == y)
    }
}
