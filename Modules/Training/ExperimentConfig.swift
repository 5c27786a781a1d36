import BackpropData
import BackpropRegistry
import BackpropRegularizers
import BackpropSchedules
import BackpropTensor
import Foundation

/// An experiment file, read into typed values: the JSON front-end of `Experiment`.
///
/// ```json
/// {
///   "name": "a2-one-cycle",
///   "seed": 42,
///   "data": {"kind": "cifar10", "split": "all", "validation": 5000, "train_limit": 10000},
///   "model": {"hidden": [50]},
///   "training": {"batch_size": 100, "optimizer": {"name": "sgd", "momentum": 0.9}},
///   "schedule": {"name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "step_size": {"epochs": 2}, "cycles": 1},
///   "regularizers": [{"name": "l2", "lambda": 0.01}],
///   "evaluation": {"times": 10}
/// }
/// ```
///
/// Semantics:
/// - Every plug-in is built once, here, through `registries`; a typo or an impossible value fails
///   before any data is loaded, with an error naming the key.
/// - The length of training is `training.epochs` or `training.steps`, or else the schedule's natural
///   length (whole cycles of a cyclical schedule); giving none of them is an error.
/// - A step count in a schedule may be written in epochs (`{"epochs": 2}`, or `step_size_epochs: 2`);
///   it is resolved when the training set, and so the number of batches per epoch, is known.
/// - `evaluation.every` (update steps, or `{"epochs": 1}`) or `evaluation.times` (evenly spread) sets
///   how often loss, cost and accuracy are measured; the default is once per epoch. The training-set
///   metrics use a fixed subset of `evaluation.train_subset` examples (default 10,000).
/// - `training.early_stopping` (`{"metric": "validation_loss", "patience": 5, "min_delta": 0.001}`) stops a
///   run that has stopped improving; `training.keep_best` (`true`, or a metric's name) ends it with the
///   parameters of its best evaluation.
/// - `training.optimizer` (`{"name": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0}`,
///   or a name alone) is built through the optimiser registry; without it the run uses SGD with
///   `training.momentum` (default 0) in `training.momentum_convention` (default `pytorch`), the older
///   spelling, which may not be combined with `optimizer`.
/// - Unknown keys anywhere are errors naming the key; so are impossible values.
public struct ExperimentConfig: Sendable {
    public enum Precision: String, Sendable { case float32, float64 }

    /// `name` (default `experiment`).
    public var name: String
    /// `seed` (default 42).
    public var seed: UInt64
    /// `precision`: `float32` (default) or `float64`.
    public var precision: Precision
    /// The `data` section: which data set, which split, where.
    public var data: DatasetConfiguration
    /// The `model` section.
    public var model: ModelSpec
    /// `training.batch_size` (default 100).
    public var batchSize: Int
    /// `training.steps` or `training.epochs`; nil for the schedule's natural length.
    public var length: StepCount?
    /// `training.optimizer`, or SGD from `training.momentum` and `training.momentum_convention`; each run
    /// makes its optimiser from it in the experiment's precision.
    public var optimizer: any OptimizerRecipe
    /// The momentum of an SGD optimiser (0 for any other optimiser).
    @available(*, deprecated, message: "use optimizer (an SGDRecipe for SGD)")
    public var momentum: Double { (optimizer as? SGDRecipe)?.momentum ?? 0 }
    /// The momentum convention of an SGD optimiser (`pytorch` for any other optimiser).
    @available(*, deprecated, message: "use optimizer (an SGDRecipe for SGD)")
    public var momentumConvention: MomentumConvention { (optimizer as? SGDRecipe)?.convention ?? .pytorch }
    /// `training.shuffle` (default true).
    public var shuffle: Bool
    /// `training.early_stopping`.
    public var earlyStopping: EarlyStoppingRule?
    /// `training.keep_best`: the metric whose best evaluation's parameters the run ends with.
    public var keepBest: MonitoredMetric?
    /// `schedule`, built through the schedule registry.
    public var schedule: SchedulePlan
    /// `regularizers`, built through the regulariser registry.
    public var regularizers: [any Regularizer]
    /// `augmentations`, built through the augmentation registry with the data's image shape.
    public var augmentations: [any Augmentation]
    /// The `evaluation` section.
    public var evaluation: EvaluationPlan
    /// The document as read, kept whole for `metrics.json` and the report.
    public var json: JSONValue

    /// Reads and checks an experiment; plug-ins are built from `registries`.
    public init(json: JSONValue, registries: PluginRegistries = .standard) throws {
        var root = try Options(json, path: "")
        self.json = json
        name = try root.optional("name") ?? "experiment"
        seed = try root.optional("seed") ?? 42
        let precisionName: String = try root.optional("precision") ?? "float32"
        guard let precision = Precision(rawValue: precisionName) else {
            throw ConfigurationError.invalidValue(path: "precision", reason: "must be float32 or float64, found '\(precisionName)'")
        }
        self.precision = precision
        let dataValue = root.raw("data")
        var modelOptions = try root.nested("model")
        var training = try root.nested("training")
        let scheduleValue = root.raw("schedule")
        let regularizerValues: [JSONValue] = try root.optional("regularizers") ?? []
        let augmentationValues: [JSONValue] = try root.optional("augmentations") ?? []
        var evaluationOptions = try root.nested("evaluation")
        try root.finish()

        guard let dataValue else { throw ConfigurationError.missingKey(path: "data") }
        data = try DatasetConfiguration(dataValue, path: "data")
        model = try ModelSpec(options: &modelOptions, layers: registries.layers)

        batchSize = try training.optional("batch_size") ?? 100
        let epochs: Int? = try training.optional("epochs")
        let steps: Int? = try training.optional("steps")
        let optimizerValue = training.raw("optimizer")
        let momentum: Double? = try training.optional("momentum")
        let convention: String? = try training.optional("momentum_convention")
        shuffle = try training.optional("shuffle") ?? true
        var stopping = try training.nested("early_stopping")
        let keepBestValue = training.raw("keep_best")
        try training.finish()
        earlyStopping = try ExperimentConfig.earlyStopping(&stopping)
        keepBest = try keepBestValue.flatMap { try ExperimentConfig.keepBest($0, path: "training.keep_best") }
        try training.check(batchSize >= 1, "batch_size", "must be at least 1, found \(batchSize)")
        try training.check(epochs.map { $0 >= 1 } ?? true, "epochs", "must be at least 1")
        try training.check(steps.map { $0 >= 1 } ?? true, "steps", "must be at least 1")
        try training.check(epochs == nil || steps == nil, "steps", "cannot be given together with epochs")
        optimizer = try ExperimentConfig.optimizer(
            optimizerValue, momentum: momentum, convention: convention, training: training, registry: registries.optimizers)
        length = steps.map(StepCount.steps) ?? epochs.map { .epochs(Double($0)) }

        guard let scheduleValue else { throw ConfigurationError.missingKey(path: "schedule") }
        let (plan, openEnded) = try ExperimentConfig.schedulePlan(scheduleValue, registry: registries.schedules)
        schedule = plan
        let context = PluginContext(imageShape: data.imageShape)
        regularizers = try regularizerValues.enumerated().map {
            try registries.regularizers.make($1, path: "regularizers[\($0)]", context: context)
        }
        augmentations = try augmentationValues.enumerated().map {
            try registries.augmentations.make($1, path: "augmentations[\($0)]", context: context)
        }
        evaluation = try ExperimentConfig.evaluationPlan(&evaluationOptions)
        if length == nil, openEnded {
            throw ConfigurationError.missingKey(path: "training.epochs")
        }
    }

    /// Reads an experiment file.
    ///
    /// - Throws: `ConfigurationError` naming the file when it cannot be read or is not JSON, and as
    ///   `init(json:registries:)`.
    public init(contentsOf url: URL, registries: PluginRegistries = .standard) throws {
        try self.init(json: JSONValue(contentsOf: url), registries: registries)
    }

    /// The schedule of `value`: checked now, with the batches per epoch unknown, and built for the
    /// training set's batches per epoch when a run starts (its step counts may be given in epochs).
    /// Also says whether the schedule is open-ended (then the file must give the length).
    static func schedulePlan(
        _ value: JSONValue, registry: Registry<any LearningRateSchedule>
    ) throws -> (plan: SchedulePlan, openEnded: Bool) {
        let checked = try registry.make(value, path: "schedule", context: PluginContext())
        let plan = SchedulePlan(checked.description) { batches in
            try registry.make(value, path: "schedule", context: PluginContext(batchesPerEpoch: batches))
        }
        return (plan, checked.naturalLength == nil)
    }

    /// `training.optimizer` through `registry`, or else SGD from the older `momentum` and
    /// `momentum_convention` keys, which may not be given with it.
    static func optimizer(
        _ value: JSONValue?, momentum: Double?, convention: String?, training: Options,
        registry: Registry<any OptimizerRecipe>
    ) throws -> any OptimizerRecipe {
        if let value, value != .null {
            if momentum != nil || convention != nil {
                throw ConfigurationError.invalidValue(
                    path: training.keyPath(momentum != nil ? "momentum" : "momentum_convention"),
                    reason: "cannot be given together with training.optimizer: give it inside the optimizer")
            }
            return try registry.make(value, path: training.keyPath("optimizer"))
        }
        let rho = momentum ?? 0
        try training.check(rho >= 0 && rho < 1, "momentum", "must be in [0, 1), found \(rho)")
        guard let parsed = MomentumConvention(rawValue: convention ?? "pytorch") else {
            throw ConfigurationError.invalidValue(path: "training.momentum_convention", reason: "must be pytorch or course")
        }
        return SGDRecipe(momentum: rho, convention: parsed)
    }

    /// `{"metric": "validation_loss", "patience": 5, "min_delta": 0.001}`, or nil when absent.
    static func earlyStopping(_ options: inout Options) throws -> EarlyStoppingRule? {
        guard !options.members.isEmpty else { return nil }
        let metric: MonitoredMetric = try options.optional("metric") ?? .validationAccuracy
        let patience: Int = try options.required("patience")
        let change: Double = try options.optional("min_delta") ?? 0
        try options.finish()
        try options.check(patience >= 1, "patience", "must be at least 1 evaluation, found \(patience)")
        try options.check(change >= 0 && change.isFinite, "min_delta", "must be a finite number ≥ 0, found \(change)")
        return EarlyStoppingRule(metric: metric, patience: patience, minimumChange: change)
    }

    /// `true` (validation accuracy), `false`, a metric's name, or `{"metric": name}`.
    static func keepBest(_ value: JSONValue, path: String) throws -> MonitoredMetric? {
        switch value {
        case .null, .bool(false): return nil
        case .bool(true): return .validationAccuracy
        case .string: return try MonitoredMetric(json: value, path: path)
        default:
            var options = try Options(value, path: path)
            let metric: MonitoredMetric = try options.optional("metric") ?? .validationAccuracy
            try options.finish()
            return metric
        }
    }

    static func evaluationPlan(_ options: inout Options) throws -> EvaluationPlan {
        let every: StepCount? = try options.optional("every")
        let times: Int? = try options.optional("times")
        let subset: Int = try options.optional("train_subset") ?? 10_000
        try options.finish()
        let everyIsPositive = switch every {
        case .steps(let n)?: n >= 1
        case .epochs(let x)?: x > 0
        case nil: true
        }
        try options.check(everyIsPositive, "every", "must be at least 1 step or more than 0 epochs")
        try options.check(times.map { $0 >= 1 } ?? true, "times", "must be at least 1")
        try options.check(every == nil || times == nil, "times", "cannot be given together with every")
        try options.check(subset >= 1, "train_subset", "must be at least 1")
        return EvaluationPlan(times.map(EvaluationPlan.Frequency.times) ?? .every(every ?? .epochs(1)), trainSubset: subset)
    }
}

// MARK: - The typed experiment

extension ExperimentConfig {
    /// The experiment this file describes, on already loaded and standardised `splits`, in its precision.
    ///
    /// - Throws: `ConfigurationError` naming `model` when the model's output width is not the data's
    ///   number of classes.
    public func experiment(splits: DataSplits, standardizer: Standardizer) throws -> any TrainingRun {
        switch precision {
        case .float32: try experiment(splits: splits, standardizer: standardizer, as: Float.self)
        case .float64: try experiment(splits: splits, standardizer: standardizer, as: Double.self)
        }
    }

    /// The experiment this file describes, in the precision `Scalar` (whatever the file says).
    public func experiment<Scalar: TensorScalar>(
        splits: DataSplits, standardizer: Standardizer, as _: Scalar.Type
    ) throws -> Experiment<Scalar> {
        try model.check(inputs: splits.train.featureCount, classes: splits.train.classCount)
        let bytes = model.memoryEstimate(
            inputs: splits.train.featureCount, classes: splits.train.classCount, batchSize: batchSize,
            scalarBytes: MemoryLayout<Scalar>.size)
        try MemoryBudget.machine.require(bytes: bytes, for: "the model (\(model)) and its batches", path: "model")
        return Experiment<Scalar>(
            name: name, seed: seed, data: splits, standardizer: standardizer, dataSummary: data.description,
            model: model.builder(), schedule: schedule, regularizers: regularizers, augmentations: augmentations,
            optimizer: optimizer.make(Scalar.self), batchSize: batchSize, shuffle: shuffle,
            length: length, evaluation: evaluation,
            observers: (earlyStopping.map { [.earlyStopping($0)] } ?? []) + (keepBest.map { [.keepBest($0)] } ?? []),
            configuration: json)
    }

    /// Replaces the seed, in the typed field and in the JSON kept for reports.
    public mutating func override(seed: UInt64) {
        self.seed = seed
        if case .object(var members) = json {
            members["seed"] = .number(Double(seed))
            json = .object(members)
        }
    }
}
