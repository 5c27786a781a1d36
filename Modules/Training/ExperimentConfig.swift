import BackpropData
import BackpropRegistry
import BackpropRegularizers
import BackpropSchedules
import Foundation

/// One training run, as written in an experiment file.
///
/// ```json
/// {
///   "name": "a2-one-cycle",
///   "seed": 42,
///   "data": {"kind": "cifar10", "split": "all", "validation": 5000, "train_limit": 10000},
///   "model": {"hidden": [50]},
///   "training": {"batch_size": 100, "momentum": 0},
///   "schedule": {"name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "step_size": 500, "cycles": 1},
///   "regularizers": [{"name": "l2", "lambda": 0.01}],
///   "evaluation": {"times": 10}
/// }
/// ```
///
/// Semantics:
/// - The length of training is `training.epochs` or `training.steps`, or else the schedule's natural
///   length (whole cycles of a cyclical schedule); giving none of them is an error.
/// - A schedule parameter `step_size_epochs: k` stands for `step_size = k · ⌊n / batch⌋`, the course's
///   n_s = 2⌊n/n_batch⌋ for the λ search, resolved once the training set is known.
/// - `evaluation.every` (update steps) or `evaluation.times` (evenly spread) sets how often loss, cost
///   and accuracy are measured; the default is once per epoch. The training-set metrics use a fixed
///   subset of `evaluation.train_subset` examples (default 10,000) so that curves do not dominate the
///   run's time.
/// - Unknown keys anywhere are errors naming the key; so are impossible values.
public struct ExperimentConfig: Sendable {
    public enum Precision: String, Sendable { case float32, float64 }

    public var name: String
    public var seed: UInt64
    public var precision: Precision
    public var data: DatasetConfiguration
    public var model: ModelSpec
    public var batchSize: Int
    public var epochs: Int?
    public var steps: Int?
    public var momentum: Double
    public var momentumConvention: MomentumConvention
    public var shuffle: Bool
    public var schedule: JSONValue
    public var regularizers: [JSONValue]
    public var augmentations: [JSONValue]
    public var evaluationEvery: Int?
    public var evaluationTimes: Int?
    public var trainEvaluationSubset: Int
    /// The document as read, kept whole for `metrics.json` and the report.
    public var json: JSONValue

    /// Reads and checks an experiment; plug-in names and parameters are checked against `registries`.
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
        guard let dataValue = root.raw("data") else { throw ConfigurationError.missingKey(path: "data") }
        data = try DatasetConfiguration(dataValue, path: "data")
        var modelOptions = try root.nested("model")
        model = try ModelSpec(options: &modelOptions)

        var training = try root.nested("training")
        batchSize = try training.optional("batch_size") ?? 100
        try training.check(batchSize >= 1, "batch_size", "must be at least 1, found \(batchSize)")
        epochs = try training.optional("epochs")
        steps = try training.optional("steps")
        try training.check(epochs.map { $0 >= 1 } ?? true, "epochs", "must be at least 1")
        try training.check(steps.map { $0 >= 1 } ?? true, "steps", "must be at least 1")
        try training.check(epochs == nil || steps == nil, "steps", "cannot be given together with epochs")
        momentum = try training.optional("momentum") ?? 0
        try training.check(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), found \(momentum)")
        let convention: String = try training.optional("momentum_convention") ?? "pytorch"
        guard let parsed = MomentumConvention(rawValue: convention) else {
            throw ConfigurationError.invalidValue(path: "training.momentum_convention", reason: "must be pytorch or course")
        }
        momentumConvention = parsed
        shuffle = try training.optional("shuffle") ?? true
        try training.finish()

        guard let schedule = root.raw("schedule") else { throw ConfigurationError.missingKey(path: "schedule") }
        self.schedule = schedule
        regularizers = try root.optional("regularizers") ?? []
        augmentations = try root.optional("augmentations") ?? []

        var evaluation = try root.nested("evaluation")
        evaluationEvery = try evaluation.optional("every")
        evaluationTimes = try evaluation.optional("times")
        trainEvaluationSubset = try evaluation.optional("train_subset") ?? 10_000
        try evaluation.check(evaluationEvery.map { $0 >= 1 } ?? true, "every", "must be at least 1")
        try evaluation.check(evaluationTimes.map { $0 >= 1 } ?? true, "times", "must be at least 1")
        try evaluation.check(trainEvaluationSubset >= 1, "train_subset", "must be at least 1")
        try evaluation.finish()
        try root.finish()

        // Build every plug-in once now, so that a typo fails before any data is loaded.
        let plugins = try makePlugins(registries: registries, batchesPerEpoch: 1)
        if epochs == nil && steps == nil && plugins.schedule.naturalLength == nil {
            throw ConfigurationError.missingKey(path: "training.epochs")
        }
    }

    /// Reads an experiment file.
    public init(contentsOf url: URL, registries: PluginRegistries = .standard) throws {
        let data: Foundation.Data
        do { data = try Foundation.Data(contentsOf: url) } catch {
            throw ConfigurationError.malformedJSON(source: url.path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(json: JSONValue(parsing: data, source: url.path), registries: registries)
    }

    /// The plug-ins of this experiment, built for a training set of `batchesPerEpoch` batches.
    public func makePlugins(registries: PluginRegistries, batchesPerEpoch: Int) throws -> Plugins {
        let schedule = try registries.schedules.make(
            ExperimentConfig.resolveStepSize(schedule, batchesPerEpoch: batchesPerEpoch), path: "schedule")
        let regularizers = try self.regularizers.enumerated().map {
            try registries.regularizers.make($1, path: "regularizers[\($0)]")
        }
        let augmentations = try self.augmentations.enumerated().map {
            try registries.augmentations.make($1, path: "augmentations[\($0)]")
        }
        return Plugins(schedule: schedule, regularizers: regularizers, augmentations: augmentations)
    }

    /// The number of update steps of the run.
    public func totalSteps(batchesPerEpoch: Int, schedule: any LearningRateSchedule) -> Int {
        if let steps { return steps }
        if let epochs { return epochs * batchesPerEpoch }
        return schedule.naturalLength ?? batchesPerEpoch
    }

    /// The interval, in update steps, between two evaluations.
    public func evaluationInterval(totalSteps: Int, batchesPerEpoch: Int) -> Int {
        if let evaluationEvery { return evaluationEvery }
        if let evaluationTimes { return max(1, totalSteps / evaluationTimes) }
        return max(1, batchesPerEpoch)
    }

    static func resolveStepSize(_ schedule: JSONValue, batchesPerEpoch: Int) -> JSONValue {
        guard case .object(var members) = schedule, case .number(let k)? = members["step_size_epochs"] else {
            return schedule
        }
        members["step_size_epochs"] = nil
        members["step_size"] = .number((k * Double(batchesPerEpoch)).rounded(.down))
        return .object(members)
    }
}

/// The plug-ins an experiment names, built.
public struct Plugins: Sendable {
    public var schedule: any LearningRateSchedule
    public var regularizers: [any Regularizer]
    public var augmentations: [any Augmentation]
}

extension ExperimentConfig {
    /// Replaces the seed, in the typed field and in the JSON kept for reports.
    public mutating func override(seed: UInt64) {
        self.seed = seed
        if case .object(var members) = json {
            members["seed"] = .number(Double(seed))
            json = .object(members)
        }
    }
}
