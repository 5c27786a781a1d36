import BackpropLayers
import BackpropRegistry
import BackpropTensor

/// A layer as an experiment file describes it: what it makes for a given input width.
///
/// The entries of a model's `layers` list are built through a `Registry<any LayerSpec>` (kind
/// `"layer"`), so a user's own layer kind can be listed by name once registered:
///
/// ```swift
/// registries.layers.register("scale") { options in
///     try options.declare("factor")
///     return ScaleSpec(factor: try options.required("factor", .positive))
/// }
/// ```
///
/// Semantics:
/// - `outputs(inputs:classes:)` is the width of the layer's output for an input `inputs` wide; `classes`
///   is the model's output width, for a last layer that leaves its width open.
/// - `makeLayer` builds a new layer each call for `context` (input and output widths, a name unique in
///   the model such as `fc2` that prefixes its parameters' names, the model's default initializer),
///   drawing any parameters from `generator`.
/// - `parameterPrefix` names layers with parameters (`"fc"`: `fc1`, `fc2`, …); nil for a layer without.
///   `layerName`, when set, is the name instead (a saved model keeps the names it was trained with).
/// - `mismatch(inputs:)` says why the layer cannot take an input `inputs` wide, or nil when it can.
public protocol LayerSpec: Sendable, CustomStringConvertible {
    /// The width of the layer's output for an input `inputs` wide, in a model of `classes` outputs.
    func outputs(inputs: Int, classes: Int) -> Int
    /// A new layer for `context`, its parameters drawn from `generator`.
    func makeLayer<Scalar: TensorScalar>(_ context: LayerContext, generator: inout SeededGenerator) -> any Layer<Scalar>
    /// The prefix of the names of layers with parameters (`fc`), or nil.
    var parameterPrefix: String? { get }
    /// The layer's own name, when it has one.
    var layerName: String? { get }
    /// Why the layer cannot take an input `inputs` wide, or nil.
    func mismatch(inputs: Int) -> String?
    /// How many scalars the layer's parameters hold for these widths, in `Double` so that huge widths
    /// cannot overflow: the run's memory estimate (see `MemoryBudget`) is made from it before any layer
    /// is built.
    func parameterCount(inputs: Int, outputs: Int) -> Double
}

extension LayerSpec {
    /// The width is unchanged.
    public func outputs(inputs: Int, classes: Int) -> Int { inputs }
    /// No parameters.
    public var parameterPrefix: String? { nil }
    /// Named by the model.
    public var layerName: String? { nil }
    /// Any width.
    public func mismatch(inputs: Int) -> String? { nil }
    /// No parameters.
    public func parameterCount(inputs: Int, outputs: Int) -> Double { 0 }
}

/// What a layer is built for: its widths, its name in the model and the model's default initializer.
public struct LayerContext: Sendable {
    public var inputs: Int
    public var outputs: Int
    /// Unique in the model (`fc2`); prefixes the layer's parameter names.
    public var name: String
    public var initializer: Initializer
}

/// `{"name": "linear", "outputs": 100, "initializer": "he_normal"}`: a fully connected layer; without
/// `outputs` it has one output per class. A saved model's entries also give `inputs` (checked) and
/// `layer_name`.
public struct LinearSpec: LayerSpec, Equatable {
    public var outputs: Int?
    /// nil: the model's default.
    public var initializer: Initializer?
    /// The input width the layer requires, when given.
    public var inputs: Int?
    public var layerName: String?

    public init(outputs: Int? = nil, initializer: Initializer? = nil, inputs: Int? = nil, layerName: String? = nil) {
        self.outputs = outputs
        self.initializer = initializer
        self.inputs = inputs
        self.layerName = layerName
    }

    public func outputs(inputs: Int, classes: Int) -> Int { outputs ?? classes }

    public func mismatch(inputs: Int) -> String? {
        guard let expected = self.inputs, expected != inputs else { return nil }
        return "takes \(expected) inputs, but is given \(inputs)"
    }
    public var parameterPrefix: String? { "fc" }
    /// The weight and the bias.
    public func parameterCount(inputs: Int, outputs: Int) -> Double { (Double(inputs) + 1) * Double(outputs) }
    public var description: String { "linear(\(outputs.map(String.init) ?? "classes"))" }

    public func makeLayer<Scalar: TensorScalar>(_ context: LayerContext, generator: inout SeededGenerator) -> any Layer<Scalar> {
        Linear<Scalar>(context.inputs, context.outputs, initializer: initializer ?? context.initializer,
                       generator: &generator, name: context.name)
    }
}

/// `"relu"`: the rectified linear unit.
public struct ReLUSpec: LayerSpec, Equatable {
    public init() {}
    public var description: String { "relu" }
    public func makeLayer<Scalar: TensorScalar>(_ context: LayerContext, generator: inout SeededGenerator) -> any Layer<Scalar> { ReLU<Scalar>() }
}

/// `{"name": "dropout", "rate": 0.2}`: inverted dropout.
public struct DropoutSpec: LayerSpec, Equatable {
    public var rate: Double
    public init(rate: Double) { self.rate = rate }
    public var description: String { "dropout(\(rate))" }
    public func makeLayer<Scalar: TensorScalar>(_ context: LayerContext, generator: inout SeededGenerator) -> any Layer<Scalar> { Dropout<Scalar>(rate: rate) }
}

/// `"batch_norm"` or `{"name": "batch_norm", "momentum": 0.1, "epsilon": 1e-5}`: batch normalisation of
/// each feature (`BatchNorm`), usually between a linear layer and its activation. Layers are named
/// `bn1`, `bn2`, … in order. A saved model's entries also give `inputs` (checked) and `layer_name`.
public struct BatchNormSpec: LayerSpec, Equatable {
    public var momentum: Double
    public var epsilon: Double
    /// The input width the layer requires, when given.
    public var inputs: Int?
    public var layerName: String?

    public init(momentum: Double = 0.1, epsilon: Double = 1e-5, inputs: Int? = nil, layerName: String? = nil) {
        self.momentum = momentum
        self.epsilon = epsilon
        self.inputs = inputs
        self.layerName = layerName
    }

    public func mismatch(inputs: Int) -> String? {
        guard let expected = self.inputs, expected != inputs else { return nil }
        return "takes \(expected) inputs, but is given \(inputs)"
    }
    public var parameterPrefix: String? { "bn" }
    /// γ and β (the running statistics are not trained, and count as activations would not).
    public func parameterCount(inputs: Int, outputs: Int) -> Double { 2 * Double(inputs) }
    public var description: String { "batch_norm" }

    public func makeLayer<Scalar: TensorScalar>(_ context: LayerContext, generator: inout SeededGenerator) -> any Layer<Scalar> {
        BatchNorm<Scalar>(features: context.inputs, momentum: momentum, epsilon: epsilon, name: context.name)
    }
}

/// Registers the built-in layer kinds: `linear` (`outputs`?, `initializer`?), `relu`, `dropout` (`rate`),
/// `batch_norm` (`momentum`?, `epsilon`?).
///
/// A linear layer without an `initializer` takes the model section's.
public func registerStandardLayers(in registry: inout Registry<any LayerSpec>) {
    registry.register("linear") { options in
        try options.declare("outputs", "inputs", "layer_name", "initializer")
        let outputs: Int? = try options.optional("outputs", .atLeast(1))
        let inputs: Int? = try options.optional("inputs", .atLeast(1))
        let layerName: String? = try options.optional("layer_name")
        let initializer = try options.raw("initializer").map {
            try ModelSpec.initializer($0, path: "\(options.path).initializer")
        }
        return LinearSpec(outputs: outputs, initializer: initializer, inputs: inputs, layerName: layerName)
    }
    registry.register("relu") { _ in ReLUSpec() }
    registry.register("dropout") { options in
        try options.declare("rate")
        return DropoutSpec(rate: try options.required("rate", .probability(includingOne: false)))
    }
    registry.register("batch_norm") { options in
        try options.declare("momentum", "epsilon", "inputs", "layer_name")
        return BatchNormSpec(
            momentum: try options.optional("momentum", .probability(includingOne: true)) ?? 0.1,
            epsilon: try options.optional("epsilon", .positive) ?? 1e-5, inputs: try options.optional("inputs", .atLeast(1)),
            layerName: try options.optional("layer_name"))
    }
}

extension Registry where Product == any LayerSpec {
    /// A layer registry (kind `"layer"`) holding the built-in layer kinds.
    public static var standardLayers: Self {
        var registry = Self(kind: "layer")
        registerStandardLayers(in: &registry)
        return registry
    }
}
