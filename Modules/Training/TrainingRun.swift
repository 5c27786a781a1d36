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
/// - `run(progress:onEvaluation:checkpoints:)` shows progress in the given style and follows its `CheckpointPlan` (saves, pauses, resumes), and a
///   resumed run ends as the uninterrupted one, bit for bit. A run that cannot keep checkpoints need
///   not implement it: the default runs without them and refuses to resume.
public protocol TrainingRun: Sendable {
    /// The run's name: the prefix of its run directory and the title of its report.
    var name: String { get }

    /// Trains and evaluates the model.
    func run(
        quiet: Bool, onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)?
    ) throws -> RunResult

    /// Trains and evaluates the model, showing progress as `progress` says and keeping checkpoints as
    /// `checkpoints` says (nil: none).
    func run(
        progress: ProgressReporter.Style, onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)?,
        checkpoints: CheckpointPlan?
    ) throws -> RunResult
}

extension TrainingRun {
    /// Trains and evaluates the model, without a progress line when `quiet`.
    public func run(quiet: Bool = false) throws -> RunResult {
        try run(quiet: quiet, onEvaluation: nil)
    }

    /// Runs without checkpoints, with a progress line unless `progress` is `.none`; refuses a plan that
    /// resumes, since this run cannot continue a state.
    public func run(
        progress: ProgressReporter.Style, onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)?,
        checkpoints: CheckpointPlan?
    ) throws -> RunResult {
        if checkpoints?.resume == true { throw NothingToResume("'\(name)' cannot continue a checkpoint") }
        return try run(quiet: progress == .none, onEvaluation: onEvaluation)
    }
}
