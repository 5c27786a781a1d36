/// How a run directory's training ended, as `backprop runs` lists it.
///
/// Semantics:
/// - ``finished``: `metrics.json` is there and says the run neither diverged nor stopped early.
/// - ``diverged(atStep:)``: `metrics.json` has a `diverged_at_step`.
/// - ``stopped(atStep:reason:)``: `metrics.json` has a `stopped` object (early stopping, say).
/// - ``inProgress(resumable:)``: no `metrics.json` yet: the run is training, or was killed;
///   `resumable` when a `checkpoint/` folder is there to continue from.
/// - ``unreadable(_:)``: `metrics.json` is there but cannot be read or is not a run's metrics; the
///   reason names the file.
public enum RunStatus: Sendable, Equatable, CustomStringConvertible {
    case finished
    case diverged(atStep: Int)
    case stopped(atStep: Int, reason: String)
    case inProgress(resumable: Bool)
    case unreadable(String)

    /// One line for a table: `finished`, `diverged at step 120`, `stopped at step 300: …`,
    /// `in progress or interrupted`, `unreadable: …`.
    public var description: String {
        switch self {
        case .finished: "finished"
        case .diverged(let step): "diverged at step \(step)"
        case let .stopped(step, reason): "stopped at step \(step): \(reason)"
        case .inProgress: "in progress or interrupted"
        case .unreadable(let reason): "unreadable: \(reason)"
        }
    }

    /// The line with what to do next, for a run that can be resumed: `in progress or interrupted
    /// (resume with: backprop train --resume DIR)`.
    ///
    /// - Parameter directory: the run directory as the user should type it.
    public func description(directory: String) -> String {
        guard case .inProgress(resumable: true) = self else { return description }
        return description + " (resume with: backprop train --resume \(directory))"
    }

    /// Whether the run wrote its final figures (finished, diverged or stopped).
    public var hasFinalFigures: Bool {
        switch self {
        case .finished, .diverged, .stopped: true
        case .inProgress, .unreadable: false
        }
    }
}
