import BackpropLayers
import BackpropTensor
import Foundation
import Testing

/// A training forward pass on rows read in place has the helper thread pack them for the weight
/// gradient (`Tensor.prepareMatmul`). The layer must end that preparation when it lets the rows go
/// without its backward pass, so that no later product takes panels of a matrix that may be gone.
@Suite("Linear packing ahead")
struct LinearPreparationTests {
    private struct Batch {
        var rows: IndexedRows<Float>
        var g: Tensor<Float>

        init(seed: UInt64) {
            var generator = SeededGenerator(seed: seed)
            let source = Tensor<Float>(shape: [300, 3072], scalars: (0..<300 * 3072).map { _ in
                Float(generator.nextNormal())
            })
            rows = IndexedRows(of: source, at: generator.permutation(300).prefix(100))
            g = Tensor<Float>(shape: [100, 50], scalars: (0..<5000).map { _ in Float(generator.nextNormal()) })
        }

        /// xᵀ·g straight from the rows, as the layer's weight gradient computes it; whether it used a
        /// preparation.
        func weightGradient() -> (Tensor<Float>, used: Bool) {
            var product = Tensor<Float>(zeros: [0, 0])
            let before = MatrixProductKernel.preparedProducts
            Tensor.matmul(rows, true, g, false, into: &product)
            return (product, MatrixProductKernel.preparedProducts > before)
        }
    }

    @Test("A layer kept until the product leaves its preparation for it; one let go does not")
    func letGoForgets() {
        guard MatrixProductKernel.threadLimit > 1 else { return }
        let batch = Batch(seed: 61)
        let expected = batch.weightGradient().0
        var generator = SeededGenerator(seed: 62)
        // Kept: the product right after the forward pass uses what it prepared (retried while other
        // tests hold the helper).
        let kept = Linear<Float>(3072, 50, generator: &generator)
        var usedWhileKept = false
        for _ in 0..<2000 where !usedWhileKept {
            _ = kept.forward(batch.rows, preparingBackward: true)
            let (product, used) = batch.weightGradient()
            #expect(product == expected)
            usedWhileKept = used
        }
        #expect(usedWhileKept)
        // Let go before its backward pass: the same product no longer uses it.
        for _ in 0..<20 {
            do {
                let layer = Linear<Float>(3072, 50, generator: &generator)
                _ = layer.forward(batch.rows, preparingBackward: true)
            }
            let (product, used) = batch.weightGradient()
            #expect(product == expected)
            #expect(!used)
        }
    }

    @Test("A forward pass on a dense batch forgets the rows prepared before")
    func replacedInputForgets() {
        guard MatrixProductKernel.threadLimit > 1 else { return }
        let batch = Batch(seed: 63)
        let expected = batch.weightGradient().0
        var generator = SeededGenerator(seed: 64)
        let layer = Linear<Float>(3072, 50, generator: &generator)
        var context = ForwardContext(phase: .training)
        for _ in 0..<20 {
            _ = layer.forward(batch.rows, preparingBackward: true)
            _ = layer.forward(batch.rows.gathered(), context: &context)
            let (product, used) = batch.weightGradient()
            #expect(product == expected)
            #expect(!used)
        }
    }
}
