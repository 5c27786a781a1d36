import BackpropLayers
import BackpropTensor
import Testing

/// Tests that `ReLU.backward` writes its own buffer: the incoming gradient is left as it was, and the
/// result is the gradient masked by the forward output.
@Suite("ReLU buffers")
struct ReLUBufferTests {
    @Test("backward masks a copy and leaves the incoming gradient untouched, batch after batch")
    func backwardLeavesInputAlone() {
        let relu = ReLU<Float>()
        var context = ForwardContext(phase: .training, generator: SeededGenerator(seed: 1))
        for shift in [Float(0), 1] {
            let x = Tensor<Float>(shape: [2, 3], scalars: [-1, 2, 0, 3, -4, 5].map { $0 + shift })
            _ = relu.forward(x, context: &context)
            let g = Tensor<Float>(shape: [2, 3], scalars: [10, 20, 30, 40, 50, 60])
            let d = relu.backward(g, needsInputGradient: true)
            #expect(g.scalars == [10, 20, 30, 40, 50, 60])
            let expected = zip(x.scalars, g.scalars).map { $0 > 0 ? $1 : 0 }
            #expect(d.scalars == expected, "shift \(shift)")
        }
    }

    @Test("outputs handed out earlier keep their values, and backward masks with the latest forward pass")
    func outputsAlternateBuffers() {
        // The layer writes two buffers in turn. The caller holds on to every output but the third (of
        // which it keeps a copy), so later passes write both held buffers (copied on write) and free ones.
        let relu = ReLU<Float>()
        var context = ForwardContext(phase: .training, generator: SeededGenerator(seed: 1))
        var held: [Tensor<Float>] = []
        for step in 0..<5 {
            let sign: Float = step % 2 == 0 ? 1 : -1
            let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6].map { $0 * sign + Float(step) / 10 })
            let output = relu.forward(x, context: &context)
            if step != 2 { held.append(output) } else { held.append(Tensor(shape: [2, 3], scalars: output.scalars)) }
            let g = Tensor<Float>(shape: [2, 3], scalars: [1, 1, 1, 1, 1, 1])
            let expectedMask = x.scalars.map { $0 > 0 ? Float(1) : 0 }
            #expect(relu.backward(g, needsInputGradient: true).scalars == expectedMask, "step \(step)")
        }
        for (step, output) in held.enumerated() {
            let sign: Float = step % 2 == 0 ? 1 : -1
            let x = [1, 2, 3, 4, 5, 6].map { Float($0) * sign + Float(step) / 10 }
            #expect(output.scalars == x.map { max($0, 0) }, "output of step \(step)")
        }
    }

    @Test("forward and backward follow max(x, 0) and the mask exactly, over vector tails, NaN, ±0 and ±∞")
    func specialValuesAndTails() {
        let relu = ReLU<Float>()
        var context = ForwardContext(phase: .training, generator: SeededGenerator(seed: 1))
        var rng = SeededGenerator(seed: 5)
        // 37 values: not a multiple of any vector width, so the loops' tails run too.
        var values = (0..<37).map { _ in Float(rng.nextNormal()) }
        values[0] = .nan; values[1] = -0.0; values[2] = 0; values[3] = .infinity; values[4] = -.infinity
        let x = Tensor<Float>(shape: [1, 37], scalars: values)
        let y = relu.forward(x, context: &context)
        #expect(y.scalars[0] == 0 && y.scalars[1] == 0 && y.scalars[2] == 0)
        #expect(y.scalars[3] == .infinity && y.scalars[4] == 0)
        for i in 5..<37 { #expect(y.scalars[i] == max(values[i], 0)) }
        let g = Tensor<Float>(shape: [1, 37], scalars: (0..<37).map { Float($0) + 0.5 })
        let d = relu.backward(g, needsInputGradient: true)
        for i in 0..<37 { #expect(d.scalars[i] == (y.scalars[i] > 0 ? g.scalars[i] : 0), "element \(i)") }
    }
}
