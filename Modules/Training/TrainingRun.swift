/// Something that trains one model and reports what it did: an `Experiment` of either precision, or
/// a user's own kind of run.
///
/// Searches and command-line sessions run any `TrainingRun`, so they work the same for an experiment
/// read from a file and for one composed in code.
///
/// Semantics:
/// - `run` trains from scratch each time it is called, from the run's seed: two calls give equal
///   results (up to `seconds`).
/// - `onEvaluation` is called after each evaluation with the record and the parameters at that moment.
public protocol TrainingRun: Sendable {
    /// The run's name: the prefix of its run directory and the title of its report.
    var name: String { get }

    /// Trains and evaluates the model.
    func run(
        quiet: Bool, onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)?
    ) throws -> RunResult
}

extension TrainingRun {
    /// Trains and evaluates the model, without a progress line when `quiet`.
    public func run(quiet: Bool = false) throws -> RunResult {
        try run(quiet: quiet, onEvaluation: nil)
    }
}
