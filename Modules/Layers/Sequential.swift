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

    public var description: String {
        "Sequential(" + layers.map(\.description).joined(separator: " → ") + ")"
    }

    public func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        forward(x, from: 0, context: &context)
    }

    /// The output for the rows `x` picks out of a matrix (a mini-batch of a training set): the same
    /// numbers as `forward` on `x.gathered()`. A first `Linear` layer reads the rows in place (see
    /// ``Linear/forward(_:)``); any other first layer gets a copy.
    public func forward(_ x: IndexedRows<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        guard let linear = layers.first as? Linear<Scalar> else { return forward(x.gathered(), context: &context) }
        if layers.count > 1, let relu = layers[1] as? ReLU<Scalar> {
            let product = linear.forwardWithoutBias(x, preparingBackward: context.phase == .training)
            return forward(relu.forward(product, addingBias: linear.bias.value), from: 2, context: &context)
        }
        return forward(linear.forward(x, preparingBackward: context.phase == .training), from: 1, context: &context)
    }

    /// Whether the forward pass on `IndexedRows` reads them in place (the first layer is a `Linear`)
    /// rather than copying them.
    public var readsIndexedRowsInPlace: Bool { layers.first is Linear<Scalar> }

    /// The layers from `start` on, applied to `x`.
    private func forward(_ x: Tensor<Scalar>, from start: Int, context: inout ForwardContext) -> Tensor<Scalar> {
        var activation = x
        var index = start
        while index < layers.count {
            // A linear layer followed by a ReLU adds its bias in the ReLU's pass: one pass over the
            // batch instead of two, the same numbers, and each layer keeps what its backward needs.
            if index + 1 < layers.count, let linear = layers[index] as? Linear<Scalar>,
               let relu = layers[index + 1] as? ReLU<Scalar> {
                activation = relu.forward(linear.forwardWithoutBias(activation), addingBias: linear.bias.value)
                index += 2
                continue
            }
            activation = layers[index].forward(activation, context: &context)
            index += 1
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
