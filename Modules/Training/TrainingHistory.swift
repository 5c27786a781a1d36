/// Loss, cost and accuracy of a model on one split at one moment.
public struct Metrics: Sendable, Equatable, Codable {
    /// Mean cross-entropy.
    public var loss: Double
    /// Loss plus every regulariser's penalty: the quantity gradient descent minimises.
    public var cost: Double
    /// Fraction of examples classified correctly, in [0, 1].
    public var accuracy: Double

    public init(loss: Double, cost: Double, accuracy: Double) {
        self.loss = loss
        self.cost = cost
        self.accuracy = accuracy
    }
}

/// One evaluation of the model during training.
public struct EvaluationRecord: Sendable, Equatable, Codable {
    /// The number of updates done before this evaluation (0 = the initial model).
    public var step: Int
    /// Fractional epoch, `step / batchesPerEpoch`.
    public var epoch: Double
    /// The rate of the last update before the evaluation (the first one's for step 0).
    public var learningRate: Double
    /// The metrics on the training set (a fixed subset of it for large sets).
    public var train: Metrics
    /// The metrics on the validation set, when there is one.
    public var validation: Metrics?

    public init(step: Int, epoch: Double, learningRate: Double, train: Metrics, validation: Metrics?) {
        self.step = step
        self.epoch = epoch
        self.learningRate = learningRate
        self.train = train
        self.validation = validation
    }
}

/// Everything recorded while training: periodic evaluations and the rate of every update step.
public struct TrainingHistory: Sendable, Equatable, Codable {
    public var evaluations: [EvaluationRecord] = []
    /// `learningRates[t]` is the rate used by update `t` (counted from 0).
    public var learningRates: [Double] = []
    /// Why and where the run stopped before its planned length (an observer said so), when it did.
    public var stop: TrainingStop?
    /// The step at which the training loss or a parameter stopped being finite, when it did; training
    /// stops there (as Keras's `TerminateOnNaN`), since nothing after it can be learned.
    public var divergedAtStep: Int? { stop.flatMap { $0.reason.diverged ? $0.step : nil } }
    /// What observers said when the run ended (keep-best: which step's parameters were kept).
    public var notes: [String] = []
    /// The step after which the fit paused (its `pauseRequested` said so and its state went to
    /// `onCheckpoint`), when it did: the history is then incomplete, and observers were not told of an end.
    public var pausedAtStep: Int?

    public init(evaluations: [EvaluationRecord] = [], learningRates: [Double] = []) {
        self.evaluations = evaluations
        self.learningRates = learningRates
    }

    /// The last evaluation, if any.
    public var last: EvaluationRecord? { evaluations.last }
}
