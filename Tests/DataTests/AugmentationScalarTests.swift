import BackpropData
import BackpropTensor
import Testing

/// `Augmentation.apply` is generic over the scalar: a Double batch is augmented in place with the same
/// random draws as a Float one.
@Suite("Augmentations in any scalar")
struct AugmentationScalarTests {
    private func batches(seed: UInt64) -> (Tensor<Float>, Tensor<Double>) {
        var generator = SeededGenerator(seed: seed)
        let values = (0..<(6 * 12)).map { _ in Float(generator.nextNormal()) }
        return (Tensor(shape: [6, 12], scalars: values), Tensor(shape: [6, 12], scalars: values.map(Double.init)))
    }

    @Test("A flip moves Double pixels exactly as Float ones, drawing the same numbers")
    func flipInDouble() {
        var (floats, doubles) = batches(seed: 1)
        var g1 = SeededGenerator(seed: 2), g2 = SeededGenerator(seed: 2)
        let flip = HorizontalFlip(probability: 0.5, imageShape: ImageShape(channels: 3, height: 2, width: 2))
        flip.apply(to: &floats, generator: &g1)
        flip.apply(to: &doubles, generator: &g2)
        #expect(doubles.scalars == floats.scalars.map(Double.init))
        #expect(g1.next() == g2.next())
    }

    @Test("Noise on a Double batch is the Float batch's noise, added in Double")
    func noiseInDouble() {
        var (floats, doubles) = batches(seed: 3)
        let original = doubles
        var g1 = SeededGenerator(seed: 4), g2 = SeededGenerator(seed: 4)
        GaussianNoise(standardDeviation: 0.5).apply(to: &floats, generator: &g1)
        GaussianNoise(standardDeviation: 0.5).apply(to: &doubles, generator: &g2)
        #expect(doubles != original)
        for i in 0..<floats.count { #expect(abs(doubles.scalars[i] - Double(floats.scalars[i])) < 1e-6) }
        #expect(g1.next() == g2.next())
    }
}
