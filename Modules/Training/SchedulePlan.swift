import BackpropSchedules

/// An experiment's learning-rate schedule: a schedule, or a recipe for one whose step counts depend on
/// how many batches an epoch has (a step size given in epochs).
///
/// ```swift
/// let fixed = SchedulePlan(TriangularSchedule(minRate: 1e-5, maxRate: 0.1, stepSize: 500))
/// let perEpoch = SchedulePlan("triangular, n_s = 2 epochs") { batches in
///     TriangularSchedule(minRate: 1e-5, maxRate: 0.1, stepSize: 2 * batches)
/// }
/// ```
///
/// Semantics:
/// - `schedule(batchesPerEpoch:)` is called once per run, when the training set is known.
/// - A plan made from a schedule ignores the batches per epoch.
public struct SchedulePlan: Sendable, CustomStringConvertible {
    /// What the plan makes, for reports.
    public let description: String
    private let make: @Sendable (Int) throws -> any LearningRateSchedule

    /// A plan that is `schedule` whatever the data.
    public init(_ schedule: any LearningRateSchedule) {
        description = schedule.description
        make = { _ in schedule }
    }

    /// A plan that builds its schedule from the number of batches per epoch; `make` may throw a
    /// configuration error (a step count that comes to zero steps).
    public init(
        _ description: String, make: @escaping @Sendable (_ batchesPerEpoch: Int) throws -> any LearningRateSchedule
    ) {
        self.description = description
        self.make = make
    }

    /// The schedule for a training set of `batchesPerEpoch` batches.
    public func schedule(batchesPerEpoch: Int) throws -> any LearningRateSchedule {
        try make(batchesPerEpoch)
    }
}
