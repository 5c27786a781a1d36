import BackpropRegistry

/// A random search file: a complete experiment and the values to draw for some of its keys.
///
/// ```json
/// {
///   "name": "cifar-mlp-random",
///   "seed": 3,
///   "trials": 24,
///   "parameters": {
///     "regularizers[0].lambda": {"log_uniform": [1e-5, 1e-2]},
///     "schedule.eta_max": {"log_uniform": [0.01, 0.2]},
///     "model.width": {"choice": [512, 1024, 2048]},
///     "model.depth": {"choice": [1, 2, 3]},
///     "regularizers[1].rate": {"uniform": [0, 0.5]},
///     "training.batch_size": {"choice": [100, 200, 500]}
///   },
///   "experiment": { …a complete experiment… }
/// }
/// ```
///
/// Each key of `parameters` is a key path in `experiment` (see `JSONValue.setting(_:at:)`); each trial
/// trains the experiment with every such value replaced by the trial's draw, named
/// `<name>-<trial id>`, and is scored by its validation accuracy. Parameters are drawn in the sorted
/// order of their key paths. Every trial's experiment is built (and so checked) when the file is read,
/// before any data is loaded: a draw that makes an invalid experiment (η_min above η_max, say) fails
/// at once, naming the trial. `data` and `name` cannot be searched: the trials share one data set and
/// are named by the search.
public struct RandomSearchConfig: Sendable {
    public var search: RandomSearch
    /// The experiment before any trial's values.
    public var experiment: ExperimentConfig
    /// Each trial's experiment, by trial index.
    public private(set) var trialExperiments: [ExperimentConfig]

    /// Reads and checks a random search file.
    public init(json: JSONValue, registries: PluginRegistries = .standard) throws {
        var root = try Options(json, path: "")
        let name: String = try root.optional("name") ?? "random-search"
        let seed: UInt64 = try root.optional("seed") ?? 1
        let trials: Int = try root.optional("trials", .atLeast(1)) ?? 16
        let parameters = try root.nested("parameters")
        let experiment = root.raw("experiment")
        try root.finish()
        guard let experiment else { throw ConfigurationError.missingKey(path: "experiment") }
        var space: [SearchParameter] = []
        for key in parameters.members.keys.sorted() {
            let path = parameters.keyPath(key)
            for fixed in ["data", "name"] where key == fixed || key.hasPrefix("\(fixed).") || key.hasPrefix("\(fixed)[") {
                throw ConfigurationError.invalidValue(path: path, reason: "cannot be searched: experiment.\(fixed) is every trial's")
            }
            do {
                _ = try experiment.setting(.null, at: key)
            } catch ConfigurationError.invalidValue(_, let reason) {
                throw ConfigurationError.invalidValue(path: path, reason: "names no value of the experiment: \(reason)")
            }
            let distribution = try ParameterDistribution(options: Options(parameters.members[key]!, path: path))
            space.append(SearchParameter(name: key, distribution: distribution))
        }
        try root.check(!space.isEmpty, "parameters", "must name at least one key of the experiment to search")
        search = RandomSearch(name: name, seed: seed, trials: trials, parameters: space)
        search.identity = json
        self.experiment = try ExperimentConfig.nested(experiment, registries: registries)
        trialExperiments = try search.trials(in: "random", after: []).map { trial in
            var document = experiment
            for parameter in space { document = try document.setting(trial.parameters[parameter.name]!, at: parameter.name) }
            do {
                var config = try ExperimentConfig.nested(document, registries: registries)
                config.name = "\(name)-\(trial.id)"
                return config
            } catch {
                let values = space.map { "\($0.name) = \(trial.parameters[$0.name]!.jsonText)" }.joined(separator: ", ")
                throw ConfigurationError.invalidValue(
                    path: "parameters", reason: "trial \(trial.id) (\(values)) makes an invalid experiment: \(error)")
            }
        }
    }

    /// The experiment with the trial's values, named after the trial.
    public func experiment(for trial: SearchTrial) throws -> ExperimentConfig {
        guard trial.stage == "random", trialExperiments.indices.contains(trial.index) else {
            throw ConfigurationError.invalidValue(path: "trials", reason: "\(search.name) has no trial \(trial.id)")
        }
        return trialExperiments[trial.index]
    }
}
