import Backprop
import Testing

/// Batch normalisation in experiment files, and its running statistics through a fit's observers.
@Suite struct BatchNormTrainingTests {
    func model(_ json: JSONValue) throws -> ModelSpec {
        var options = try Options(json, path: "model")
        return try ModelSpec(options: &options)
    }

    @Test func aLayersListAndTheHiddenShorthandBuildBatchNorm() throws {
        let listed = try model([
            "layers": [["name": "linear", "outputs": 6], "batch_norm", "relu",
                       ["name": "linear", "outputs": 5], ["name": "batch_norm", "momentum": 0.2], "relu", "linear"],
        ])
        let shorthand = try model(["hidden": [6, 5], "batch_norm": true, "initializer": "xavier_normal"])
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let one: Sequential<Double> = listed.makeModel(inputs: 7, classes: 3, generator: &a)
        let two: Sequential<Double> = shorthand.makeModel(inputs: 7, classes: 3, generator: &b)
        #expect(one.description == "Sequential(Linear(7 → 6) → BatchNorm(6) → ReLU → Linear(6 → 5) → BatchNorm(5) → ReLU → Linear(5 → 3))")
        #expect(two.description == one.description)
        #expect(two.parameters.map(\.name) == [
            "fc1.weight", "fc1.bias", "bn1.gamma", "bn1.beta", "fc2.weight", "fc2.bias", "bn2.gamma", "bn2.beta",
            "fc3.weight", "fc3.bias",
        ])
        #expect((one.layers[4] as? BatchNorm<Double>)?.momentum == 0.2)
        #expect(try model(["hidden": [4]]).description == "linear(4) → relu → linear(classes)")
        // The saved entries build the same model again.
        let entries = try #require(one.layerEntries)
        let rebuilt = try model(["layers": .array(entries)])
        var c = SeededGenerator(seed: 3)
        let three: Sequential<Double> = rebuilt.makeModel(inputs: 7, classes: 3, generator: &c)
        #expect(three.stateTensors.map(\.name) == one.stateTensors.map(\.name))
        #expect((three.layers[4] as? BatchNorm<Double>)?.momentum == 0.2)
    }

    @Test func badBatchNormOptionsAreErrorsNamingTheKey() {
        #expect { try model(["layers": ["linear", ["name": "batch_norm", "momentum": 1.5]]]) } throws: {
            "\($0)".contains("model.layers[1].momentum")
        }
        #expect { try model(["layers": [["name": "batch_norm", "epsilon": 0]]]) } throws: {
            "\($0)".contains("model.layers[0].epsilon")
        }
        #expect { try model(["layers": [["name": "batch_norm", "moment": 0.1]]]) } throws: {
            "\($0)".contains("moment")
        }
        #expect { try model(["layers": ["linear"], "batch_norm": true]) } throws: {
            "\($0)".contains("model.batch_norm")
        }
        #expect { try model(["hidden": [3], "batch_norm": "yes"]) } throws: { "\($0)".contains("model.batch_norm") }
        let spec = try? model(["layers": [["name": "linear", "outputs": 4], ["name": "batch_norm", "inputs": 5], "linear"]])
        #expect { try spec?.check(inputs: 3, classes: 2) } throws: { "\($0)".contains("model.layers[1]") }
    }

    @Test(arguments: ["he_normal", "xavier_uniform", "xavier_normal", "lecun_normal"])
    func initializersAreAcceptedByName(name: String) throws {
        #expect(try model(["hidden": [3], "initializer": .string(name)]).initializerDescription == name)
    }

    /// Records each evaluation's running mean, as observers see the model state.
    final class Recorder: TrainingObserver {
        var names: [String] = []
        var means: [Int: Tensor<Float>] = [:]
        func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Float>]) -> TrainingDecision {
            names = parameters.map(\.name)
            means[record.step] = parameters.first { $0.name == "bn1.running_mean" }?.value
            return .continue
        }
    }

    @Test func keepBestRestoresTheRunningStatisticsWithTheWeights() throws {
        var rng = SeededGenerator(seed: 4)
        let train = TrainerTests.blobs(count: 60, seed: 1)
        var noisy = train
        for i in noisy.labels.indices where i % 2 == 0 { noisy.labels[i] = (noisy.labels[i] + 1) % 4 }
        let validation = TrainerTests.blobs(count: 60, seed: 2)
        let model: Sequential<Float> = ModelSpec(hidden: [16], batchNorm: true)
            .makeModel(inputs: 12, classes: 4, generator: &rng)
        let trainer = Trainer(model: model, schedule: ConstantSchedule(rate: 0.3), batchSize: 10)
        trainer.progress = .none
        let recorder = Recorder()
        let history = trainer.fit(
            train: noisy, validation: validation, steps: 290, evaluationInterval: 10, generator: &rng,
            observers: [KeepBest<Float>(metric: .validationLoss), recorder])
        #expect(recorder.names.suffix(2) == ["bn1.running_mean", "bn1.running_var"])
        let note = try #require(history.notes.first { $0.hasPrefix("keep-best: restored") }, "\(history.notes)")
        let step = try #require(Int(note.split(separator: " ")[6]))
        #expect(step < 290)
        let bn = try #require(model.layers[1] as? BatchNorm<Float>)
        #expect(bn.runningMean.value == recorder.means[step])
        #expect(bn.runningMean.value != recorder.means[290])
    }
}
