import BackpropRegistry
import BackpropTensor

/// A random search over several hyper-parameters at once, each drawn from its own distribution.
///
/// Bergstra and Bengio (2012) showed that, for the same number of trials, drawing every parameter at
/// random explores each one far better than a grid, since few of them matter much. What a trial trains
/// is up to the caller (`RandomSearchConfig` sets each parameter at its key path in an experiment file).
///
/// ```swift
/// let search = RandomSearch(name: "mlp", seed: 3, trials: 24, parameters: [
///     SearchParameter(name: "regularizers[0].lambda", distribution: .logUniform(1e-5...1e-2)),
///     SearchParameter(name: "model.width", distribution: .choice([256, 512, 1024])),
/// ])
/// ```
///
/// Semantics:
/// - One stage, `random`, of `trials` trials; trial i holds one value per parameter, named as the
///   parameter.
/// - The values come from one `SeededGenerator` seeded with `seed`, drawn trial by trial and, within a
///   trial, parameter by parameter in the order given: the same search always plans the same trials.
/// - Its chart is a parallel-coordinates chart of every parameter (a chart against the parameter when
///   there is one).
public struct RandomSearch: HyperparameterSearch {
    public var name: String
    public var seed: UInt64
    public var trialCount: Int
    public var parameters: [SearchParameter]
    /// What identifies the search on disk: the document of a search read from a file; a summary of one
    /// made in code, which should name what its trials train in `about`.
    public var identity: JSONValue

    public init(name: String = "random-search", seed: UInt64 = 1, trials: Int, parameters: [SearchParameter],
                about: String = "") {
        self.name = name
        self.seed = seed
        trialCount = trials
        self.parameters = parameters
        identity = [
            "name": .string(name), "seed": .number(Double(seed)), "trials": .number(Double(trials)),
            "parameters": .array(parameters.map { ["name": .string($0.name), "distribution": $0.distribution.json] }),
            "experiment": .string(about),
        ]
    }

    public var stages: [String] { ["random"] }

    public var dimensions: [SearchDimension] {
        parameters.map { SearchDimension(name: $0.name, scale: $0.distribution.scale) }
    }

    public func trials(in stage: String, after earlier: [TrialOutcome]) -> [SearchTrial] {
        guard stage == "random" else { return [] }
        var generator = SeededGenerator(seed: seed)
        return (0..<trialCount).map { index in
            var values: [String: JSONValue] = [:]
            for parameter in parameters {
                values[parameter.name] = parameter.distribution.sample(using: &generator)
            }
            return SearchTrial(stage: stage, index: index, parameters: values)
        }
    }
}

/// One parameter of a `RandomSearch`: its name and where its values come from.
public struct SearchParameter: Sendable, Equatable {
    /// For `RandomSearchConfig`, a key path in the experiment (`schedule.eta_max`, `regularizers[0].lambda`).
    public var name: String
    public var distribution: ParameterDistribution

    public init(name: String, distribution: ParameterDistribution) {
        self.name = name
        self.distribution = distribution
    }
}
