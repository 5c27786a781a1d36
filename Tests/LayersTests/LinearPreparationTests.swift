@testable import BackpropLayers
import BackpropTensor
import BackpropTestSupport
import Foundation
import Testing

/// A training forward pass on rows read in place has the helper thread pack them for the weight
/// gradient (`Tensor.prepareMatmul`). The layer must end that preparation when it lets the rows go
/// without its backward pass, so that the helper never reads a matrix that is gone and no later
/// product takes panels packed from it.
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

    @Test("The backward pass uses what the forward pass prepared")
    func backwardUsesIt() {
        guard MatrixProductKernel.threadLimit > 1 else { return }
        let batch = Batch(seed: 61)
        let expected = batch.weightGradient().0
        var generator = SeededGenerator(seed: 62)
        let layer = Linear<Float>(3072, 50, generator: &generator)
        var leftPrepared = false
        let used = retrying {
            _ = layer.forward(batch.rows, preparingBackward: true)
            let before = MatrixProductKernel.preparedProducts
            _ = layer.backward(batch.g, needsInputGradient: false)
            leftPrepared = leftPrepared || layer.isPreparedForBackward
            return MatrixProductKernel.preparedProducts > before
        }
        #expect(used)
        #expect(!leftPrepared)
        #expect(layer.weight.gradient == expected)
    }

    @Test("A layer let go between its forward and backward passes forgets what it prepared")
    func letGoForgets() {
        guard MatrixProductKernel.threadLimit > 1 else { return }
        let batch = Batch(seed: 63)
        let expected = batch.weightGradient().0
        var generator = SeededGenerator(seed: 64)
        for _ in 0..<5 {
            var posted = false
            do {
                let layer = Linear<Float>(3072, 50, generator: &generator)
                posted = retrying {
                    _ = layer.forward(batch.rows, preparingBackward: true)
                    return layer.isPreparedForBackward
                }
            }
            #expect(posted)
            // The same product on the same rows, which the preparation would fit: not used.
            let (product, used) = batch.weightGradient()
            #expect(product == expected)
            #expect(!used)
        }
    }

    @Test("A new input forgets the rows prepared before, even when the layer held their matrix alone")
    func replacedInputForgets() {
        guard MatrixProductKernel.threadLimit > 1 else { return }
        let batch = Batch(seed: 65)
        let expected = batch.weightGradient().0
        var generator = SeededGenerator(seed: 66)
        let layer = Linear<Float>(3072, 50, generator: &generator)
        var context = ForwardContext(phase: .training)
        for _ in 0..<5 {
            // Rows of a matrix only the layer keeps, replaced by a dense batch: the matrix is freed as
            // the input changes, after the helper is done with it (AddressSanitizer checks).
            #expect(retrying {
                _ = layer.forward(Batch(seed: 67).rows, preparingBackward: true)
                return layer.isPreparedForBackward
            })
            _ = layer.forward(batch.rows.gathered(), context: &context)
            #expect(!layer.isPreparedForBackward)
            // Rows of the batch, then a dense batch: the product on those rows no longer uses it.
            #expect(retrying {
                _ = layer.forward(batch.rows, preparingBackward: true)
                return layer.isPreparedForBackward
            })
            _ = layer.forward(batch.rows.gathered(), context: &context)
            let (product, used) = batch.weightGradient()
            #expect(product == expected)
            #expect(!used)
        }
    }
}
