import BackpropRegistry

/// How often a run measures loss, cost and accuracy, and on how much of the training set.
///
/// ```swift
/// EvaluationPlan(.times(10))                    // ten evaluations spread over the run
/// EvaluationPlan(.every(.steps(100)))           // every 100 updates
/// EvaluationPlan(.every(.epochs(1)), trainSubset: 5_000)
/// ```
///
/// Semantics:
/// - A run is evaluated before its first update, every `interval` updates, and after its last one.
/// - The training-set metrics use a fixed random subset of `trainSubset` examples, so that curves do
///   not dominate the run's time; validation metrics use the whole validation set.
public struct EvaluationPlan: Sendable, Equatable {
    /// When evaluations happen.
    public enum Frequency: Sendable, Equatable {
        /// After every this many updates (or epochs).
        case every(StepCount)
        /// This many times, evenly spread over the run.
        case times(Int)
    }

    public var frequency: Frequency
    public var trainSubset: Int

    /// A plan; by default once per epoch, with 10,000 training examples.
    public init(_ frequency: Frequency = .every(.epochs(1)), trainSubset: Int = 10_000) {
        self.frequency = frequency
        self.trainSubset = trainSubset
    }

    /// The interval, in updates, between two evaluations of a run of `totalSteps` updates (at least 1).
    public func interval(totalSteps: Int, batchesPerEpoch: Int) -> Int {
        switch frequency {
        case .every(let count): max(1, count.resolved(batchesPerEpoch: batchesPerEpoch))
        case .times(let times): max(1, totalSteps / max(times, 1))
        }
    }
}
