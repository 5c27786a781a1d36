import BackpropRegistry

extension Registry where Product == any Augmentation {
    /// A registry holding the built-in augmentations: `gaussian_noise`, `horizontal_flip` and
    /// `random_translation`.
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
/// - `gaussian_noise`: `std` or `variance` (one of them, ≥ 0), the noise's spread in standardised units,
///   and `fraction` (default 1, in [0, 1]), the share of each batch's examples that get noise.
/// - `horizontal_flip`: `probability` (default 0.5, in [0, 1]); the image layout comes from the data
///   (`PluginContext.imageShape`), and `channels`, `height`, `width` may override it with a layout of
///   the same size. See `HorizontalFlip.init(options:)`.
/// - `random_translation`: `pixels` (required, ≥ 0), the largest shift in each direction; the layout as
///   for `horizontal_flip`.
///
/// Unknown keys, and impossible values, throw a `ConfigurationError` naming the key.
public func registerStandardAugmentations(in registry: inout Registry<any Augmentation>) {
    registry.register("gaussian_noise") { try GaussianNoise(options: &$0) }
    registry.register("horizontal_flip") { try HorizontalFlip(options: &$0) }
    registry.register("random_translation") { try RandomTranslation(options: &$0) }
}

// MARK: - Reading from a configuration

extension GaussianNoise {
    /// Reads `std` or `variance`, and `fraction`, and checks them.
    ///
    /// - Throws: `ConfigurationError` naming an unknown key (a misspelt `std`, with its correction),
    ///   `std` when neither is given, or the key that is not a number, negative or not finite, or a
    ///   fraction outside [0, 1].
    public init(options: inout Options) throws {
        try options.declare("std", "variance", "fraction")
        let std: Double? = try options.optional("std", .nonNegative)
        let variance: Double? = try options.optional("variance", .nonNegative)
        try options.check(std == nil || variance == nil, "variance", "cannot be given together with std")
        guard let spread = std ?? variance.map({ $0.squareRoot() }) else {
            throw ConfigurationError.missingKey(path: options.keyPath("std"))
        }
        let fraction: Double = try options.optional("fraction", .probability) ?? 1
        self.init(standardDeviation: spread, fraction: fraction)
    }
}

extension HorizontalFlip {
    /// Reads `probability` (default 0.5) and the layout of the images to flip (see
    /// `Options.imageLayout(for:)`).
    ///
    /// - Throws: `ConfigurationError` naming the key: an unknown key, a probability outside [0, 1], or a
    ///   layout that is impossible or does not fit the data's images.
    public init(options: inout Options) throws {
        try options.declare("probability", "channels", "height", "width")
        let probability: Double = try options.optional("probability", .probability) ?? 0.5
        self.init(probability: probability, imageShape: try options.imageLayout(for: "horizontal_flip"))
    }
}

extension RandomTranslation {
    /// Reads `pixels` (required, ≥ 0) and the layout of the images to shift (see
    /// `Options.imageLayout(for:)`).
    ///
    /// - Throws: `ConfigurationError` naming the key: an unknown key, `pixels` missing, negative or not
    ///   smaller than the images, or a layout that is impossible or does not fit the data's images.
    public init(options: inout Options) throws {
        try options.declare("pixels", "channels", "height", "width")
        let pixels: Int = try options.required("pixels", .atLeast(0))
        let shape = try options.imageLayout(for: "random_translation")
        try options.check(pixels < min(shape.width, shape.height), "pixels",
                          "is \(pixels), which shifts \(shape) images out of their frame; at most \(min(shape.width, shape.height) - 1)")
        self.init(maxShift: pixels, imageShape: shape)
    }
}

extension Options {
    /// The layout of the images an augmentation named `name` works on: the data's
    /// (`context.imageShape`), with `channels`, `height` and `width` (declared by the caller) overriding
    /// parts of it, as long as an image keeps the data's number of features; without an image layout in
    /// the context they give the whole layout. While a configuration is only checked (the context holds
    /// no batches per epoch either) an incomplete layout is filled in from CIFAR-10's 3 × 32 × 32, and the
    /// augmentation is built again for the run.
    ///
    /// - Throws: `ConfigurationError` naming the key: a dimension below 1, a layout that does not fit the
    ///   data's images, or (in a run on data without an image layout) a dimension that is not given.
    public mutating func imageLayout(for name: String) throws -> ImageShape {
        let dimensions: [(key: String, path: WritableKeyPath<ImageShape, Int>)] =
            [("channels", \.channels), ("height", \.height), ("width", \.width)]
        var given: [(key: String, path: WritableKeyPath<ImageShape, Int>, value: Int)] = []
        for (key, path) in dimensions {
            if let value: Int = try optional(key, .atLeast(1)) { given.append((key, path, value)) }
        }
        let data = context.imageShape
        var shape = data ?? .cifar
        for (_, path, value) in given { shape[keyPath: path] = value }
        if let data, shape.featureCount != data.featureCount {
            let culprit = given.first { data[keyPath: $0.path] != $0.value }!
            try check(false, culprit.key,
                      "is \(culprit.value), which makes \(shape) images, but the data's images are \(data) "
                          + "(\(data.featureCount) features)")
        }
        if data == nil, context.batchesPerEpoch != nil,
           let absent = dimensions.first(where: { dimension in !given.contains { $0.key == dimension.key } })
        {
            try check(false, absent.key,
                      "must be given: the data have no image layout, so \(name) needs channels, height and width")
        }
        return shape
    }
}
