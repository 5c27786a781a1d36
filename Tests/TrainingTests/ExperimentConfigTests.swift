import Backprop
import Testing

@Suite struct ExperimentConfigTests {
    let valid: JSONValue = [
        "name": "t", "seed": 3,
        "data": ["kind": "cifar10", "split": "all", "validation": 1000],
        "model": ["hidden": [50]],
        "training": ["batch_size": 100],
        "schedule": ["name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "step_size_epochs": 2, "cycles": 3],
        "regularizers": [["name": "l2", "lambda": 0.01]],
    ]

    func with(_ key: String, _ value: JSONValue, in object: JSONValue? = nil) -> JSONValue {
        guard case .object(var members) = object ?? valid else { return valid }
        members[key] = value
        return .object(members)
    }

    @Test func readsTypedValuesAndResolvesTheStepSizeInEpochs() throws {
        let config = try ExperimentConfig(json: valid)
        let schedule = try config.schedule.schedule(batchesPerEpoch: 490)
        #expect(schedule.naturalLength == 2 * 980 * 3)
        #expect(config.length == nil)
        #expect(config.evaluation.interval(totalSteps: 5880, batchesPerEpoch: 490) == 490)
        #expect(config.regularizers.map(\.description) == [L2Regularizer(lambda: 0.01).description])
        #expect(config.model.description == "linear(50) → relu → linear(classes)")
    }

    /// The three ways the old `step_size_epochs` rewrite went wrong, through a whole experiment file.
    @Test func stepCountsInEpochsWorkForEveryScheduleParameter() throws {
        // 1. Both spellings given: an error, not a silent overwrite of step_size.
        #expect { try ExperimentConfig(json: with("schedule", [
            "name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "step_size": 500, "step_size_epochs": 2,
        ])) } throws: { "\($0)".contains("schedule.step_size_epochs") }
        // 2. Half an epoch is ⌊0.5 · b⌋ steps; when that is no step, the error names the key written.
        let half = try ExperimentConfig(json: with("schedule", [
            "name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "step_size_epochs": 0.5, "cycles": 1,
        ]))
        #expect(try half.schedule.schedule(batchesPerEpoch: 490).naturalLength == 2 * 245)
        #expect { try half.schedule.schedule(batchesPerEpoch: 1) } throws: {
            "\($0)".contains("schedule.step_size_epochs") && !"\($0)".contains("'schedule.step_size'")
        }
        // 3. A parameter of another name: the LR range test's `steps`, also as {"epochs": x}.
        for schedule: JSONValue in [
            ["name": "lr_range_test", "eta_min": 1e-5, "eta_max": 0.5, "steps_epochs": 3],
            ["name": "lr_range_test", "eta_min": 1e-5, "eta_max": 0.5, "steps": ["epochs": 3]],
        ] {
            let config = try ExperimentConfig(json: with("schedule", schedule))
            #expect(try config.schedule.schedule(batchesPerEpoch: 100).naturalLength == 300)
        }
    }

    @Test func aModelSectionListsLayers() throws {
        let config = try ExperimentConfig(json: with("model", [
            "layers": [["name": "linear", "outputs": 20], "relu", ["name": "dropout", "rate": 0.25], "linear"],
        ]))
        var rng = SeededGenerator(seed: 1)
        let model: Sequential<Float> = config.model.makeModel(inputs: 12, classes: 4, generator: &rng)
        #expect(model.description == "Sequential(Linear(12 → 20) → ReLU → Dropout(0.25) → Linear(20 → 4))")
        #expect(model.parameters.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect { try ExperimentConfig(json: with("model", ["layers": ["relu", "conv"]])) } throws: {
            "\($0)".contains("unknown layer 'conv'")
        }
        #expect { try ExperimentConfig(json: with("model", ["hidden": [5], "layers": ["linear"]])) } throws: {
            "\($0)".contains("model.layers") && "\($0)".contains("hidden")
        }
        #expect { try ExperimentConfig(json: with("model", ["layers": [["name": "dropout", "rate": 1.5]]])) } throws: {
            "\($0)".contains("model.layers[0].rate")
        }
    }

    @Test func theHiddenShorthandBuildsTheSameModelAsItsLayers() throws {
        let shorthand = try ExperimentConfig(json: with("model", ["hidden": [6, 5]]))
        let listed = try ExperimentConfig(json: with("model", [
            "layers": [["name": "linear", "outputs": 6], "relu", ["name": "linear", "outputs": 5], "relu", "linear"],
        ]))
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let one: Sequential<Double> = shorthand.model.makeModel(inputs: 7, classes: 3, generator: &a)
        let two: Sequential<Double> = listed.model.makeModel(inputs: 7, classes: 3, generator: &b)
        #expect(one.description == two.description)
        #expect(one.parameters.map(\.value) == two.parameters.map(\.value))
    }

    @Test func aModelWhoseWidthIsNotTheClassCountIsRefusedWhenTheDataAreKnown() throws {
        let config = try ExperimentConfig(json: with("model", ["layers": [["name": "linear", "outputs": 3]]]))
        let data = Dataset(features: Tensor(zeros: [4, 2]), labels: [0, 1, 0, 1], classNames: ["a", "b"])
        let splits = DataSplits(train: data, validation: data, test: data)
        #expect { try config.experiment(splits: splits, standardizer: Standardizer(fitting: data)) } throws: {
            "\($0)".contains("'model' ends in 3 outputs, but the data have 2 classes")
        }
    }

    /// Sizes that cannot fit are refused with the figure before anything is allocated (issue 14, defect 6).
    @Test func aModelOrRunTooLargeForTheMachineIsRefusedBeforeAllocating() throws {
        let data = Dataset(features: Tensor(zeros: [4, 2]), labels: [0, 1, 0, 1], classNames: ["a", "b"])
        let splits = DataSplits(train: data, validation: data, test: data)
        let wide = try ExperimentConfig(json: with("model", ["hidden": [1e7, 1e7]]))
        #expect { try wide.experiment(splits: splits, standardizer: Standardizer(fitting: data)) } throws: {
            "\($0)".hasPrefix("'model' needs about ") && "\($0)".contains(" PB for the model (linear(10000000)")
        }
        let batch = try ExperimentConfig(json: with("training", ["batch_size": 1e13]))
        #expect { try batch.experiment(splits: splits, standardizer: Standardizer(fitting: data)) } throws: {
            "\($0)".hasPrefix("'model' needs about")
        }
        let long = try ExperimentConfig(json: with("training", ["batch_size": 2, "steps": 1e12]))
        let run = try long.experiment(splits: splits, standardizer: Standardizer(fitting: data), as: Float.self)
        #expect { try run.run(quiet: true, onEvaluation: nil) } throws: {
            "\($0)".hasPrefix("'training' needs about 8.0 TB for the learning rates of 1000000000000 steps")
        }
    }

    @Test func unknownKeysAreNamed() {
        #expect { try ExperimentConfig(json: with("trainig", ["batch_size": 1])) } throws: {
            "\($0)".contains("unknown key 'trainig'") && "\($0)".contains("Did you mean 'training'")
        }
        #expect { try ExperimentConfig(json: with("training", ["batch_sise": 1])) } throws: {
            "\($0)".contains("unknown key 'training.batch_sise'")
        }
    }

    @Test func wrongTypesAndImpossibleValuesAreNamed() {
        #expect(throws: ConfigurationError.wrongType(path: "seed", expected: "a number", found: "string")) {
            try ExperimentConfig(json: with("seed", "x"))
        }
        #expect { try ExperimentConfig(json: with("training", ["batch_size": 0])) } throws: {
            "\($0)".contains("'training.batch_size' must be at least 1")
        }
        #expect { try ExperimentConfig(json: with("schedule", ["name": "triangular", "eta_min": 0.1, "eta_max": 0.01, "step_size": 5])) } throws: {
            "\($0)".contains("schedule.eta_max")
        }
    }

    @Test func unknownPluginListsRegisteredNames() {
        #expect { try ExperimentConfig(json: with("regularizers", [["name": "l3", "lambda": 1]])) } throws: {
            "\($0)".contains("unknown regularizer 'l3'") && "\($0)".contains("l2")
        }
    }

    @Test func aLengthIsRequired() {
        #expect { try ExperimentConfig(json: with("schedule", ["name": "constant", "eta": 0.1])) } throws: {
            "\($0)".contains("training.epochs")
        }
    }

    @Test func seedOverrideReachesTheKeptJSON() throws {
        var config = try ExperimentConfig(json: valid)
        config.override(seed: 99)
        #expect(config.seed == 99)
        guard case .object(let members) = config.json else { Issue.record("not an object"); return }
        #expect(members["seed"] == 99)
    }
}
