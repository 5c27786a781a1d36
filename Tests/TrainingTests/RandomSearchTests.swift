import Backprop
import Foundation
import Testing

/// The random search over several hyper-parameters (issue 17): its distributions, its trials, and the
/// experiments a search file makes of them.
@Suite struct RandomSearchTests {
    let experiment: JSONValue = [
        "data": ["kind": "cifar10", "split": "all", "validation": 1000],
        "model": ["hidden": [50]],
        "training": ["batch_size": 100],
        "schedule": ["name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "step_size": 500, "cycles": 1],
        "regularizers": [["name": "l2", "lambda": 0.01], ["name": "dropout", "rate": 0.1]],
    ]

    func file(_ parameters: JSONValue, trials: Int = 6) -> JSONValue {
        ["name": "r", "seed": 5, "trials": .number(Double(trials)), "parameters": parameters, "experiment": experiment]
    }

    func draws(_ distribution: ParameterDistribution, _ count: Int = 4000) -> [JSONValue] {
        var generator = SeededGenerator(seed: 11)
        return (0..<count).map { _ in distribution.sample(using: &generator) }
    }

    func numbers(_ values: [JSONValue]) -> [Double] {
        values.map { if case .number(let x) = $0 { x } else { .nan } }
    }

    @Test func logUniformDrawsAreSpreadEvenlyOverDecades() {
        let values = numbers(draws(.logUniform(1e-5...1e-1)))
        #expect(values.allSatisfy { $0 >= 1e-5 && $0 <= 1e-1 })
        // Four decades: each holds about a quarter of the draws (a uniform draw would put 90% in the last).
        for decade in 0..<4 {
            let low = 1e-5 * pow(10, Double(decade)), share = Double(values.filter { $0 >= low && $0 < 10 * low }.count) / 4000
            #expect(abs(share - 0.25) < 0.03, "decade \(decade): \(share)")
        }
    }

    @Test func uniformIntegerAndChoiceDraws() {
        let uniform = numbers(draws(.uniform(0.2...0.6)))
        #expect(uniform.allSatisfy { $0 >= 0.2 && $0 < 0.6 })
        #expect(abs(uniform.reduce(0, +) / 4000 - 0.4) < 0.01)
        let widths = numbers(draws(.logUniform(100...1000, integer: true)))
        #expect(widths.allSatisfy { $0 == $0.rounded() && $0 >= 100 && $0 <= 1000 })
        #expect(Set(widths).count > 100)
        let choices = draws(.choice([100, 200, [1, 2]]))
        for choice: JSONValue in [100, 200, [1, 2]] {
            let share = Double(choices.filter { $0 == choice }.count) / 4000
            #expect(abs(share - 1.0 / 3) < 0.03, "\(choice.jsonText): \(share)")
        }
    }

    @Test func distributionsAreReadAndCheckedNamingTheKey() throws {
        func read(_ json: JSONValue) throws -> ParameterDistribution {
            try ParameterDistribution(options: Options(json, path: "parameters.x"))
        }
        #expect(try read(["log_uniform": [1e-4, 1e-2]]) == .logUniform(1e-4...1e-2))
        #expect(try read(["uniform": [1, 5], "integer": true]) == .uniform(1...5, integer: true))
        #expect(try read(["choice": ["a", 2]]) == .choice(["a", 2]))
        for (json, key, words) in [
            (["log_uniform": [0, 1]], "parameters.x.log_uniform", "above 0"),
            (["uniform": [3, 1]], "parameters.x.uniform", "low < high"),
            (["uniform": [1]], "parameters.x.uniform", "[low, high]"),
            (["choice": []], "parameters.x.choice", "at least one"),
            (["uniform": [0, 1], "choice": [1]], "parameters.x.uniform", "exactly one"),
            (["choice": [1], "integer": true], "parameters.x.integer", "goes with"),
        ] as [(JSONValue, String, String)] {
            #expect {
                _ = try read(json)
            } throws: { error in
                guard case ConfigurationError.invalidValue(let path, let reason) = error else { return false }
                return path == key && reason.contains(words)
            }
        }
        #expect(throws: ConfigurationError.self) { _ = try read(["normal": [0, 1]]) }
    }

    @Test func theSameSearchPlansTheSameTrialsAndAnotherSeedOthers() {
        let parameters = [
            SearchParameter(name: "a", distribution: .logUniform(1e-3...1)),
            SearchParameter(name: "b", distribution: .choice([1, 2, 3])),
        ]
        let search = RandomSearch(name: "s", seed: 4, trials: 5, parameters: parameters)
        let trials = search.trials(in: "random", after: [])
        #expect(trials == search.trials(in: "random", after: []))
        #expect(trials.map(\.id) == ["random-00", "random-01", "random-02", "random-03", "random-04"])
        #expect(trials.allSatisfy { Set($0.parameters.keys) == ["a", "b"] })
        #expect(Set(trials.map { $0.number("a") }).count == 5)
        #expect(trials != RandomSearch(name: "s", seed: 5, trials: 5, parameters: parameters).trials(in: "random", after: []))
        #expect(search.trials(in: "fine", after: []).isEmpty)
        #expect(search.stages == ["random"])
        #expect(search.dimensions == [SearchDimension(name: "a", scale: .logarithmic),
                                      SearchDimension(name: "b", scale: .categorical([1, 2, 3]))])
    }

    @Test func aTrialReadBackEqualsThePlannedOneAndOldLambdaTrialsStillRead() throws {
        let search = RandomSearch(seed: 9, trials: 3, parameters: [
            SearchParameter(name: "schedule.eta_max", distribution: .logUniform(1e-3...1)),
            SearchParameter(name: "model.hidden", distribution: .choice([[1024, 512], [2048]])),
        ])
        for trial in search.trials(in: "random", after: []) {
            let data = try JSONEncoder().encode(trial)
            #expect(try JSONDecoder().decode(SearchTrial.self, from: data) == trial)
        }
        let old = Data(#"{"stage": "coarse", "index": 3, "exponent": -2.5}"#.utf8)
        let read = try JSONDecoder().decode(SearchTrial.self, from: old)
        #expect(read == SearchTrial(stage: "coarse", index: 3, exponent: -2.5))
        #expect(read.lambda == pow(10, -2.5) && read.exponent == -2.5)
    }

    @Test func keyPathsSetNestedValuesAndNameWhatIsMissing() throws {
        let document: JSONValue = ["a": ["b": [1, ["c": 2]]], "d": 3]
        #expect(try document.setting(7, at: "a.b[1].c") == ["a": ["b": [1, ["c": 7]]], "d": 3])
        #expect(try document.setting(7, at: "a.b[0]") == ["a": ["b": [7, ["c": 2]]], "d": 3])
        #expect(try document.setting(7, at: "a.e") == ["a": ["b": [1, ["c": 2]], "e": 7], "d": 3])
        for (path, words) in [("a.x.y", "a has no key 'x'"), ("a.b[2]", "2 element(s); [2] is past its end"),
                              ("d.e", "d is not an object"), ("a[0]", "a is not an array"), ("a..b", "empty key"),
                              ("a.b[x]", "key[0]"), (".a", "must start with a key")] {
            #expect {
                _ = try document.setting(1, at: path)
            } throws: { error in
                guard case ConfigurationError.invalidValue(let at, let reason) = error else { return false }
                return at == path && reason.contains(words)
            }
        }
    }

    @Test func eachTrialTrainsTheExperimentWithItsDrawnValues() throws {
        let config = try RandomSearchConfig(json: file([
            "regularizers[0].lambda": ["log_uniform": [1e-5, 1e-2]],
            "model": ["choice": [["width": 8, "depth": 3], ["hidden": [16]]]],
            "training.batch_size": ["choice": [50, 200]],
            "training.momentum": ["uniform": [0.5, 0.9]],
        ]))
        let trials = config.search.trials(in: "random", after: [])
        #expect(trials.count == 6 && config.search.dimensions.map(\.name)
            == ["model", "regularizers[0].lambda", "training.batch_size", "training.momentum"])
        for trial in trials {
            let experiment = try config.experiment(for: trial)
            #expect(experiment.name == "r-\(trial.id)")
            #expect(experiment.regularizers.first?.description == L2Regularizer(lambda: trial.number("regularizers[0].lambda")).description)
            #expect(Double(experiment.batchSize) == trial.number("training.batch_size"))
            #expect((experiment.optimizer as? SGDRecipe)?.momentum == trial.number("training.momentum"))
            #expect(experiment.regularizers.count == 2)   // dropout kept
            let deep = trial.parameters["model"] == ["width": 8, "depth": 3]
            #expect(experiment.model.description == (deep
                ? "linear(8) → relu → linear(8) → relu → linear(8) → relu → linear(classes)"
                : "linear(16) → relu → linear(classes)"))
        }
        #expect(throws: ConfigurationError.self) { _ = try config.experiment(for: SearchTrial(stage: "random", index: 6, parameters: [:])) }
        // A file with parameters is a random search; without, a λ search.
        #expect(try SearchFile.read(file(["training.momentum": ["uniform": [0.5, 0.9]]])).search.stages == ["random"])
    }

    @Test func aDrawThatMakesAnInvalidExperimentFailsNamingTheTrial() {
        func failure(_ parameters: JSONValue) -> String {
            do {
                _ = try RandomSearchConfig(json: file(parameters))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let message = failure(["schedule.eta_min": ["uniform": [0.01, 1]]])
        #expect(message.contains("parameters") && message.contains("trial random-0") && message.contains("schedule.eta_m"), "\(message)")
        #expect(failure(["data.validation": ["choice": [10]]]).contains("parameters.data.validation"))
        #expect(failure(["name": ["choice": ["x"]]]).contains("cannot be searched"))
        #expect(failure(["regularizers[2].rate": ["uniform": [0, 1]]]).contains("parameters.regularizers[2].rate"))
        #expect(failure([:]).contains("at least one"))
        #expect(failure(["model.width": ["choice": [8]]]).contains("depth"))
    }

    @Test func widthAndDepthDescribeAStackOfEqualLayers() throws {
        func model(_ json: JSONValue) throws -> ModelSpec {
            var options = try Options(json, path: "model")
            return try ModelSpec(options: &options)
        }
        #expect(try model(["width": 8, "depth": 2]).description == (try model(["hidden": [8, 8]])).description)
        #expect(try model(["width": 8, "depth": 0]).description == "linear(classes)")
        #expect(throws: ConfigurationError.self) { _ = try model(["width": 8]) }
        #expect(throws: ConfigurationError.self) { _ = try model(["width": 8, "depth": 1, "hidden": [3]]) }
        #expect(throws: ConfigurationError.self) { _ = try model(["width": 0, "depth": 1]) }
    }
}
