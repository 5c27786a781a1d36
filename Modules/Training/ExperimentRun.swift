import BackpropData
import BackpropLayers
import BackpropRegularizers
import BackpropSchedules
import BackpropTensor
import Foundation

/// A trained parameter tensor in the precision it was trained in.
public enum ParameterTensor: Sendable {
    case float32(Tensor<Float>)
    case float64(Tensor<Double>)

    /// The tensor's shape.
    public var shape: [Int] {
        switch self {
        case .float32(let t): t.shape
        case .float64(let t): t.shape
        }
    }

    /// The values in Double (exact for both precisions).
    public var doubles: Tensor<Double> {
        switch self {
        case .float32(let t): t.converted(to: Double.self)
        case .float64(let t): t
        }
    }
}

/// Everything one training run produced: what the report shows and what the run directory keeps.
public struct RunResult: Sendable {
    public var config: ExperimentConfig
    public var history: TrainingHistory
    public var train: Metrics
    public var validation: Metrics
    public var test: Metrics
    /// The model's parameters by name (`fc1.weight` is `[inputs, outputs]`), as trained.
    public var parameters: [(name: String, value: ParameterTensor)]
    /// The pre-processing fitted on the training split (apply it before evaluating the parameters).
    public var standardizer: Standardizer
    public var dataSummary: String
    public var dataNotes: [String]
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int
    public var classNames: [String]
    public var modelDescription: String
    public var scheduleDescription: String
    public var regularizerDescriptions: [String]
    public var totalSteps: Int
    public var seconds: Double
}

/// Runs an experiment: loads and standardises the data, builds the model and plug-ins, trains, tests.
public enum ExperimentRunner {
    /// Loads the experiment's data (its `directory` resolved against `base`), standardised with
    /// statistics of the training split.
    public static func loadData(_ data: DatasetConfiguration, relativeTo base: URL?) throws -> (DataSplits, Standardizer) {
        var splits = try data.load(relativeTo: base)
        let standardizer = splits.standardize()   // in place: no copy of a 150 MB training set
        return (splits, standardizer)
    }

    /// Trains `config` on already loaded, standardised `splits`.
    ///
    /// - Parameter onEvaluation: called after every evaluation with the record and the parameters at
    ///   that moment (for live reports and checkpoints).
    public static func run(
        _ config: ExperimentConfig, splits: DataSplits, standardizer: Standardizer,
        registries: PluginRegistries = .standard, quiet: Bool = false,
        onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)? = nil
    ) throws -> RunResult {
        switch config.precision {
        case .float32:
            return try run(config, splits: splits, standardizer: standardizer, registries: registries,
                           quiet: quiet, as: Float.self, wrap: ParameterTensor.float32, onEvaluation: onEvaluation)
        case .float64:
            return try run(config, splits: splits, standardizer: standardizer, registries: registries,
                           quiet: quiet, as: Double.self, wrap: ParameterTensor.float64, onEvaluation: onEvaluation)
        }
    }

    private static func run<Scalar: TensorScalar>(
        _ config: ExperimentConfig, splits: DataSplits, standardizer: Standardizer,
        registries: PluginRegistries, quiet: Bool, as _: Scalar.Type,
        wrap: @escaping (Tensor<Scalar>) -> ParameterTensor,
        onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)?
    ) throws -> RunResult {
        let start = Date()
        let sampler = BatchSampler(count: splits.train.count, batchSize: config.batchSize, shuffle: config.shuffle)
        let plugins = try config.makePlugins(registries: registries, batchesPerEpoch: sampler.batchesPerEpoch)
        let steps = config.totalSteps(batchesPerEpoch: sampler.batchesPerEpoch, schedule: plugins.schedule)
        let interval = config.evaluationInterval(totalSteps: steps, batchesPerEpoch: sampler.batchesPerEpoch)

        var generator = SeededGenerator(seed: config.seed)
        let model: Sequential<Scalar> = config.model.makeModel(
            inputs: splits.train.featureCount, classes: splits.train.classCount, generator: &generator)
        let trainer = Trainer<Scalar>(
            model: model, optimizer: SGD<Scalar>(momentum: config.momentum, convention: config.momentumConvention),
            schedule: plugins.schedule, regularizers: plugins.regularizers, augmentations: plugins.augmentations,
            batchSize: config.batchSize, shuffle: config.shuffle)
        trainer.trainEvaluationSubset = config.trainEvaluationSubset
        trainer.label = config.name
        trainer.quiet = quiet
        let history = trainer.fit(
            train: splits.train, validation: splits.validation, steps: steps, evaluationInterval: interval,
            generator: &generator, onEvaluation: onEvaluation.map { report in
                { record in report(record, model.parameters.map { (name: $0.name, value: wrap($0.value)) }) }
            })

        return RunResult(
            config: config, history: history,
            train: trainer.evaluate(splits.train), validation: trainer.evaluate(splits.validation),
            test: trainer.evaluate(splits.test),
            parameters: model.parameters.map { (name: $0.name, value: wrap($0.value)) },
            standardizer: standardizer, dataSummary: config.data.description, dataNotes: splits.notes,
            trainCount: splits.train.count, validationCount: splits.validation.count, testCount: splits.test.count,
            classNames: splits.train.classNames, modelDescription: model.description,
            scheduleDescription: plugins.schedule.description,
            regularizerDescriptions: plugins.regularizers.map(\.description) + plugins.augmentations.map(\.description),
            totalSteps: steps, seconds: Date().timeIntervalSince(start))
    }
}
