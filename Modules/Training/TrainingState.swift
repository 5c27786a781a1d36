import BackpropLayers
import BackpropTensor

/// Where a `Trainer.fit` stands between two updates: everything the rest of the run depends on, so that
/// a fit resumed from it (`Trainer.fit(…, resumingFrom:)`) ends bit for bit as the uninterrupted fit.
///
/// Semantics:
/// - Taken after update `step`, its evaluation (when one was due) and the epoch's end (when it ended).
/// - `epochStart` is the main generator before the current epoch's shuffle: the epoch's order is drawn
///   from it again on resume; `generator` is the main generator now (augmentations have drawn from it).
/// - `optimizer` holds a `ResumableOptimizer`'s buffers, `observers` each `ResumableObserver`'s state, in
///   the order of the fit's observers (nil for one without state).
public struct TrainingState<Scalar: TensorScalar>: Sendable {
    public var step: Int
    public var epochsDone: Int
    public var epochStart: SeededGenerator
    public var generator: SeededGenerator
    /// The forward context's generator (dropout).
    public var dropout: SeededGenerator
    /// The examples the training metrics are measured on (drawn once, at the start).
    public var trainSubset: [Int]?
    public var history: TrainingHistory
    public var parameters: [Tensor<Scalar>]
    /// The model's buffers (`Layer.buffers`: batch normalisation's running statistics), in order.
    public var buffers: [Tensor<Scalar>]
    public var optimizer: [Tensor<Scalar>]
    public var observers: [ObserverState<Scalar>?]

    public init(
        step: Int, epochsDone: Int, epochStart: SeededGenerator, generator: SeededGenerator, dropout: SeededGenerator,
        trainSubset: [Int]?, history: TrainingHistory, parameters: [Tensor<Scalar>], buffers: [Tensor<Scalar>] = [],
        optimizer: [Tensor<Scalar>], observers: [ObserverState<Scalar>?]
    ) {
        self.step = step
        self.epochsDone = epochsDone
        self.epochStart = epochStart
        self.generator = generator
        self.dropout = dropout
        self.trainSubset = trainSubset
        self.history = history
        self.parameters = parameters
        self.buffers = buffers
        self.optimizer = optimizer
        self.observers = observers
    }
}

/// An observer's state for a checkpoint: numbers (counters, the best value so far) and tensors (a
/// snapshot of parameters).
public struct ObserverState<Scalar: TensorScalar>: Sendable, Equatable {
    public var numbers: [Double]
    public var tensors: [Tensor<Scalar>]

    public init(numbers: [Double], tensors: [Tensor<Scalar>] = []) {
        self.numbers = numbers
        self.tensors = tensors
    }
}

/// An optimiser whose buffers (momentum) a checkpoint can hold, so that a resumed run continues with
/// them: a capability any optimiser can adopt. Semantics: `state` read after a step and assigned to a
/// new optimiser of the same configuration makes its next steps equal the original's, bit for bit.
public protocol ResumableOptimizer<Scalar>: Optimizer {
    var state: [Tensor<Scalar>] { get set }
}

/// An observer whose state a checkpoint can hold (see `ResumableOptimizer`). Semantics: `state` read at
/// a step boundary and assigned to a new observer of the same configuration makes it decide as the
/// original would from there on.
public protocol ResumableObserver<Scalar>: TrainingObserver {
    var state: ObserverState<Scalar> { get set }
}

extension TrainingState {
    /// Checks that this state can be resumed in a fit of `parameters` and `buffers` on `trainCount`
    /// examples for `steps` updates: the same parameters' and buffers' shapes, an optimiser state as
    /// `OptimizerStateLayout` describes, a step within the fit, one learning rate per step done,
    /// training-metric indices inside the training set.
    ///
    /// `Trainer.fit(…, resumingFrom:)` assumes all of this; a state read from a damaged or foreign file is
    /// checked here first.
    ///
    /// - Throws: `DamagedCheckpoint` saying what does not fit.
    public func check(
        against parameters: [Parameter<Scalar>], buffers: [Parameter<Scalar>] = [], trainCount: Int, steps: Int
    ) throws {
        func damaged(_ reason: String) -> DamagedCheckpoint { DamagedCheckpoint(reason: reason) }
        guard self.parameters.count == parameters.count else {
            throw damaged("it holds \(self.parameters.count) parameters; the model has \(parameters.count)")
        }
        for (parameter, value) in zip(parameters, self.parameters) where parameter.value.shape != value.shape {
            throw damaged("its \(parameter.name) has shape \(value.shape); the model's is \(parameter.value.shape)")
        }
        guard self.buffers.count == buffers.count else {
            throw damaged("it holds \(self.buffers.count) buffers (running statistics); the model has \(buffers.count)")
        }
        for (buffer, value) in zip(buffers, self.buffers) where buffer.value.shape != value.shape {
            throw damaged("its \(buffer.name) has shape \(value.shape); the model's is \(buffer.value.shape)")
        }
        guard OptimizerStateLayout.fits(optimizer, parameters: parameters) else {
            throw damaged("its optimiser state does not match the model's parameters")
        }
        guard (0...steps).contains(step), history.learningRates.count == step, epochsDone >= 0 else {
            throw damaged("it is at step \(step) with \(history.learningRates.count) learning rates, of a run of \(steps) steps")
        }
        guard (trainSubset ?? []).allSatisfy({ (0..<trainCount).contains($0) }) else {
            throw damaged("its training-metric examples are not all among the \(trainCount) training examples")
        }
    }
}

/// A checkpoint's content does not fit the run resuming it, although its identity matches: it was
/// damaged or edited.
public struct DamagedCheckpoint: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { "the checkpoint is damaged: \(reason)" }
}
