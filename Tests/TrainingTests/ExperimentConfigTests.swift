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

    @Test func readsAndResolvesTheStepSizeInEpochs() throws {
        let config = try ExperimentConfig(json: valid)
        let plugins = try config.makePlugins(registries: .standard, batchesPerEpoch: 490)
        #expect(plugins.schedule.naturalLength == 2 * 980 * 3)
        #expect(config.totalSteps(batchesPerEpoch: 490, schedule: plugins.schedule) == 5880)
        #expect(config.evaluationInterval(totalSteps: 5880, batchesPerEpoch: 490) == 490)
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
