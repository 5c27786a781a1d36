import BackpropData
import BackpropRegistry
import BackpropTensor
import Testing

/// Random translation, and noise on a fraction of each batch (issue 17): what each changes, and what
/// each must leave alone.
@Suite struct TranslationAndNoiseFractionTests {
    /// `image` (planar, `shape`) shifted by (dx, dy), zeros shifted in.
    static func shifted(_ image: [Float], _ shape: ImageShape, dx: Int, dy: Int) -> [Float] {
        var out = [Float](repeating: 0, count: image.count)
        let (w, h) = (shape.width, shape.height)
        for c in 0..<shape.channels {
            for r in 0..<h {
                for col in 0..<w where (0..<h).contains(r - dy) && (0..<w).contains(col - dx) {
                    out[c * w * h + r * w + col] = image[c * w * h + (r - dy) * w + (col - dx)]
                }
            }
        }
        return out
    }

    @Test func everyImageIsItselfShiftedWithinTheLimitAllPlanesAlike() {
        let shape = ImageShape(channels: 3, height: 5, width: 6)
        let images = (0..<200).map { i in (0..<shape.featureCount).map { Float(1000 * i + $0 + 1) } }
        var batch = Tensor<Float>(shape: [200, shape.featureCount], scalars: images.flatMap { $0 })
        var generator = SeededGenerator(seed: 9)
        RandomTranslation(maxShift: 2, imageShape: shape).apply(to: &batch, generator: &generator)
        var seen = Set<[Int]>()
        for (i, image) in images.enumerated() {
            let row = Array(batch.scalars[i * shape.featureCount..<(i + 1) * shape.featureCount])
            // Exactly one shift in [−2, 2]² explains the row: the planes moved together, nothing mixed
            // in from another image.
            let shifts = (-2...2).flatMap { dx in (-2...2).map { dy in [dx, dy] } }
                .filter { Self.shifted(image, shape, dx: $0[0], dy: $0[1]) == row }
            #expect(shifts.count == 1, "image \(i)")
            if let shift = shifts.first { seen.insert(shift) }
        }
        #expect(seen.count == 25, "every shift of the 5 × 5 should turn up in 200 images, saw \(seen.count)")
    }

    @Test func noShiftOrNoImageChangesNothing() {
        let shape = ImageShape(channels: 1, height: 4, width: 4)
        let original = Tensor<Float>(shape: [3, 16], scalars: (0..<48).map(Float.init))
        var batch = original
        var generator = SeededGenerator(seed: 1)
        RandomTranslation(maxShift: 0, imageShape: shape).apply(to: &batch, generator: &generator)
        #expect(batch == original && generator == SeededGenerator(seed: 1))
    }

    @Test func noiseOnAFractionTouchesExactlyThatManyRows() {
        let original = Tensor<Float>(repeating: 2, shape: [100, 33])
        var batch = original
        var generator = SeededGenerator(seed: 4)
        GaussianNoise(standardDeviation: 0.01, fraction: 0.1).apply(to: &batch, generator: &generator)
        let changed = (0..<100).filter { row in (0..<33).contains { batch[row, $0] != 2 } }
        #expect(changed.count == 10)
        // Every feature of a chosen row is noisy; the others are bit for bit as they were.
        for row in changed { #expect((0..<33).allSatisfy { batch[row, $0] != 2 }) }
        // Another batch draws other rows.
        var again = original
        GaussianNoise(standardDeviation: 0.01, fraction: 0.1).apply(to: &again, generator: &generator)
        #expect((0..<100).filter { row in (0..<33).contains { again[row, $0] != 2 } } != changed)
    }

    @Test func theWholeBatchDrawsAsBefore() {
        // fraction 1 keeps the stream of the noise without a fraction: the same values, the same draws.
        var a = Tensor<Float>(zeros: [4, 9]), b = a
        var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7)
        GaussianNoise(standardDeviation: 0.5).apply(to: &a, generator: &g1)
        GaussianNoise(standardDeviation: 0.5, fraction: 1).apply(to: &b, generator: &g2)
        #expect(a == b && g1 == g2)
        var none = Tensor<Float>(zeros: [4, 9])
        GaussianNoise(standardDeviation: 0.5, fraction: 0).apply(to: &none, generator: &g1)
        #expect(none == Tensor<Float>(zeros: [4, 9]))
    }

    @Test func theRegistryReadsBothWithTheirLimits() throws {
        let registry = Registry<any Augmentation>.standardAugmentations
        let context = PluginContext(batchesPerEpoch: 10, imageShape: .cifar)
        let shift = try registry.make(["name": "random_translation", "pixels": 4], path: "augmentations[0]", context: context)
        #expect((shift as? RandomTranslation) == RandomTranslation(maxShift: 4, imageShape: .cifar))
        let noise = try registry.make(["name": "gaussian_noise", "variance": 1e-4, "fraction": 0.1], path: "augmentations[1]")
        #expect((noise as? GaussianNoise) == GaussianNoise(standardDeviation: 0.01, fraction: 0.1))
        func message(_ json: JSONValue) -> String {
            do { _ = try registry.make(json, path: "augmentations[0]", context: context) } catch { return "\(error)" }
            return "no error"
        }
        #expect(message(["name": "random_translation", "pixels": 32]).contains("augmentations[0].pixels"))
        #expect(message(["name": "random_translation"]).contains("augmentations[0].pixels"))
        #expect(message(["name": "gaussian_noise", "std": 0.1, "variance": 0.01]).contains("augmentations[0].variance"))
        #expect(message(["name": "gaussian_noise", "fraction": 0.5]).contains("missing key 'augmentations[0].std'"))
        #expect(message(["name": "gaussian_noise", "std": 0.1, "fraction": 1.5]).contains("augmentations[0].fraction"))
    }
}
