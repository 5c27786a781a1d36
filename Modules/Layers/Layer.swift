import BackpropTensor

/// One differentiable step of a model: a function of its input and its parameters.
///
/// Semantics:
/// - `forward` computes the output for a batch (one example per row) and keeps what `backward` needs.
/// - `backward` takes ∂cost/∂output for the batch of the last `forward`, **overwrites** each parameter's
///   `gradient` with ∂cost/∂parameter, and returns ∂cost/∂input. When `needsInputGradient` is false (the
///   first layer of a model) it may skip that product and return an empty tensor: for the A2 network the
///   skipped product is a third of a training step's arithmetic.
/// - `parameters` lists the trainable tensors in a fixed order; a parameter-free layer returns `[]`.
/// - `buffers` lists, in a fixed order, the tensors that are model state but not trained (batch
///   normalisation's running statistics, role `.statistic`): a forward pass in the training phase may
///   change them, an inference pass reads them. They are saved, loaded, checkpointed and kept by
///   keep-best with the parameters; optimisers and regularisers never see them. Default `[]`.
/// - `forward(_:context:)` on `IndexedRows` (rows picked out of a matrix: a mini-batch of a training
///   set) gives the same numbers as `forward` on their gathered copy. The default gathers; a layer that
///   can read the rows where they are (``Linear`` does, in both of its products) implements it and sets
///   `readsIndexedRowsInPlace`, and a model whose first layer does so trains without copying its
///   batches. Such a layer keeps the rows (and so their matrix) only until its `backward`.
///
/// Layers are classes: they cache activations between the two passes and reuse their buffers, so that a
/// training step allocates nothing in steady state. A model is therefore not shared between threads;
/// parallel trials build one model each.
public protocol Layer<Scalar>: AnyObject, CustomStringConvertible {
    associatedtype Scalar: TensorScalar

    /// The output for `input`; `context` says whether this is training and carries the random generator.
    func forward(_ input: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar>

    /// ∂cost/∂input from ∂cost/∂output; sets the gradients of `parameters`.
    func backward(_ outputGradient: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar>

    /// The trainable parameters, in a fixed order.
    var parameters: [Parameter<Scalar>] { get }

    /// The untrained state tensors (running statistics), in a fixed order.
    var buffers: [Parameter<Scalar>] { get }

    /// The output for the rows `input` picks out of a matrix: the numbers of `forward` on
    /// `input.gathered()`, read in place when `readsIndexedRowsInPlace`.
    func forward(_ input: IndexedRows<Scalar>, context: inout ForwardContext) -> Tensor<Scalar>

    /// Whether `forward` on `IndexedRows` reads the rows in place rather than copying them.
    var readsIndexedRowsInPlace: Bool { get }
}

extension Layer {
    public var parameters: [Parameter<Scalar>] { [] }

    /// No buffers.
    public var buffers: [Parameter<Scalar>] { [] }

    /// Everything a saved model holds, by name: the parameters, then the buffers.
    public var stateTensors: [Parameter<Scalar>] { parameters + buffers }

    /// Gathers the rows into a tensor of their own and runs the tensor forward pass.
    public func forward(_ input: IndexedRows<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        forward(input.gathered(), context: &context)
    }

    /// `false`: the default `forward` on `IndexedRows` copies them.
    public var readsIndexedRowsInPlace: Bool { false }

    /// ∂cost/∂input from ∂cost/∂output; sets the gradients of `parameters`.
    public func backward(_ outputGradient: Tensor<Scalar>) -> Tensor<Scalar> {
        backward(outputGradient, needsInputGradient: true)
    }
}

/// What a forward pass needs besides its input: the phase and the source of randomness.
///
/// Passed in, never read from a global, so that two models can train at once and a run is reproducible
/// from its seed.
public struct ForwardContext: Sendable {
    /// Training applies dropout and other stochastic layers and normalises by batch statistics (updating
    /// the running ones); inference makes the model deterministic and uses the running statistics.
    public enum Phase: Sendable { case training, inference }

    public var phase: Phase
    public var generator: SeededGenerator

    public init(phase: Phase, generator: SeededGenerator = SeededGenerator(seed: 0)) {
        self.phase = phase
        self.generator = generator
    }

    /// An inference context (no randomness is drawn).
    public static var inference: ForwardContext { ForwardContext(phase: .inference) }
}
