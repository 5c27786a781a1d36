import BackpropTensor

/// A fully connected layer: `y = x · W + b`, with `W` of shape `[inputs, outputs]` and `b` of `[1, outputs]`.
///
/// Batch-first: `x` is `[batch, inputs]`. The course writes the same layer as `s = W x + b` with W of
/// shape `[outputs, inputs]` acting on column vectors; the stored `W` here is that matrix transposed.
public final class Linear<Scalar: TensorScalar>: Layer {
    public let weight: Parameter<Scalar>
    public let bias: Parameter<Scalar>
    /// What the last forward pass read, for the weight gradient. Rows read in place are let go after
    /// `backward`: they hold the whole matrix they come from (a training set of hundreds of MB).
    private var input: Input?
    private var output = Tensor<Scalar>(zeros: [0, 0])
    private var inputGradient = Tensor<Scalar>(zeros: [0, 0])

    /// A layer with given initial weights `[inputs, outputs]` and bias `[1, outputs]`.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>, name: String = "linear") {
        precondition(weight.rank == 2 && bias.count == weight.shape[1],
                     "Linear: weight \(weight.shape) and bias \(bias.shape) do not fit")
        self.weight = Parameter(name: "\(name).weight", value: weight, role: .weight)
        self.bias = Parameter(name: "\(name).bias", value: bias.reshaped([1, weight.shape[1]]), role: .bias)
    }

    /// A layer initialised by `initializer` (biases start at zero).
    public convenience init(
        _ inputs: Int, _ outputs: Int, initializer: Initializer = .lecunNormal,
        generator: inout SeededGenerator, name: String = "linear"
    ) {
        self.init(weight: initializer.make(fanIn: inputs, fanOut: outputs, using: &generator),
                  bias: Tensor(zeros: [1, outputs]), name: name)
    }

    public var inputs: Int { weight.value.shape[0] }
    public var outputs: Int { weight.value.shape[1] }
    public var parameters: [Parameter<Scalar>] { [weight, bias] }
    public var description: String { "Linear(\(inputs) → \(outputs))" }

    public func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        precondition(x.columns == inputs, "Linear(\(inputs) → \(outputs)) got input of shape \(x.shape)")
        input = .tensor(x)
        Tensor.matmul(x, false, weight.value, false, into: &output)
        output.addRowVector(bias.value)
        return output
    }

    /// The output for the rows `x` picks out of a matrix (a mini-batch of a training set), read in place
    /// by both of this layer's products: the same numbers as `forward` on `x.gathered()`, without the copy.
    /// In training the layer keeps `x` (and so the matrix) until its `backward`, which then lets it go;
    /// an inference pass keeps nothing.
    public func forward(_ x: IndexedRows<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        precondition(x.columns == inputs, "Linear(\(inputs) → \(outputs)) got input of shape \(x.shape)")
        // Kept for the backward pass of a training step only: an evaluation's rows are a data set's
        // storage, which the layer must not hold on to after the pass.
        input = context.phase == .training ? .rows(x) : nil
        Tensor.matmul(x, false, weight.value, false, into: &output)
        output.addRowVector(bias.value)
        return output
    }

    /// `true`: both products read `IndexedRows` in place.
    public var readsIndexedRowsInPlace: Bool { true }

    public func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> {
        // ∂W = xᵀ·g, ∂b = Σ_batch g, ∂x = g·Wᵀ.
        switch input {
        case .tensor(let x):
            Tensor.matmul(x, true, g, false, into: &weight.gradient)
        case .rows(let x):
            Tensor.matmul(x, true, g, false, into: &weight.gradient)
            input = nil
        case nil:
            preconditionFailure(
                "Linear(\(inputs) → \(outputs)): backward needs a forward pass first (one per backward when the "
                    + "input was IndexedRows)")
        }
        g.sumOverRows(into: &bias.gradient)
        guard needsInputGradient else { return Tensor(zeros: [0, 0]) }
        Tensor.matmul(g, false, weight.value, true, into: &inputGradient)
        return inputGradient
    }
}

extension Linear {
    /// A forward pass's input: a tensor, or rows of a matrix read in place.
    private enum Input {
        case tensor(Tensor<Scalar>)
        case rows(IndexedRows<Scalar>)
    }
}
