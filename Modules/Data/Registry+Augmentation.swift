import BackpropRegistry

extension Registry where Product == any Augmentation {
    /// A registry holding the built-in augmentations: `gaussian_noise` and `horizontal_flip`.
    ///
    /// ```swift
    /// var augmentations = Registry<any Augmentation>.standardAugmentations
    /// augmentations.register("my_crop") { options in MyCrop(padding: try options.required("padding")) }
    /// let noise = try augmentations.make(["name": "gaussian_noise", "std": 0.05], path: "augmentations[0]")
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
/// - `horizontal_flip`: `probability` (default 0.5, in [0, 1]); `channels`, `height`, `width` (default
///   CIFAR-10's 3, 32, 32) describe the planar image layout.
///
/// Impossible values throw `ConfigurationError.invalidValue` naming the key.
public func registerStandardAugmentations(in registry: inout Registry<any Augmentation>) {
    registry.register("gaussian_noise") { options in
        let std: Double = try options.required("std")
        try options.check(std >= 0 && std.isFinite, "std", "must be a non-negative number, found \(std)")
        return GaussianNoise(standardDeviation: std)
    }
    registry.register("horizontal_flip") { options in
        let probability: Double = try options.optional("probability") ?? 0.5
        try options.check((0...1).contains(probability), "probability", "must be in [0, 1], found \(probability)")
        var shape = ImageShape.cifar
        for (key, keyPath) in [("channels", \ImageShape.channels), ("height", \.height), ("width", \.width)] {
            guard let value: Int = try options.optional(key) else { continue }
            try options.check(value > 0, key, "must be a positive whole number, found \(value)")
            shape[keyPath: keyPath] = value
        }
        return HorizontalFlip(probability: probability, imageShape: shape)
    }
}
