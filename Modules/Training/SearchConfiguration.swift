import BackpropData
import BackpropRegistry

/// A search read from a file: the search, the experiment its trials vary, and the run of each trial.
///
/// `backprop search` reads any search file through `SearchFile.read(_:registries:)` and runs it through
/// this protocol, so that a λ search and a random search share one command, one session and one
/// cluster script.
///
/// Semantics:
/// - `experiment` is the experiment before any trial's values: its data section is every trial's (the
///   data is loaded once for all trials) and its other sections give resource estimates.
/// - `experiment(for:)` is the experiment a trial trains, named `<search name>-<trial id>`; it fails
///   only for a trial the search did not plan. `run(_:splits:standardizer:)` builds it on the data.
public protocol SearchConfiguration: Sendable {
    associatedtype Search: HyperparameterSearch
    var search: Search { get }
    var experiment: ExperimentConfig { get }
    func experiment(for trial: SearchTrial) throws -> ExperimentConfig
}

extension SearchConfiguration {
    /// The run of `trial` on `splits`: `experiment(for:)`, built.
    public func run(_ trial: SearchTrial, splits: DataSplits, standardizer: Standardizer) throws -> any TrainingRun {
        try experiment(for: trial).experiment(splits: splits, standardizer: standardizer)
    }
}

extension LambdaSearchConfig: SearchConfiguration {}
extension RandomSearchConfig: SearchConfiguration {}

/// Reading a search file of either kind.
public enum SearchFile {
    /// The search in `json`: a random search (`RandomSearchConfig`) when it has `parameters`, otherwise a
    /// coarse-to-fine λ search (`LambdaSearchConfig`). Fails naming the key at fault.
    public static func read(_ json: JSONValue, registries: PluginRegistries = .standard) throws -> any SearchConfiguration {
        if case .object(let members) = json, members["parameters"] != nil {
            return try RandomSearchConfig(json: json, registries: registries)
        }
        return try LambdaSearchConfig(json: json, registries: registries)
    }
}

extension ExperimentConfig {
    /// The `experiment` section of a search file, its errors' key paths inside `experiment`.
    static func nested(_ json: JSONValue, registries: PluginRegistries) throws -> ExperimentConfig {
        do {
            return try ExperimentConfig(json: json, registries: registries)
        } catch let error as ConfigurationError {
            throw error.nested(under: "experiment")
        }
    }
}

extension ConfigurationError {
    /// The same error with its key path inside `key` (`training.epochs` → `experiment.training.epochs`).
    func nested(under key: String) -> ConfigurationError {
        func inside(_ path: String) -> String { path.isEmpty ? key : "\(key).\(path)" }
        return switch self {
        case let .unknownKey(path, allowed): .unknownKey(path: inside(path), allowed: allowed)
        case let .missingKey(path): .missingKey(path: inside(path))
        case let .wrongType(path, expected, found): .wrongType(path: inside(path), expected: expected, found: found)
        case let .invalidValue(path, reason): .invalidValue(path: inside(path), reason: reason)
        case .malformedJSON, .unreadableFile, .unknownName: self
        }
    }
}
