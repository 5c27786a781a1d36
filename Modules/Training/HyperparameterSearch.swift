import BackpropRegistry

/// A hyper-parameter search: which trials to train, in stages.
///
/// `SearchSession` (in BackpropCommandLine) runs any search in parallel, resumably and in shards, and
/// writes its table and chart; `LambdaSearch` (the course's coarse-to-fine λ search) and `RandomSearch`
/// (several parameters at once, each from its own distribution) are the two Backprop provides.
///
/// Semantics:
/// - `stages` names the stages in the order they run (at least one). The first stage's trials depend on
///   nothing, so its trials can be dealt to shards on many machines; a later stage may depend on every
///   outcome of the stages before it, and runs once they are all finished.
/// - `trials(in:after:)` is deterministic: the same search given the same earlier outcomes plans the same
///   trials, value for value, so that a resumed session recognises its finished trials and shards agree
///   on who runs what. Trial indices within a stage are 0, 1, 2, … in order.
/// - `dimensions` lists the parameters a trial holds, in the order tables show them, each with the
///   scale a chart draws it on; `chartedDimensions` names those the chart shows (all by default): one
///   gives a chart of accuracy against it, several a parallel-coordinates chart.
/// - `identity` identifies the search on disk (`search.json`): a session refuses a directory holding
///   another search.
public protocol HyperparameterSearch: Sendable {
    /// The search's name, and the name of its directory.
    var name: String { get }
    var identity: JSONValue { get }
    var stages: [String] { get }
    var dimensions: [SearchDimension] { get }
    var chartedDimensions: [String] { get }
    /// The trials of `stage`, given the outcomes of every earlier stage (empty for the first).
    func trials(in stage: String, after earlier: [TrialOutcome]) -> [SearchTrial]
}

extension HyperparameterSearch {
    public var chartedDimensions: [String] { dimensions.map(\.name) }
}

/// One searched parameter as tables and charts show it.
public struct SearchDimension: Sendable, Equatable {
    /// How a chart lays the parameter's values out.
    public enum Scale: Sendable, Equatable {
        case linear
        case logarithmic
        /// Values from a list of choices, shown by label in the list's order.
        case categorical([JSONValue])
    }

    /// The name of the parameter in `SearchTrial.parameters`.
    public var name: String
    public var scale: Scale

    public init(name: String, scale: Scale) {
        self.name = name
        self.scale = scale
    }
}
