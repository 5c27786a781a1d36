import Backprop
import Testing

/// `training.optimizer` in an experiment file, the older `training.momentum` keys, and a user's own
/// optimiser through the registry.
@Suite struct OptimizerConfigTests {
    static func experiment(training: JSONValue) -> JSONValue {
        [
            "data": ["kind": "cifar10", "split": "batch1"],
            "model": ["hidden": [5]],
            "training": training,
            "schedule": ["name": "constant", "eta": 0.001],
            "evaluation": ["times": 1],
        ]
    }

    static func recipe(_ training: JSONValue, registries: PluginRegistries = .standard) throws -> any OptimizerRecipe {
        try ExperimentConfig(json: experiment(training: training), registries: registries).optimizer
    }

    @Test func readsEachBuiltInOptimizer() throws {
        #expect(try Self.recipe(["steps": 3]) as? SGDRecipe == SGDRecipe())
        #expect(try Self.recipe(["steps": 3, "momentum": 0.9, "momentum_convention": "course"]) as? SGDRecipe
                == SGDRecipe(momentum: 0.9, convention: .course))
        #expect(try Self.recipe(["steps": 3, "optimizer": ["name": "sgd", "momentum": 0.9, "nesterov": true, "convention": "pytorch"]])
                as? SGDRecipe == SGDRecipe(momentum: 0.9, convention: .pytorch, nesterov: true))
        #expect(try Self.recipe(["steps": 3, "optimizer": [
            "name": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.001,
        ]]) as? AdamRecipe == AdamRecipe(beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.001))
        #expect(try Self.recipe(["steps": 3, "optimizer": "adam"]) as? AdamRecipe == AdamRecipe())
        // AdamW's defaults are torch.optim.AdamW's: weight_decay 0.01, decoupled.
        #expect(try Self.recipe(["steps": 3, "optimizer": ["name": "adamw"]]) as? AdamRecipe
                == AdamRecipe(weightDecay: 0.01, decoupledWeightDecay: true))
    }

    @Test func theRecipeMakesTheOptimizerInTheExperimentsPrecision() throws {
        let recipe = try Self.recipe(["steps": 3, "optimizer": ["name": "adamw", "weight_decay": 0.1]])
        let float = recipe.make(Float.self), double = recipe.make(Double.self)
        #expect((float as? Adam<Float>)?.decoupledWeightDecay == true)
        #expect((double as? Adam<Double>)?.weightDecay == 0.1)
        #expect(recipe.description.hasPrefix("AdamW"))
    }

    @Test(arguments: [
        (["name": "adam", "beta3": 0.9], "training.optimizer.beta3"),
        (["name": "adam", "beta1": 1.0], "training.optimizer.beta1"),
        (["name": "adam", "beta2": -0.1], "training.optimizer.beta2"),
        (["name": "adam", "eps": 0], "training.optimizer.eps"),
        (["name": "adamw", "weight_decay": -1], "training.optimizer.weight_decay"),
        (["name": "adam", "beta1": "high"], "training.optimizer.beta1"),
        (["name": "sgd", "momentum": 1.5], "training.optimizer.momentum"),
        (["name": "sgd", "convention": "keras"], "training.optimizer.convention"),
        (["name": "sgd", "nesterov": true], "training.optimizer.nesterov"),
        (["name": "sgd", "momentum": 0.9, "nesterov": "yes"], "training.optimizer.nesterov"),
        (["name": "adan"], "adan"),
        (["beta1": 0.9], "training.optimizer.name"),
        (7, "training.optimizer"),
    ] as [(JSONValue, String)])
    func aBadOptimizerIsAnErrorNamingTheKey(optimizer: JSONValue, key: String) {
        #expect { try Self.recipe(["steps": 3, "optimizer": optimizer]) } throws: { "\($0)".contains(key) }
    }

    @Test func theOlderMomentumKeysCannotBeCombinedWithAnOptimizer() {
        #expect { try Self.recipe(["steps": 3, "momentum": 0.9, "optimizer": "adam"]) } throws: {
            "\($0)".contains("training.momentum") && "\($0)".contains("optimizer")
        }
        #expect { try Self.recipe(["steps": 3, "momentum_convention": "course", "optimizer": ["name": "sgd"]]) } throws: {
            "\($0)".contains("training.momentum_convention")
        }
        #expect { try Self.recipe(["steps": 3, "momentum": 1]) } throws: { "\($0)".contains("training.momentum") }
        #expect { try Self.recipe(["steps": 3, "momentum_convention": "x"]) } throws: {
            "\($0)".contains("training.momentum_convention")
        }
        #expect { try Self.recipe(["steps": 3, "optimiser": "adam"]) } throws: { "\($0)".contains("training.optimiser") }
    }

    /// A user's optimiser, registered by name, made in both precisions.
    struct SignDescentRecipe: OptimizerRecipe {
        var description: String { "sign descent" }
        func make<Scalar: TensorScalar>(_: Scalar.Type) -> any Optimizer<Scalar> & Sendable { SignDescent<Scalar>() }
    }

    struct SignDescent<Scalar: TensorScalar>: Optimizer, Sendable {
        mutating func step(_ parameters: [Parameter<Scalar>], learningRate: Double) {
            for p in parameters {
                p.value.add(p.gradient.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }, scaledBy: Scalar(-learningRate))
            }
        }
    }

    @Test func aUsersOptimizerPlugsInByName() throws {
        var registries = PluginRegistries.standard
        registries.optimizers.register("sign_descent") { options in
            try options.declare()
            return SignDescentRecipe()
        }
        let recipe = try Self.recipe(["steps": 3, "optimizer": "sign_descent"], registries: registries)
        #expect(recipe.make(Double.self) is SignDescent<Double>)
        #expect(recipe.make(Float.self) is SignDescent<Float>)
        #expect { try Self.recipe(["steps": 3, "optimizer": ["name": "sign_descent", "rate": 1]], registries: registries) } throws: {
            "\($0)".contains("training.optimizer.rate")
        }
    }
}
