import BackpropRegistry

extension Registry where Product == any Augmentation {
    /// A registry holding the built-in augmentations: `gaussian_noise` and `horizontal_flip`.
    ///
    /// ```swift
    /// var augmentations = Registry<any Augmentation>.standardAugmentations
    /// augmentations.register("my_crop") { options in
    ///     try options.declare("padding")
    ///     return MyCrop(padding: try options.required("padding", .atLeast(0)))
    /// }
    /// let flip = try augmentations.make(["name": "horizontal_flip"], path: "augmentations[0]",
    ///                                   context: PluginContext(imageShape: .mnist))
    /// ```
    public static var standardAugmentations: Registry<any Augmentation> {
        var registry = Registry<any Augmentation>(kind: "augmentation")
        registerStandardAugmentations(in: &registry)
        return registry
    }
}

/// Registers the built-in augmentations in `registry`.
///
/// - `gaussian_noise`: `std` (required, ≥ 0), the noise's standard deviation in standardised units.
/// - `horizontal_flip`: `probability` (default 0.5, in [0, 1]); the image layout comes from the data
///   (`PluginContext.imageShape`), and `channels`, `height`, `width` may override it with a layout of
///   the same size. See `HorizontalFlip.init(options:)`.
///
/// Unknown keys, and impossible values, throw a `ConfigurationError` naming the key.
public func registerStandardAugmentations(in registry: inout Registry<any Augmentation>) {
    registry.register("gaussian_noise") { try GaussianNoise(options: &$0) }
    registry.register("horizontal_flip") { try HorizontalFlip(options: &$0) }
}

// MARK: - Reading from a configuration

extension GaussianNoise {
    /// Reads `std` and checks it.
    ///
    /// - Throws: `ConfigurationError` naming an unknown key (a misspelt `std`, with its correction), or
    ///   `std` when it is missing, not a number, negative or not finite.
    public init(options: inout Options) throws {
        try options.declare("std")
        self.init(standardDeviation: try options.required("std", .nonNegative))
    }
}

extension HorizontalFlip {
    /// Reads `probability` (default 0.5) and the layout of the images to flip.
    ///
    /// The layout is the data's, `options.context.imageShape`. `channels`, `height` and `width` may
    /// override parts of it, as long as an image keeps the data's number of features; without an image
    /// layout in the context they give the whole layout. While a configuration is only checked (the
    /// context holds no batches per epoch either) an incomplete layout is filled in from CIFAR-10's
    /// 3 × 32 × 32, and the flip is built again for the run.
    ///
    /// - Throws: `ConfigurationError` naming the key: an unknown key, a probability outside [0, 1], a
    ///   dimension below 1, a layout that does not fit the data's images, or (in a run on data without
    ///   an image layout) a dimension that is not given.
    public init(options: inout Options) throws {
        try options.declare("probability", "channels", "height", "width")
        let probability: Double = try options.optional("probability", .probability) ?? 0.5
        let dimensions: [(key: String, path: WritableKeyPath<ImageShape, Int>)] =
            [("channels", \.channels), ("height", \.height), ("width", \.width)]
        var given: [(key: String, path: WritableKeyPath<ImageShape, Int>, value: Int)] = []
        for (key, path) in dimensions {
            if let value: Int = try options.optional(key, .atLeast(1)) { given.append((key, path, value)) }
        }
        let data = options.context.imageShape
        var shape = data ?? .cifar
        for (_, path, value) in given { shape[keyPath: path] = value }
        if let data, shape.featureCount != data.featureCount {
            let culprit = given.first { data[keyPath: $0.path] != $0.value }!
            try options.check(false, culprit.key,
                              "is \(culprit.value), which makes \(shape) images, but the data's images are \(data) "
                                  + "(\(data.featureCount) features)")
        }
        if data == nil, options.context.batchesPerEpoch != nil,
           let absent = dimensions.first(where: { dimension in !given.contains { $0.key == dimension.key } })
        {
            try options.check(false, absent.key,
                              "must be given: the data have no image layout, so horizontal_flip needs channels, height and width")
        }
        self.init(probability: probability, imageShape: shape)
    }
}
