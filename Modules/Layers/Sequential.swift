import BackpropTensor

/// Layers applied one after another; itself a layer, so models nest.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let model = Sequential<Float> {
///     Linear(3072, 50, generator: &rng, name: "fc1")
///     ReLU()
///     Linear(50, 10, generator: &rng, name: "fc2")
/// }
/// ```
public final class Sequential<Scalar: TensorScalar>: Layer {
    /// The layers, in the order the forward pass applies them.
    public private(set) var layers: [any Layer<Scalar>]

    public init(_ layers: [any Layer<Scalar>]) {
        self.layers = layers
    }

    public convenience init(@LayerBuilder<Scalar> _ build: () -> [any Layer<Scalar>]) {
        self.init(build())
    }

    /// Inserts `layer` at `index` (used by plug-ins such as dropout that add layers to a model).
    public func insert(_ layer: any Layer<Scalar>, at index: Int) {
        layers.insert(layer, at: index)
    }

    public var parameters: [Parameter<Scalar>] { layers.flatMap { $0.parameters } }

    /// The buffers of every layer, in the layers' order.
    public var buffers: [Parameter<Scalar>] { layers.flatMap { $0.buffers } }

    public var description: String {
        "Sequential(" + layers.map(\.description).joined(separator: " → ") + ")"
    }

    public func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        forward(x, from: 0, context: &context)
    }

    /// The output for the rows `x` picks out of a matrix (a mini-batch of a training set): the same
    /// numbers as `forward` on `x.gathered()`. The first layer gets the rows as they are, and reads them
    /// in place if it can (see ``Layer/readsIndexedRowsInPlace``); the layers after it get its output.
    public func forward(_ x: IndexedRows<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        guard let first = layers.first else { return x.gathered() }
        return forward(first.forward(x, context: &context), from: 1, context: &context)
    }

    /// Whether the forward pass on `IndexedRows` reads them in place (its first layer does) rather than
    /// copying them.
    public var readsIndexedRowsInPlace: Bool { layers.first?.readsIndexedRowsInPlace ?? false }

    /// The layers from `start` on, applied to `x`.
    private func forward(_ x: Tensor<Scalar>, from start: Int, context: inout ForwardContext) -> Tensor<Scalar> {
        var activation = x
        for layer in layers[start...] {
            activation = layer.forward(activation, context: &context)
        }
        return activation
    }

    public func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> {
        var gradient = g
        for (index, layer) in layers.enumerated().reversed() {
            gradient = layer.backward(gradient, needsInputGradient: index > 0 || needsInputGradient)
        }
        return gradient
    }

    /// The model's output for `x` in inference mode.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var context = ForwardContext.inference
        return forward(x, context: &context)
    }
}

/// Builds a list of layers from a block of layer expressions.
@resultBuilder
public enum LayerBuilder<Scalar: TensorScalar> {
    public static func buildExpression(_ layer: any Layer<Scalar>) -> [any Layer<Scalar>] { [layer] }
    public static func buildBlock(_ parts: [any Layer<Scalar>]...) -> [any Layer<Scalar>] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Layer<Scalar>]?) -> [any Layer<Scalar>] { part ?? [] }
    public static func buildEither(first: [any Layer<Scalar>]) -> [any Layer<Scalar>] { first }
    public static func buildEither(second: [any Layer<Scalar>]) -> [any Layer<Scalar>] { second }
    public static func buildArray(_ parts: [[any Layer<Scalar>]]) -> [any Layer<Scalar>] { parts.flatMap { $0 } }
}
