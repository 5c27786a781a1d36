import BackpropData
import BackpropLayers
import BackpropRegistry
import BackpropRegularizers
import BackpropSchedules
import BackpropTensor

/// One training run as typed values: the data, a model recipe, the schedule, regularisers,
/// augmentations, optimiser, length, evaluation plan and seed.
///
/// This is the one road to a run directory, a report and a search: an experiment file is read into
/// these values (see `ExperimentConfig`), and a model composed in code gets the same.
///
/// ```swift
/// var splits = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data").load()
/// let standardizer = splits.standardize()
/// let experiment = Experiment<Float>(
///     name: "three-layer", seed: 7, data: splits, standardizer: standardizer,
///     model: ModelBuilder { inputs, rng in
///         Linear<Float>(inputs.featureCount, 100, generator: &rng, name: "fc1")
///         ReLU<Float>()
///         Dropout<Float>(rate: 0.2)
///         Linear<Float>(100, inputs.classCount, generator: &rng, name: "fc2")
///     },
///     schedule: SchedulePlan(TriangularSchedule(minRate: 1e-5, maxRate: 0.1, stepSize: 500, cycles: 1)),
///     regularizers: [L2Regularizer(lambda: 0.01)])
/// let result = try experiment.run()
/// ```
///
/// Semantics:
/// - `run` builds a new model from `model` with a generator seeded by `seed`, so equal experiments give
///   equal results, and one experiment value can be run many times (a search varies a copy).
/// - The length is `length`, or else the schedule's `naturalLength`, or else one epoch.
/// - `data` is used as it is: standardise it first, and pass the `standardizer` that did it so that the
///   run directory records the pre-processing.
public struct Experiment<Scalar: TensorScalar>: TrainingRun {
    /// The run's name: its run directory is `<name>-<time>` and its report is titled after it.
    public var name: String
    /// The seed of every random draw: initial weights, shuffles, dropout, augmentations.
    public var seed: UInt64
    /// The training, validation and test sets, already pre-processed.
    public var data: DataSplits
    /// The pre-processing applied to `data`, recorded in the run directory.
    public var standardizer: Standardizer
    /// A description of the data for reports.
    public var dataSummary: String
    /// The recipe of the model each run builds.
    public var model: ModelBuilder<Scalar>
    /// The learning rate of every update.
    public var schedule: SchedulePlan
    /// The terms added to the cost (L2), or changes to the model (dropout).
    public var regularizers: [any Regularizer]
    /// Random changes to each training batch.
    public var augmentations: [any Augmentation]
    /// The optimiser a run starts from (a value: each run copies it, with fresh state).
    public var optimizer: any Optimizer<Scalar> & Sendable
    /// Examples per update.
    public var batchSize: Int
    /// Whether each epoch visits the training set in a new random order.
    public var shuffle: Bool
    /// Updates (or epochs) of training; nil for the schedule's natural length.
    public var length: StepCount?
    /// When the run measures loss, cost and accuracy.
    public var evaluation: EvaluationPlan
    /// Observers each run makes afresh: early stopping, keep-best, a user's own.
    public var observers: [ObserverRecipe<Scalar>]
    /// The document the experiment was read from, kept for `metrics.json` and the report; nil for an
    /// experiment composed in code (a summary of its values is written instead).
    public var configuration: JSONValue?

    /// An experiment of `model` on `data`; see the properties for each parameter. Without a
    /// `standardizer` the run directory records the identity (mean 0, deviation 1).
    public init(
        name: String = "experiment", seed: UInt64 = 42, data: DataSplits, standardizer: Standardizer? = nil,
        dataSummary: String? = nil, model: ModelBuilder<Scalar>, schedule: SchedulePlan,
        regularizers: [any Regularizer] = [], augmentations: [any Augmentation] = [], optimizer: any Optimizer<Scalar> & Sendable = SGD<Scalar>(),
        batchSize: Int = 100, shuffle: Bool = true, length: StepCount? = nil, evaluation: EvaluationPlan = EvaluationPlan(),
        observers: [ObserverRecipe<Scalar>] = [], configuration: JSONValue? = nil
    ) {
        self.name = name
        self.seed = seed
        self.data = data
        let features = data.train.featureCount
        self.standardizer = standardizer
            ?? Standardizer(mean: Array(repeating: 0, count: features), standardDeviation: Array(repeating: 1, count: features))
        self.dataSummary = dataSummary ?? data.description
        self.model = model
        self.schedule = schedule
        self.regularizers = regularizers
        self.augmentations = augmentations
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.length = length
        self.evaluation = evaluation
        self.observers = observers
        self.configuration = configuration
    }

    /// `float32` or `float64`: the precision the model trains in.
    public var precision: String { Scalar.self == Double.self ? "float64" : "float32" }
}
