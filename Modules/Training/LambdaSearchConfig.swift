import BackpropData
import BackpropRegistry
import BackpropRegularizers

/// A λ search file: the search and the experiment each trial trains, read into typed values.
///
/// ```json
/// {
///   "name": "a2-lambda-search",
///   "seed": 7,
///   "l_min": -5, "l_max": -1,
///   "coarse": {"grid": 8},
///   "fine": {"random": 8, "top": 3},
///   "experiment": { …an experiment without regularizers… }
/// }
/// ```
///
/// Each trial trains `experiment` with an `L2Regularizer` at the trial's λ, named `<name>-<trial>`, and
/// is scored by its validation accuracy. The experiment is read (and so checked) before any data is
/// loaded.
public struct LambdaSearchConfig: Sendable {
    public var search: LambdaSearch
    /// The experiment each trial trains, before λ is added.
    public var experiment: ExperimentConfig

    /// Reads and checks a search file.
    public init(json: JSONValue, registries: PluginRegistries = .standard) throws {
        var root = try Options(json, path: "")
        let name: String = try root.optional("name") ?? "lambda-search"
        let seed: UInt64 = try root.optional("seed") ?? 1
        let low: Double = try root.optional("l_min") ?? -5
        let high: Double = try root.optional("l_max") ?? -1
        let coarse = try LambdaSearch.sampling(root.nested("coarse"), allowTop: false).0 ?? .grid(8)
        let (fine, top) = try LambdaSearch.sampling(root.nested("fine"), allowTop: true)
        let experiment = root.raw("experiment")
        try root.finish()
        try root.check(low.isFinite && high.isFinite && low < high, "l_max", "must be greater than l_min (\(low)), found \(high)")
        guard let experiment else { throw ConfigurationError.missingKey(path: "experiment") }
        if case .object(let members) = experiment, members["regularizers"] != nil {
            throw ConfigurationError.invalidValue(
                path: "experiment.regularizers", reason: "is set by the search (L2 with each trial's λ); remove it")
        }
        search = LambdaSearch(name: name, seed: seed, exponents: low...high, coarse: coarse, fine: fine, fineTop: top ?? 3)
        search.identity = json
        self.experiment = try ExperimentConfig.nested(experiment, registries: registries)
    }

    /// The experiment with L2 at the trial's λ, named after the trial.
    public func experiment(for trial: SearchTrial) throws -> ExperimentConfig {
        guard trial.lambda.isFinite else {
            throw ConfigurationError.invalidValue(path: "l_min", reason: "\(search.name) has no trial \(trial.id) (it has no λ)")
        }
        var config = experiment
        config.name = "\(search.name)-\(trial.id)"
        config.regularizers = [L2Regularizer(lambda: trial.lambda)]
        return config
    }
}
