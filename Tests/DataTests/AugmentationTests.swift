import BackpropData
import BackpropRegistry
import BackpropTensor
import BackpropTestSupport
import Testing

@Suite("Augmentations")
struct AugmentationTests {
    @Test func gaussianNoiseHasTheRequestedSpread() {
        var batch = Tensor<Float>(repeating: 3, shape: [100, 1001])
        var generator = SeededGenerator(seed: 5)
        GaussianNoise(standardDeviation: 0.25).apply(to: &batch, generator: &generator)
        let noise = batch.scalars.map { Double($0) - 3 }
        let mean = noise.reduce(0, +) / Double(noise.count)
        let std = (noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(noise.count)).squareRoot()
        #expect(abs(mean) < 0.005)
        #expect(abs(std - 0.25) < 0.005)
        // About 4.55% of a normal lies beyond 2σ.
        let tails = Double(noise.filter { abs($0) > 0.5 }.count) / Double(noise.count)
        #expect(abs(tails - 0.0455) < 0.004)
    }

    @Test func gaussianNoiseIsReproducibleAndZeroIsIdentity() {
        var a = Tensor<Float>(zeros: [3, 7]), b = a
        var g1 = SeededGenerator(seed: 1), g2 = SeededGenerator(seed: 1)
        GaussianNoise(standardDeviation: 1).apply(to: &a, generator: &g1)
        GaussianNoise(standardDeviation: 1).apply(to: &b, generator: &g2)
        #expect(a == b)
        #expect(a != Tensor<Float>(zeros: [3, 7]))
        var c = Tensor<Float>(zeros: [3, 7])
        GaussianNoise(standardDeviation: 0).apply(to: &c, generator: &g1)
        #expect(c == Tensor<Float>(zeros: [3, 7]))
    }

    @Test func horizontalFlipMirrorsEveryPlaneRow() {
        let shape = ImageShape(channels: 2, height: 2, width: 3)
        let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        var batch = Tensor<Float>(shape: [2, 12], scalars: image + image)
        var generator = SeededGenerator(seed: 0)
        HorizontalFlip(probability: 1, imageShape: shape).apply(to: &batch, generator: &generator)
        let flipped: [Float] = [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]
        #expect(batch.scalars == flipped + flipped)
        HorizontalFlip(probability: 0, imageShape: shape).apply(to: &batch, generator: &generator)
        #expect(batch.scalars == flipped + flipped)
    }

    @Test func horizontalFlipFlipsAboutHalfTheImages() {
        let shape = ImageShape(channels: 1, height: 1, width: 2)
        var batch = Tensor<Float>(shape: [1000, 2], scalars: (0..<1000).flatMap { _ in [0, 1] as [Float] })
        var generator = SeededGenerator(seed: 3)
        HorizontalFlip(probability: 0.5, imageShape: shape).apply(to: &batch, generator: &generator)
        let flipped = (0..<1000).filter { batch[$0, 0] == 1 }.count
        #expect(flipped > 430 && flipped < 570)
    }

    @Test func registryBuildsTheBuiltIns() throws {
        let registry = Registry<any Augmentation>.standardAugmentations
        #expect(registry.names == ["gaussian_noise", "horizontal_flip", "random_translation"])
        let noise = try registry.make(["name": "gaussian_noise", "std": 0.1], path: "augmentations[0]")
        #expect((noise as? GaussianNoise) == GaussianNoise(standardDeviation: 0.1))
        let flip = try registry.make("horizontal_flip", path: "augmentations[1]")
        #expect((flip as? HorizontalFlip) == HorizontalFlip(probability: 0.5, imageShape: .cifar))
        let grey = try registry.make(["name": "horizontal_flip", "channels": 1, "height": 28, "width": 28], path: "a")
        #expect((grey as? HorizontalFlip)?.imageShape == .mnist)
    }

    @Test("a misspelt key is reported as unknown, with its correction, before the missing one")
    func misspeltKey() throws {
        let registry = Registry<any Augmentation>.standardAugmentations
        do {
            _ = try registry.make(["name": "gaussian_noise", "sdt": 0.1], path: "augmentations[0]")
            Issue.record("sdt accepted")
        } catch let error as ConfigurationError {
            #expect("\(error)" == "unknown key 'augmentations[0].sdt'. Did you mean 'std'? Allowed here: fraction, name, std, variance")
            #expect(error.description.contains("Did you mean 'std'?"))
        }
        #expect(throws: ConfigurationError.unknownKey(
            path: "a.probabilty", allowed: ["channels", "height", "name", "probability", "width"]
        )) { try registry.make(["name": "horizontal_flip", "probabilty": 0.5], path: "a") }
    }

    @Test("horizontal_flip takes the image layout from the data")
    func flipUsesTheDataLayout() throws {
        let registry = Registry<any Augmentation>.standardAugmentations
        let fashion = PluginContext(batchesPerEpoch: 450, imageShape: .mnist)
        let flip = try registry.make("horizontal_flip", path: "a", context: fashion)
        #expect((flip as? HorizontalFlip) == HorizontalFlip(probability: 0.5, imageShape: .mnist))
        // Fashion-MNIST's 1×28×28 rows flip without trapping.
        var batch = Tensor<Float>(shape: [2, 784], scalars: (0..<1568).map { Float($0 % 28) })
        var generator = SeededGenerator(seed: 1)
        (flip as? HorizontalFlip).map { HorizontalFlip(probability: 1, imageShape: $0.imageShape) }?
            .apply(to: &batch, generator: &generator)
        #expect(batch[0, 0] == 27 && batch[1, 783] == 0)
        // An override of the same size is allowed: a grey 28×28 image read as 1×14×56.
        let wide = try registry.make(["name": "horizontal_flip", "height": 14, "width": 56], path: "a", context: fashion)
        #expect((wide as? HorizontalFlip)?.imageShape == ImageShape(channels: 1, height: 14, width: 56))
    }

    @Test("a flip that does not fit the data is a configuration error naming the key")
    func flipThatDoesNotFit() {
        let registry = Registry<any Augmentation>.standardAugmentations
        let fashion = PluginContext(batchesPerEpoch: 450, imageShape: .mnist)
        #expect(throws: ConfigurationError.invalidValue(
            path: "augmentations[0].channels",
            reason: "is 3, which makes 3×28×28 images, but the data's images are 1×28×28 (784 features)"
        )) { try registry.make(["name": "horizontal_flip", "channels": 3], path: "augmentations[0]", context: fashion) }
        // The CIFAR layout written out in full does not fit either; the first differing key is named.
        #expect(throws: ConfigurationError.invalidValue(
            path: "a.channels", reason: "is 3, which makes 3×32×32 images, but the data's images are 1×28×28 (784 features)"
        )) {
            try registry.make(["name": "horizontal_flip", "channels": 3, "height": 32, "width": 32], path: "a", context: fashion)
        }
        // Data without an image layout: the run needs the layout spelt out.
        let blobs = PluginContext(batchesPerEpoch: 20)
        guard case .invalidValue(let path, _)? = captureConfigurationError({
            try registry.make(["name": "horizontal_flip", "channels": 1], path: "a", context: blobs)
        }) else {
            Issue.record("a flip without a layout was accepted for data without one")
            return
        }
        #expect(path == "a.height")
        #expect(captureConfigurationError { try registry.make(["name": "horizontal_flip", "channels": 0], path: "a") }
            == .invalidValue(path: "a.channels", reason: "must be at least 1, found 0"))
    }


    @Test func registryRejectsBadParameters() {
        let registry = Registry<any Augmentation>.standardAugmentations
        #expect(throws: ConfigurationError.invalidValue(path: "augmentations[0].std", reason: "must not be negative, found -0.5")) {
            try registry.make(["name": "gaussian_noise", "std": -0.5], path: "augmentations[0]")
        }
        #expect(throws: ConfigurationError.invalidValue(path: "a.probability", reason: "must be in [0, 1], found 1.5")) {
            try registry.make(["name": "horizontal_flip", "probability": 1.5], path: "a")
        }
        #expect(throws: ConfigurationError.missingKey(path: "a.std")) {
            try registry.make("gaussian_noise", path: "a")
        }
    }

    @Test func unknownNameListsTheRegisteredNames() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try Registry<any Augmentation>.standardAugmentations.make("gausian_noise", path: "a")
        }
        #expect(error == .unknownName(kind: "augmentation", name: "gausian_noise", registered: ["gaussian_noise", "horizontal_flip", "random_translation"]))
        #expect(error.description.contains("Did you mean 'gaussian_noise'?"))
        #expect(error.description.contains("Registered: gaussian_noise, horizontal_flip"))
    }
}
