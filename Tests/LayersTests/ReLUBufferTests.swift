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
}
