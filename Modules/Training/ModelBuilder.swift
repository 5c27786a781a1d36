import BackpropData
import BackpropLayers
import BackpropTensor

/// What a model is built for: the width of an example and the number of classes, known once the data
/// are loaded.
public struct ModelInputs: Sendable, Equatable {
    /// Features per example (3,072 for CIFAR-10).
    public var featureCount: Int
    /// Classes, the width of the model's output.
    public var classCount: Int
    /// The layout of one example when the data are images.
    public var imageShape: ImageShape?

    public init(featureCount: Int, classCount: Int, imageShape: ImageShape? = nil) {
        self.featureCount = featureCount
        self.classCount = classCount
        self.imageShape = imageShape
    }

    /// The inputs of a model trained on `dataset`.
    public init(_ dataset: Dataset) {
        self.init(featureCount: dataset.featureCount, classCount: dataset.classCount, imageShape: dataset.imageShape)
    }
}

/// A recipe for a model: every call builds a new model whose parameters are drawn from the generator.
///
/// An experiment holds a recipe rather than a model because layers are objects that keep state
/// between passes: a search trains many models, perhaps at once, and each needs its own. A recipe
/// written in code reads like the model itself:
///
/// ```swift
/// let model = ModelBuilder<Float> { inputs, rng in
///     Linear<Float>(inputs.featureCount, 100, generator: &rng, name: "fc1")
///     ReLU<Float>()
///     Dropout<Float>(rate: 0.2)
///     Linear<Float>(100, inputs.classCount, generator: &rng, name: "fc2")
/// }
/// ```
///
/// Semantics:
/// - Each call returns a model of its own: no layer is shared between two results.
/// - All randomness comes from the generator, so equal seeds give equal models.
public struct ModelBuilder<Scalar: TensorScalar>: Sendable {
    private let build: @Sendable (ModelInputs, inout SeededGenerator) -> Sequential<Scalar>

    private init(build: @escaping @Sendable (ModelInputs, inout SeededGenerator) -> Sequential<Scalar>) {
        self.build = build
    }

    /// A recipe from a block of layers, as `Sequential { … }` takes them.
    public init(
        @LayerBuilder<Scalar> _ layers: @escaping @Sendable (ModelInputs, inout SeededGenerator) -> [any Layer<Scalar>]
    ) {
        self.build = { inputs, generator in Sequential(layers(inputs, &generator)) }
    }

    /// A recipe from a function that builds the whole model (a static function rather than an
    /// initialiser, so that a trailing block of layers is never ambiguous).
    public static func building(
        _ build: @escaping @Sendable (ModelInputs, inout SeededGenerator) -> Sequential<Scalar>
    ) -> ModelBuilder {
        ModelBuilder(build: build)
    }

    /// A new model for `inputs`, its parameters drawn from `generator`.
    public func callAsFunction(_ inputs: ModelInputs, generator: inout SeededGenerator) -> Sequential<Scalar> {
        build(inputs, &generator)
    }
}
