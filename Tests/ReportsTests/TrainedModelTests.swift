import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

/// A layer of a user's own: multiplies its input by a fixed factor. Saved and loaded once registered.
final class Scale<Scalar: TensorScalar>: Layer, ConfigurableLayer {
    let factor: Double
    init(factor: Double) { self.factor = factor }
    var description: String { "Scale(\(factor))" }
    func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> { x * Scalar(factor) }
    func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> { g * Scalar(factor) }
    var layerEntries: [JSONValue]? { [["name": "scale", "factor": .number(factor)]] }
}

struct ScaleSpec: LayerSpec {
    var factor: Double
    var description: String { "scale(\(factor))" }
    func makeLayer<S: TensorScalar>(_ context: LayerContext, generator: inout SeededGenerator) -> any Layer<S> {
        Scale<S>(factor: factor)
    }
}

/// A layer that cannot describe itself.
final class Opaque<Scalar: TensorScalar>: Layer {
    var description: String { "Opaque" }
    func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> { x }
    func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> { g }
}

@Suite struct TrainedModelTests {
    /// A run on fixture CIFAR-10 files; returns its result, run directory and the raw (unstandardised) data.
    func trainedRun(model: JSONValue, precision: String = "float32") throws -> (RunResult, URL, DataSplits) {
        let data = try makeDatasetFixtureDirectory("trained-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 120, seed: 17, testImages: 60)
        let config = try ExperimentConfig(json: [
            "name": "artefact", "seed": 3, "precision": .string(precision),
            "data": ["kind": "cifar10", "split": "batch1"], "model": model,
            "training": ["batch_size": 20, "epochs": 2], "schedule": ["name": "constant", "eta": 0.02],
            "regularizers": [["name": "l2", "lambda": 0.01]],
        ])
        let raw = try config.data.load(relativeTo: data)
        let (splits, standardizer) = raw.standardized()
        let result = try config.experiment(splits: splits, standardizer: standardizer).run(quiet: true)
        let out = try makeDatasetFixtureDirectory("trained-run")
        try RunReport.write(result, to: out)
        return (result, out, raw)
    }

    @Test(arguments: ["float32", "float64"])
    func aLoadedModelReproducesTheRunsFiguresBitForBit(precision: String) throws {
        let (result, directory, raw) = try trainedRun(model: [
            "layers": [["name": "linear", "outputs": 9], "relu", ["name": "dropout", "rate": 0.3], "linear"],
        ], precision: precision)
        let model = try TrainedModel.load(from: directory)
        #expect(model.classNames == raw.train.classNames)
        #expect(model.archive.precision == precision)
        let test = try model.evaluate(raw.test)
        #expect(test.accuracy == result.test.accuracy)
        #expect(test.loss == result.test.loss)
        #expect(try model.evaluate(raw.validation).accuracy == result.validation.accuracy)

        let p = try model.probabilities(raw.test.features)
        #expect(p.shape == [raw.test.count, 10])
        let predicted = p.argmaxPerRow()
        let correct = zip(predicted, raw.test.labels).filter { $0 == $1 }.count
        #expect(Double(correct) / Double(raw.test.count) == result.test.accuracy)
    }

    @Test(arguments: ["float32", "float64"])
    func aLoadedModelWithBatchNormReproducesTheRunsFiguresBitForBit(precision: String) throws {
        let (result, directory, raw) = try trainedRun(model: [
            "layers": [["name": "linear", "outputs": 9], "batch_norm", "relu", "linear"],
        ], precision: precision)
        let names = result.parameters.map(\.name)
        #expect(names == [
            "fc1.weight", "fc1.bias", "bn1.gamma", "bn1.beta", "fc2.weight", "fc2.bias",
            "bn1.running_mean", "bn1.running_var",
        ])
        for name in names {
            #expect(FileManager.default.fileExists(atPath: directory.appending(path: "\(name).npy").path))
        }
        // The running statistics were trained: the loaded model must use them, not fresh ones.
        let mean = try #require(result.parameters.first { $0.name == "bn1.running_mean" }).value.doubles
        #expect(mean.scalars.contains { $0 != 0 })
        let model = try TrainedModel.load(from: directory)
        let test = try model.evaluate(raw.test)
        #expect(test.accuracy == result.test.accuracy)
        #expect(test.loss == result.test.loss)
        #expect(try model.evaluate(raw.validation).loss == result.validation.loss)
    }

    @Test func aUsersOwnLayerLoadsOnceRegistered() throws {
        let data = try makeDatasetFixtureDirectory("trained-custom")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 5, testImages: 30)
        let raw = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data").load(relativeTo: data)
        let (splits, standardizer) = raw.standardized()
        let experiment = Experiment<Float>(
            name: "custom-layer", seed: 2, data: splits, standardizer: standardizer,
            model: ModelBuilder { inputs, rng in
                Scale<Float>(factor: 0.5)
                Linear<Float>(inputs.featureCount, inputs.classCount, generator: &rng, name: "out")
            },
            schedule: SchedulePlan(ConstantSchedule(rate: 0.01)), batchSize: 20, length: .steps(6))
        let result = try experiment.run(quiet: true)
        let directory = try makeDatasetFixtureDirectory("trained-custom-run")
        try RunReport.write(result, to: directory)

        #expect { try TrainedModel.load(from: directory) } throws: { "\($0)".contains("unknown layer 'scale'") }
        var layers = Registry<any LayerSpec>.standardLayers
        layers.register("scale") { options in
            try options.declare("factor")
            return ScaleSpec(factor: try options.required("factor"))
        }
        let model = try TrainedModel.load(from: directory, layers: layers)
        #expect(try model.evaluate(raw.test).accuracy == result.test.accuracy)
        guard case .float32(let network) = model.network else { Issue.record("not Float"); return }
        #expect(network.description == "Sequential(Scale(0.5) → Linear(3072 → 10))")
        #expect(network.parameters.map(\.name) == ["out.weight", "out.bias"])
    }

    @Test func damagedOrMissingArtefactsAreErrorsNamingTheFile() throws {
        let (_, directory, raw) = try trainedRun(model: ["hidden": [4]])
        let archive = directory.appending(path: "model.json")
        let original = try Foundation.Data(contentsOf: archive)
        func expectLoadFails(_ mentions: String..., sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(sourceLocation: sourceLocation) { try TrainedModel.load(from: directory) } throws: { error in
                mentions.allSatisfy { "\(error)".contains($0) }
            }
        }

        // A newer format version.
        guard case .object(var members) = try JSONValue(parsing: original) else { Issue.record("not an object"); return }
        members["version"] = 2
        try JSONValue.object(members).prettyJSONText.write(to: archive, atomically: true, encoding: .utf8)
        expectLoadFails("model.json", "version", "is 2")
        // Not JSON at all.
        try "{\"format\": ".write(to: archive, atomically: true, encoding: .utf8)
        expectLoadFails("model.json")
        // A parameter file of the wrong shape, then a truncated one.
        try original.write(to: archive)
        let weight = directory.appending(path: "fc2.weight.npy")
        let weightBytes = try Foundation.Data(contentsOf: weight)
        try NumpyFile.write(Tensor<Float>(zeros: [3, 10]), to: weight)
        expectLoadFails("fc2.weight.npy", "shape [3, 10]")
        try weightBytes.prefix(weightBytes.count - 8).write(to: weight)
        expectLoadFails("fc2.weight.npy")
        try weightBytes.write(to: weight)
        #expect(throws: Never.self) { try TrainedModel.load(from: directory) }
        // A link to a device that never ends (was: read forever).
        try FileManager.default.removeItem(at: archive)
        try FileManager.default.createSymbolicLink(atPath: archive.path, withDestinationPath: "/dev/zero")
        expectLoadFails("model.json", "not a regular file")
        // No archive at all.
        try FileManager.default.removeItem(at: archive)
        expectLoadFails("model.json", "no model archive")

        // Inputs of the wrong width.
        try original.write(to: archive)
        let model = try TrainedModel.load(from: directory)
        #expect { try model.probabilities(Tensor<Float>(zeros: [2, 784])) } throws: {
            "\($0)".contains("784 features") && "\($0)".contains("3072")
        }
        #expect(raw.test.count > 0)
    }

    @Test func aModelWithALayerThatCannotDescribeItselfWritesNoArchive() throws {
        let model = Sequential<Float> { Opaque<Float>(); ReLU<Float>() }
        #expect(model.layerEntries == nil)
        #expect(model.firstUnconfigurableLayer?.description == "Opaque")
        let nested = Sequential<Float> { ReLU<Float>(); Sequential<Float> { ReLU<Float>(); Dropout<Float>(rate: 0.1) } }
        #expect(nested.layerEntries == ["relu", "relu", ["name": "dropout", "rate": 0.1]])
    }
}
