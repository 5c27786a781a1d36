import BackpropLayers
import BackpropTensor

/// Watches a training run at its step, evaluation and epoch boundaries, and may stop it.
///
/// Early stopping, keep-best and the stop on a diverged loss are observers; a user's own (a live plot,
/// a time limit) plugs in the same way, through `Trainer.fit(…, observers:)` or an `Experiment`'s
/// `observers`.
///
/// ```swift
/// final class StopAtLoss: TrainingObserver {
///     func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Float>]) -> TrainingDecision {
///         record.train.loss < 0.5 ? .stop(StopReason("the training loss is below 0.5")) : .continue
///     }
/// }
/// ```
///
/// Semantics:
/// - `didUpdate` follows every update (`step` counts updates from 1; `loss` is the mini-batch's data
///   loss), `didEvaluate` every evaluation, including the one before training (step 0) and the last,
///   `didFinishEpoch` every whole epoch. All three default to `.continue`.
/// - The first `.stop` ends the run after the event; the trainer records its reason in the history
///   (`TrainingHistory.stop`) and the report shows it. A run stopped outside an evaluation is evaluated
///   once more, so its last record is its final model.
/// - `didEnd` is called once when the run ends, however it ended; an observer may change the
///   parameters there (keep-best restores the best ones) and returns a note for the report, or nil.
/// - The `parameters` given are the model's whole state: its trainable parameters, then its buffers
///   (`Layer.buffers`, role `.statistic`: batch normalisation's running statistics), so that an
///   observer restoring a model restores both. Filter by `role` to see only some.
/// - Observers are objects with state (counters, snapshots): give each run new ones.
public protocol TrainingObserver<Scalar>: AnyObject {
    associatedtype Scalar: TensorScalar

    func didUpdate(step: Int, loss: Double) -> TrainingDecision
    func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Scalar>]) -> TrainingDecision
    func didFinishEpoch(_ epoch: Int, step: Int) -> TrainingDecision
    func didEnd(step: Int, parameters: [Parameter<Scalar>]) -> String?
}

extension TrainingObserver {
    public func didUpdate(step: Int, loss: Double) -> TrainingDecision { .continue }
    public func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Scalar>]) -> TrainingDecision { .continue }
    public func didFinishEpoch(_ epoch: Int, step: Int) -> TrainingDecision { .continue }
    public func didEnd(step: Int, parameters: [Parameter<Scalar>]) -> String? { nil }
}

/// Whether training goes on after an event.
public enum TrainingDecision: Sendable, Equatable {
    case `continue`
    case stop(StopReason)
}

/// Why a run stopped before its planned length.
public struct StopReason: Sendable, Equatable, Codable, CustomStringConvertible {
    /// For the report: "early stopping: validation accuracy has not improved for 5 evaluations".
    public var message: String
    /// Whether the run stopped because its loss was no longer finite.
    public var diverged: Bool

    public init(_ message: String, diverged: Bool = false) {
        self.message = message
        self.diverged = diverged
    }

    public var description: String { message }
}

/// When and why a run stopped early, as the history records it.
public struct TrainingStop: Sendable, Equatable, Codable {
    /// The last update made.
    public var step: Int
    public var reason: StopReason

    public init(step: Int, reason: StopReason) {
        self.step = step
        self.reason = reason
    }
}
