import BackpropTensor

/// Where a run keeps its checkpoint, so that another process can continue it: a folder of a run
/// directory (`CheckpointDirectory` in BackpropReports), or a user's own store.
///
/// Semantics:
/// - `save` replaces the saved state as one transaction: a process killed during `save` leaves the
///   previous state loadable.
/// - `load` returns the last state saved, exactly (every bit of every tensor, generator and number), or
///   nil when none was saved.
/// - `load` throws `CheckpointMismatch` when the saved state's identity differs from `identity`.
public protocol CheckpointStore: Sendable {
    /// Replaces the saved state with `state`, taken in the run `identity` describes.
    func save<Scalar: TensorScalar>(_ state: TrainingState<Scalar>, identity: RunIdentity) throws

    /// The state saved last, or nil when there is none.
    func load<Scalar: TensorScalar>(as type: Scalar.Type, identity: RunIdentity) throws -> TrainingState<Scalar>?
}

/// How a run keeps checkpoints and whether it continues one (see `TrainingRun.run(progress:onEvaluation:checkpoints:)`).
///
/// ```swift
/// let plan = CheckpointPlan(store: CheckpointDirectory(runDirectory.appending(path: "checkpoint")),
///                           interval: 500, resume: true)
/// let result = try experiment.run(progress: .automatic, onEvaluation: nil, checkpoints: plan)
/// ```
///
/// Semantics:
/// - the run saves its state every `interval` updates (0: never on a schedule) whenever its parameters
///   are finite, so that a run that diverges keeps its last good state;
/// - after each update it asks `pauseRequested`, once; when that says yes it saves its state (finite or
///   not) and throws `TrainingPaused` instead of finishing;
/// - with `resume`, the run continues from the store's state, and throws when there is none.
public struct CheckpointPlan: Sendable {
    public var store: any CheckpointStore
    /// Updates between two saves.
    public var interval: Int
    /// Whether the run continues the store's state rather than starting from step 0.
    public var resume: Bool
    /// Asked after every update: whether to save and stop now (a signal arrived, a time limit passed).
    public var pauseRequested: @Sendable () -> Bool

    /// - Parameters:
    ///   - store: where the state goes and comes from.
    ///   - interval: updates between two saves (0: only when pausing).
    ///   - resume: continue the store's state.
    ///   - pauseRequested: asked after every update; true saves and stops the run.
    public init(
        store: any CheckpointStore, interval: Int, resume: Bool = false,
        pauseRequested: @escaping @Sendable () -> Bool = { false }
    ) {
        self.store = store
        self.interval = interval
        self.resume = resume
        self.pauseRequested = pauseRequested
    }
}

/// A run saved its state and stopped because its `CheckpointPlan` asked it to pause: continue it with
/// `CheckpointPlan(…, resume: true)` (`backprop train --resume RUN_DIR`).
public struct TrainingPaused: Error, Sendable, Equatable, CustomStringConvertible {
    /// The updates done and saved.
    public var step: Int
    /// The updates planned.
    public var totalSteps: Int

    public init(step: Int, totalSteps: Int) {
        self.step = step
        self.totalSteps = totalSteps
    }

    public var description: String { "training paused after \(step) of \(totalSteps) steps; its state is saved" }
}

/// A run was asked to resume but its store holds no state, or the run cannot continue one.
public struct NothingToResume: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
