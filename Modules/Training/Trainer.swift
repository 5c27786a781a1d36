import BackpropData
import BackpropLayers
import BackpropRegularizers
import BackpropSchedules
import BackpropTensor

/// Mini-batch gradient descent on a model, with periodic evaluation.
///
/// One update step: take a shuffled mini-batch (read in place by a first layer that can, see
/// `Layer.readsIndexedRowsInPlace`, or gathered and augmented), forward, softmax cross-entropy,
/// backward, and let the optimiser (any `Optimizer`, `SGD` by default) add every regulariser's gradient
/// and move the parameters with the schedule's rate for that step
/// (`Optimizer.step(_:learningRate:regularizers:)`). The trainer owns the step
/// counter; the schedule is a pure function of it.
///
/// ```swift
/// let trainer = Trainer(model: model, schedule: ConstantSchedule(rate: 0.01),
///                       regularizers: [L2Regularizer(lambda: 0.1)], batchSize: 100)
/// let history = trainer.fit(train: splits.train, validation: splits.validation,
///                           steps: 4000, evaluationInterval: 100, generator: &rng)
/// ```
public final class Trainer<Scalar: TensorScalar> {
    public let model: Sequential<Scalar>
    /// What moves the parameters after each backward pass.
    public var optimizer: any Optimizer<Scalar>
    public let schedule: any LearningRateSchedule
    public let regularizers: [any Regularizer]
    public let augmentations: [any Augmentation]
    public let batchSize: Int
    public let shuffle: Bool
    /// How many training examples the training-set metrics use (a fixed random subset).
    public var trainEvaluationSubset: Int = 10_000
    /// Shown on the progress line.
    public var label = "train"
    /// How progress is shown: a line redrawn on a terminal, a line per evaluation in a log, or nothing.
    public var progress = ProgressReporter.Style.automatic

    private let loss = SoftmaxCrossEntropy<Scalar>()
    private let evaluator = Evaluator<Scalar>()
    // Gathered batches (augmented, or a first layer that copies indexed rows): two input buffers used in
    // turn. The first layer keeps a reference to the last batch for its backward pass, so writing the
    // next batch into the other buffer never forces a copy.
    private var batchBuffers = [Tensor<Scalar>(zeros: [0, 0]), Tensor<Scalar>(zeros: [0, 0])]
    private var labels: [Int] = []
    // The labels of a whole epoch, at the positions its batches slice from the epoch's order, for
    // batches read in place (see `gatherEpochLabels`).
    private var epochLabels: [Int] = []
    private var logitGradient = Tensor<Scalar>(zeros: [0, 0])

    public init(
        model: Sequential<Scalar>, optimizer: any Optimizer<Scalar> = SGD<Scalar>(), schedule: any LearningRateSchedule,
        regularizers: [any Regularizer] = [], augmentations: [any Augmentation] = [],
        batchSize: Int = 100, shuffle: Bool = true
    ) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.regularizers = regularizers
        self.augmentations = augmentations
        self.batchSize = batchSize
        self.shuffle = shuffle
        for regularizer in regularizers { regularizer.prepare(model) }
    }

    /// Trains for `steps` updates, evaluating every `evaluationInterval` steps (and at the start and end),
    /// unless an observer stops it first.
    ///
    /// - Parameters:
    ///   - train: the training set, read in shuffled mini-batches of `batchSize`.
    ///   - validation: the set measured at each evaluation besides a subset of `train`, or nil.
    ///   - steps: the number of updates planned.
    ///   - evaluationInterval: the updates between two evaluations.
    ///   - generator: the source of every random draw (shuffles, dropout, augmentations); advanced.
    ///   - observers: told of every update, evaluation and epoch, in order (see `TrainingObserver`); a
    ///     `DivergenceStop` always comes first.
    ///   - onEvaluation: called after each evaluation, for checkpoints and live reports.
    ///   - state: where an earlier fit of the same model, data and settings stood (`TrainingState`): the
    ///     fit goes on from there instead of starting, and ends as that fit would have, bit for bit.
    ///   - checkpointEvery: how often, in updates, `onCheckpoint` gets the fit's `TrainingState` (0: never).
    ///   - onCheckpoint: given the fit's state after every `checkpointEvery`-th update (not after one that
    ///     stopped the fit), to keep or write as a checkpoint.
    ///   - pauseRequested: asked after every update (and its evaluation and epoch end) that did not stop the
    ///     fit; when it says yes, the fit gives its state to `onCheckpoint` and returns at once, its history
    ///     marked `pausedAtStep`, without the end of a fit (no final evaluation, no `didEnd`).
    /// - Returns: the evaluations, the rate of every step, and why the run stopped early, if it did.
    public func fit(
        train: Dataset, validation: Dataset?, steps: Int, evaluationInterval: Int,
        generator: inout SeededGenerator, observers: [any TrainingObserver<Scalar>] = [],
        onEvaluation: ((EvaluationRecord) -> Void)? = nil, resumingFrom state: TrainingState<Scalar>? = nil,
        checkpointEvery: Int = 0, onCheckpoint: ((TrainingState<Scalar>) -> Void)? = nil,
        pauseRequested: (() -> Bool)? = nil
    ) -> TrainingHistory {
        var history = state?.history ?? TrainingHistory()
        history.learningRates.reserveCapacity(steps)
        let sampler = BatchSampler(count: train.count, batchSize: batchSize, shuffle: shuffle)
        let perEpoch = Double(sampler.batchesPerEpoch)
        let trainSubset: [Int]?
        if let state {
            trainSubset = state.trainSubset
        } else {
            var evaluationGenerator = generator.split()
            trainSubset = train.count <= trainEvaluationSubset
                ? nil : Array(evaluationGenerator.permutation(train.count).prefix(trainEvaluationSubset))
        }
        var progress = ProgressReporter(label: label, totalSteps: steps, style: progress)

        // Listed once: the layers and their parameter objects do not change during a fit, and
        // rebuilding the list every step would allocate.
        let parameters = model.parameters
        let buffers = model.buffers
        // Observers see the whole model state, the parameters then the buffers: keep-best must snapshot
        // batch normalisation's running statistics with the weights they were measured with.
        let modelState = parameters + buffers
        let observers: [any TrainingObserver<Scalar>] = [DivergenceStop<Scalar>()] + observers

        /// Evaluates after `step` updates; the first observer's stop, if any.
        func record(step: Int) -> StopReason? {
            let entry = EvaluationRecord(
                step: step, epoch: Double(step) / perEpoch,
                learningRate: schedule.learningRate(at: max(step - 1, 0)),
                train: evaluator.evaluate(model, on: train, indices: trainSubset, regularizers: regularizers),
                validation: validation.map { evaluator.evaluate(model, on: $0, regularizers: regularizers) })
            history.evaluations.append(entry)
            onEvaluation?(entry)
            progress.update(step: step, epoch: entry.epoch, record: entry, force: true)
            return Self.firstStop(observers) { $0.didEvaluate(entry, parameters: modelState) }
        }

        var stop: TrainingStop?
        var context: ForwardContext
        var step = 0
        var epoch = 0
        if let state {
            restore(state, parameters: parameters, buffers: buffers, observers: observers)
            (step, epoch, generator) = (state.step, state.epochsDone, state.generator)
            context = ForwardContext(phase: .training, generator: state.dropout)
        } else {
            stop = record(step: 0).map { TrainingStop(step: 0, reason: $0) }
            context = ForwardContext(phase: .training, generator: generator.split())
        }
        if train.count == 0 || batchSize < 1 {
            // No batch to draw: without this the loop below would never advance.
            stop = TrainingStop(step: 0, reason: StopReason("the training set is empty or the batch size below 1"))
        }
        // Without augmentations a first layer that can reads its batch straight out of the training set
        // (Float only: the features are stored as Float, and a Double model needs its batch converted).
        let inPlaceFeatures = augmentations.isEmpty && model.readsIndexedRowsInPlace
            ? Tensor<Scalar>.sharingStorage(of: train.features) : nil
        // A fit resumed in the middle of an epoch redraws the epoch's order from the generator as it was
        // before the shuffle (the generator itself has moved on), and skips the batches already done; one
        // resumed at an epoch's end draws the next epoch as usual.
        var resumedEpoch = state.map { (start: $0.epochStart, done: $0.step - $0.epochsDone * sampler.batchesPerEpoch) }
            .flatMap { $0.done > 0 ? $0 : nil }
        training: while stop == nil && step < steps {
            var epochStart = generator
            var batches: [ArraySlice<Int>]
            var skip = 0
            if let resumed = resumedEpoch {
                epochStart = resumed.start
                var drawn = resumed.start
                batches = sampler.batches(using: &drawn)
                skip = resumed.done
                resumedEpoch = nil
            } else {
                batches = sampler.batches(using: &generator)
            }
            if inPlaceFeatures != nil { gatherEpochLabels(batches, from: train) }
            for (index, batch) in batches.enumerated() where index >= skip && step < steps {
                let rate = schedule.learningRate(at: step)
                let loss = update(batch: batch, from: train, inPlace: inPlaceFeatures, parameters: parameters,
                                  learningRate: rate, context: &context, generator: &generator, buffer: step % 2)
                history.learningRates.append(rate)
                step += 1
                var reason = Self.firstStop(observers) { $0.didUpdate(step: step, loss: loss) }
                if step % evaluationInterval == 0 || step == steps || reason != nil {
                    // A run stopped between evaluations is evaluated once more: its last record is its end.
                    let stopHere = record(step: step)
                    reason = reason ?? stopHere
                } else {
                    progress.update(step: step, epoch: Double(step) / perEpoch, record: history.last)
                }
                if reason == nil, index == batches.count - 1 {
                    epoch += 1
                    reason = Self.firstStop(observers) { $0.didFinishEpoch(epoch, step: step) }
                }
                if let reason {
                    stop = TrainingStop(step: step, reason: reason)
                    break training
                }
                let pause = pauseRequested?() ?? false
                if pause || (checkpointEvery > 0 && step % checkpointEvery == 0), let onCheckpoint {
                    let done = index == batches.count - 1
                    onCheckpoint(TrainingState(
                        step: step, epochsDone: epoch, epochStart: done ? generator : epochStart, generator: generator,
                        dropout: context.generator, trainSubset: trainSubset, history: history,
                        parameters: parameters.map(\.value), buffers: buffers.map(\.value),
                        optimizer: (optimizer as? any ResumableOptimizer<Scalar>)?.state ?? [],
                        observers: observers.map { ($0 as? any ResumableObserver<Scalar>)?.state }))
                }
                if pause {
                    history.pausedAtStep = step
                    progress.finish()
                    return history
                }
            }
        }
        history.stop = stop
        history.notes = observers.compactMap { $0.didEnd(step: step, parameters: modelState) }
        progress.finish()
        return history
    }

    /// Puts the parameters, the model's buffers, the optimiser's buffers and the observers' states of
    /// `state` in place.
    private func restore(
        _ state: TrainingState<Scalar>, parameters: [Parameter<Scalar>], buffers: [Parameter<Scalar>],
        observers: [any TrainingObserver<Scalar>]
    ) {
        precondition(state.parameters.count == parameters.count && state.buffers.count == buffers.count,
                     "resuming a fit of another model")
        for (parameter, value) in zip(parameters + buffers, state.parameters + state.buffers) {
            precondition(parameter.value.shape == value.shape, "resuming a fit of another model: \(parameter.name)")
            parameter.value = value
        }
        if var resumable = optimizer as? any ResumableOptimizer<Scalar> {
            resumable.state = state.optimizer
            optimizer = resumable
        }
        for (observer, saved) in zip(observers, state.observers) {
            if let saved, let resumable = observer as? any ResumableObserver<Scalar> { resumable.state = saved }
        }
    }

    /// The reason of the first observer that says stop.
    private static func firstStop(
        _ observers: [any TrainingObserver<Scalar>], _ ask: (any TrainingObserver<Scalar>) -> TrainingDecision
    ) -> StopReason? {
        for observer in observers {
            if case .stop(let reason) = ask(observer) { return reason }
        }
        return nil
    }

    /// The metrics of the current model on `dataset`.
    public func evaluate(_ dataset: Dataset) -> Metrics {
        evaluator.evaluate(model, on: dataset, regularizers: regularizers)
    }

    // MARK: - One update

    private func update(
        batch: ArraySlice<Int>, from train: Dataset, inPlace features: Tensor<Scalar>?,
        parameters: [Parameter<Scalar>], learningRate: Double, context: inout ForwardContext,
        generator: inout SeededGenerator, buffer: Int
    ) -> Double {
        let logits: Tensor<Scalar>
        if let features {
            labels.removeAll(keepingCapacity: true)
            labels.append(contentsOf: epochLabels[batch.indices])
            logits = model.forward(IndexedRows(of: features, at: batch), context: &context)
        } else {
            logits = model.forward(gatheredBatch(batch, from: train, generator: &generator, buffer: buffer),
                                   context: &context)
        }
        let batchLoss = loss(logits: logits, labels: labels, gradient: &logitGradient)
        _ = model.backward(logitGradient, needsInputGradient: false)
        optimizer.step(parameters, learningRate: learningRate, regularizers: regularizers)
        return batchLoss
    }

    /// The labels of every batch of an epoch into `epochLabels`, each at its position in the epoch's order
    /// (the batches are slices of one index array), so that a batch's labels are `epochLabels[batch.indices]`.
    ///
    /// Gathered in one pass before the epoch rather than batch by batch: between two steps the batch's
    /// 1.2 MB of features have pushed the label array out of the caches, and a hundred scattered loads
    /// then cost about 1 µs per step (measured: 4.4 → 3.3 µs from the end of one update to the next
    /// forward product); one tight pass lets them overlap.
    private func gatherEpochLabels(_ batches: [ArraySlice<Int>], from train: Dataset) {
        let count = batches.reduce(0) { max($0, $1.endIndex) }
        epochLabels.removeAll(keepingCapacity: true)
        epochLabels.append(contentsOf: repeatElement(0, count: count))
        for batch in batches {
            for position in batch.indices { epochLabels[position] = train.labels[batch[position]] }
        }
    }

    /// The batch copied out of the training set into `batchBuffers[buffer]` (converted to `Scalar`) and
    /// augmented there, in place.
    private func gatheredBatch(
        _ batch: ArraySlice<Int>, from train: Dataset, generator: inout SeededGenerator, buffer: Int
    ) -> Tensor<Scalar> {
        train.gatherBatch(batch, into: &batchBuffers[buffer], labels: &labels)
        for augmentation in augmentations { augmentation.apply(to: &batchBuffers[buffer], generator: &generator) }
        return batchBuffers[buffer]
    }
}
