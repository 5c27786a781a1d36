import BackpropRegistry
import Foundation

/// One point of a search to train: the value of each searched parameter, by name.
///
/// A λ search's trials hold `l` and `lambda` (λ = 10^l, see `exponent` and `lambda`); a random
/// search's, one value per parameter of its `SearchSpace`, named by the parameter's key path
/// (`schedule.eta_max`). Trials are identified by stage and index (`coarse-03`), so that an interrupted
/// search can tell which ones are finished, and shards of one search agree on who runs what; a trial
/// read back from `trial.json` equals the one its search plans, value for value.
public struct SearchTrial: Sendable, Hashable {
    public var stage: String
    public var index: Int
    /// Each searched parameter's value, by name.
    public var parameters: [String: JSONValue]

    /// `coarse-03`: stable across runs and shards.
    public var id: String { "\(stage)-" + (index < 10 ? "0\(index)" : "\(index)") }

    public init(stage: String, index: Int, parameters: [String: JSONValue]) {
        self.stage = stage
        self.index = index
        self.parameters = parameters
    }

    /// A λ search's trial: l, and λ = 10^l.
    public init(stage: String, index: Int, exponent: Double) {
        self.init(stage: stage, index: index, parameters: [
            SearchTrial.exponentKey: .number(exponent), SearchTrial.lambdaKey: .number(pow(10, exponent)),
        ])
    }

    static let exponentKey = "l", lambdaKey = "lambda"

    /// A λ search's l (λ = 10^l); NaN for a trial without one.
    public var exponent: Double { number(SearchTrial.exponentKey) }
    /// A λ search's λ; NaN for a trial without one.
    public var lambda: Double { number(SearchTrial.lambdaKey) }

    /// The value of the parameter `name` when it is a number, NaN otherwise.
    public func number(_ name: String) -> Double {
        if case .number(let value)? = parameters[name] { value } else { .nan }
    }
}

extension SearchTrial: Codable {
    private enum Keys: String, CodingKey { case stage, index, parameters, exponent }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let stage = try container.decode(String.self, forKey: .stage)
        let index = try container.decode(Int.self, forKey: .index)
        if let parameters = try container.decodeIfPresent([String: JSONValue].self, forKey: .parameters) {
            self.init(stage: stage, index: index, parameters: parameters)
        } else {
            // A λ search's trial.json written before searches had several parameters.
            self.init(stage: stage, index: index, exponent: try container.decode(Double.self, forKey: .exponent))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(stage, forKey: .stage)
        try container.encode(index, forKey: .index)
        try container.encode(parameters, forKey: .parameters)
    }
}

/// What a finished trial scored.
public struct TrialOutcome: Sendable, Equatable, Codable {
    public var trial: SearchTrial
    public var trainAccuracy: Double
    public var validationAccuracy: Double
    public var testAccuracy: Double
    public var finalCost: Double
    public var seconds: Double

    public init(trial: SearchTrial, result: RunResult) {
        self.trial = trial
        trainAccuracy = result.train.accuracy
        validationAccuracy = result.validation.accuracy
        testAccuracy = result.test.accuracy
        finalCost = result.train.cost
        seconds = result.seconds
    }
}
