/// A learning rate as a function of the global update step.
///
/// A schedule holds no state: the trainer owns the step counter and asks for the rate of each update,
/// so a run resumed from a checkpoint only needs the step, and calling the schedule twice, out of
/// order or from two threads cannot change the answer (PyTorch's stateful `step()` needs call-order
/// checks for exactly that reason).
///
/// ```swift
/// let schedule = TriangularSchedule(minRate: 1e-5, maxRate: 1e-1, stepSize: 500, cycles: 3)
/// schedule.learningRate(at: 0)      // 1e-5: the first update uses step 0's rate
/// schedule.learningRate(at: 500)    // 0.1
/// schedule.naturalLength            // 3000
/// ```
///
/// Semantics:
/// - `learningRate(at:)` is a pure function of the step: deterministic, free of side effects, and the
///   same for equal steps whatever was asked before.
/// - Steps are global update counts starting at 0; the first update uses the rate of step 0, as in
///   PyTorch (where the rate before the first `scheduler.step()` is the rate of epoch 0).
/// - Every step `≥ 0` has a finite, non-negative rate, including steps past `naturalLength`. A negative
///   step is treated as step 0.
/// - `naturalLength` is the number of steps the schedule is designed for (a triangular schedule of
///   `cycles` cycles: `2 · stepSize · cycles`), or `nil` when it is open-ended. The trainer may use it
///   as the default training length; the schedule itself never stops.
public protocol LearningRateSchedule: Sendable, CustomStringConvertible {
    /// The learning rate of update `step` (counted from 0).
    func learningRate(at step: Int) -> Double

    /// The number of steps the schedule is designed for, or `nil` when it is open-ended.
    var naturalLength: Int? { get }
}

extension LearningRateSchedule {
    /// Open-ended by default.
    public var naturalLength: Int? { nil }
}
