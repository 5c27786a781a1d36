import BackpropData
import BackpropLayers
import BackpropRegistry
import BackpropTensor
import BackpropTraining
import Foundation

/// A trained model loaded from a run directory: its network, the pre-processing it was trained with
/// and its class names, ready to evaluate or predict on raw data.
///
/// ```swift
/// let model = try TrainedModel.load(from: URL(fileURLWithPath: "runs/a2-one-cycle-20261204-101500"))
/// let raw = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data").load()
/// print(try model.evaluate(raw.test).accuracy)     // the run's test accuracy, bit for bit
/// ```
///
/// Semantics:
/// - Data given to `evaluate` and `probabilities` are raw, as the data set's reader returns them: the
///   model applies its own standardiser first.
/// - A model loads in the precision it was trained in, and gives the same numbers the run reported.
public struct TrainedModel {
    /// The network in its precision.
    public enum Network {
        case float32(Sequential<Float>)
        case float64(Sequential<Double>)
    }

    public let network: Network
    public let standardizer: Standardizer
    public let classNames: [String]
    public let imageShape: ImageShape?
    public let archive: ModelArchive

    /// Loads the model of `directory` (a run directory with `model.json`), its layers built through
    /// `layers` (the standard kinds, plus any a user registered).
    ///
    /// - Throws: an error naming the file for a missing, unknown or damaged `model.json` or `.npy` file,
    ///   a parameter whose shape differs from the archive's, or a layer kind the registry does not know.
    public static func load(from directory: URL, layers: Registry<any LayerSpec> = .standardLayers) throws -> TrainedModel {
        let file = directory.appendingPathComponent(ModelArchive.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ReportFileError.cannotRead(
                path: file.path, reason: "no model archive: the directory is not a run directory of this Backprop, or its "
                    + "model has a layer that cannot describe itself (see ConfigurableLayer)")
        }
        let archive = try ModelArchive(contentsOf: file)
        let specs = try archive.layers.enumerated().map { try layers.make($1, path: "\(file.path): layers[\($0)]") }
        let spec = ModelSpec(layers: specs)
        try spec.check(inputs: archive.inputs, classes: archive.classNames.count, path: "\(file.path): layers")
        let mean = try NumpyFile.read(directory.appendingPathComponent("standardizer_mean.npy"), as: Float.self)
        let std = try NumpyFile.read(directory.appendingPathComponent("standardizer_std.npy"), as: Float.self)
        guard mean.count == archive.inputs, std.count == archive.inputs else {
            throw ReportFileError.malformedNumpy(
                path: directory.appendingPathComponent("standardizer_mean.npy").path,
                reason: "the standardiser has \(mean.count) and \(std.count) values for \(archive.inputs) inputs")
        }
        let network: Network = archive.precision == "float64"
            ? .float64(try build(spec, archive, from: directory))
            : .float32(try build(spec, archive, from: directory))
        return TrainedModel(
            network: network, standardizer: Standardizer(mean: mean.scalars, standardDeviation: std.scalars),
            classNames: archive.classNames, imageShape: archive.imageShape, archive: archive)
    }

    /// The model's layers, with the stored parameters and buffers (running statistics) in place of fresh
    /// ones.
    private static func build<Scalar: TensorScalar>(
        _ spec: ModelSpec, _ archive: ModelArchive, from directory: URL
    ) throws -> Sequential<Scalar> {
        var unused = SeededGenerator(seed: 0)
        let model: Sequential<Scalar> = spec.makeModel(
            inputs: archive.inputs, classes: archive.classNames.count, generator: &unused)
        let parameters = model.stateTensors
        guard parameters.map(\.name) == archive.parameters.map(\.name) else {
            throw ReportFileError.cannotRead(
                path: directory.appendingPathComponent(ModelArchive.fileName).path,
                reason: "its layers make the parameters \(parameters.map(\.name)), but it lists "
                    + "\(archive.parameters.map(\.name))")
        }
        for parameter in parameters {
            let url = directory.appendingPathComponent("\(parameter.name).npy")
            let value = try NumpyFile.read(url, as: Scalar.self)
            guard value.shape == parameter.value.shape else {
                throw ReportFileError.malformedNumpy(
                    path: url.path, reason: "shape \(value.shape), but the model's \(parameter.name) is \(parameter.value.shape)")
            }
            parameter.value = value
        }
        return model
    }

    /// The model's metrics on raw `dataset` (loss and accuracy; the cost has no regularisation term).
    ///
    /// - Throws: `ConfigurationError` when the examples or labels do not fit the model.
    public func evaluate(_ dataset: Dataset) throws -> Metrics {
        try checkFits(dataset.featureCount, labels: dataset.labels)
        let standardized = standardizer.applied(to: dataset)
        switch network {
        case .float32(let model): return Evaluator<Float>().evaluate(model, on: standardized)
        case .float64(let model): return Evaluator<Double>().evaluate(model, on: standardized)
        }
    }

    /// The class probabilities (softmax of the logits) of each row of raw `features`, in Double.
    ///
    /// - Throws: `ConfigurationError` when a row is not as wide as the model's input.
    public func probabilities(_ features: Tensor<Float>) throws -> Tensor<Double> {
        try checkFits(features.columns, labels: [])
        var x = features
        standardizer.apply(to: &x)
        var context = ForwardContext.inference
        switch network {
        case .float32(let model): return model.forward(x, context: &context).softmaxRows().converted(to: Double.self)
        case .float64(let model):
            return model.forward(x.converted(to: Double.self), context: &context).softmaxRows()
        }
    }

    /// The mean of the class probabilities of `models` for each row of raw `features` (each model
    /// applies its own standardiser).
    ///
    /// - Throws: `ConfigurationError` when the models differ in classes or input width, or the features
    ///   do not fit them.
    public static func averageProbabilities(_ models: [TrainedModel], _ features: Tensor<Float>) throws -> Tensor<Double> {
        guard let first = models.first else {
            throw ConfigurationError.invalidValue(path: "ensemble", reason: "needs at least one model")
        }
        var sum = try first.probabilities(features)
        for model in models.dropFirst() {
            guard model.classNames == first.classNames, model.archive.inputs == first.archive.inputs else {
                throw ConfigurationError.invalidValue(
                    path: "ensemble", reason: "members must share classes and input width: \(first.classNames.count) "
                        + "classes of \(first.archive.inputs) inputs against \(model.classNames.count) of \(model.archive.inputs)")
            }
            sum.add(try model.probabilities(features))
        }
        sum.scale(by: 1 / Double(models.count))
        return sum
    }

    private func checkFits(_ width: Int, labels: [Int]) throws {
        guard width == archive.inputs else {
            throw ConfigurationError.invalidValue(
                path: "input", reason: "has \(width) features per example, but the model takes \(archive.inputs)")
        }
        if let label = labels.first(where: { $0 < 0 || $0 >= classNames.count }) {
            throw ConfigurationError.invalidValue(
                path: "labels", reason: "hold \(label), but the model knows \(classNames.count) classes")
        }
    }
}
