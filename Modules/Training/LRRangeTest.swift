import BackpropData
import BackpropRegistry
import BackpropSchedules
import BackpropTensor

/// The learning-rate range test (Smith 2015, fastai's `lr_find`): train briefly while the rate ramps
/// from `minRate` to `maxRate`, measure loss and accuracy along the way, stop once the loss diverges,
/// and read a range for a cyclical schedule off the curves (`LRRangeAnalysis`).
///
/// ```swift
/// let test = LRRangeTest(ramp: .exponential, minRate: 1e-5, maxRate: 1, length: .epochs(2))
/// let result = try test.experiment(experiment).run()
/// let analysis = test.analysis(of: result)
/// print(analysis.suggestions.first?.range)   // η_min, η_max by the accuracy rule
/// ```
///
/// Semantics:
/// - `experiment(_:)` keeps the model, data, regularisers, augmentations, optimiser, batch size and
///   seed of the experiment it is given, and replaces its schedule, length, evaluations and observers.
/// - The run evaluates `evaluations` times, evenly; each evaluation is a point of the curves, at the
///   rate of the update before it.
/// - It stops at the first evaluation whose training loss is over `divergenceFactor` times the lowest
///   so far, or not finite (`LossDivergenceStop`): the test's normal end.
public struct LRRangeTest: Sendable, Equatable {
    /// How the rate rises: in equal steps, or in equal ratios (read on a logarithmic axis).
    public enum Ramp: String, Sendable, CaseIterable {
        case linear, exponential
    }

    public var ramp: Ramp
    public var minRate: Double
    public var maxRate: Double
    /// Updates of the test (or epochs), the length of the ramp.
    public var length: StepCount
    /// Points of the curves: evaluations spread evenly over the test.
    public var evaluations: Int
    /// The rise of the loss over its lowest that ends the test.
    public var divergenceFactor: Double
    /// The weight of the past in the curves' exponential smoothing (0: none), as fastai's 0.98 per
    /// batch; per evaluation, 0.8 averages about five points.
    public var smoothing: Double

    /// A test; rates with `0 < minRate < maxRate` (for a linear ramp `minRate` may be 0).
    public init(
        ramp: Ramp = .exponential, minRate: Double = 1e-5, maxRate: Double = 1, length: StepCount = .epochs(2),
        evaluations: Int = 100, divergenceFactor: Double = 4, smoothing: Double = 0.8
    ) {
        self.ramp = ramp
        self.minRate = minRate
        self.maxRate = maxRate
        self.length = length
        self.evaluations = evaluations
        self.divergenceFactor = divergenceFactor
        self.smoothing = smoothing
    }

    /// The ramp's schedule for a test of `steps` updates.
    public func schedule(steps: Int) -> any LearningRateSchedule {
        switch ramp {
        case .linear: LinearRampSchedule(minRate: minRate, maxRate: maxRate, steps: steps)
        case .exponential: ExponentialRampSchedule(minRate: minRate, maxRate: maxRate, steps: steps)
        }
    }

    /// Checks the test's values before a run.
    ///
    /// - Throws: `ConfigurationError` naming the value that is impossible.
    public func validate() throws {
        func bad(_ path: String, _ reason: String) -> ConfigurationError { .invalidValue(path: path, reason: reason) }
        guard minRate.isFinite, maxRate.isFinite, minRate >= 0, minRate < maxRate else {
            throw bad("eta_min", "must be below eta_max, both finite, found \(minRate) and \(maxRate)")
        }
        if ramp == .exponential, minRate <= 0 { throw bad("eta_min", "must be above 0 for an exponential ramp") }
        guard evaluations >= 3 else { throw bad("evaluations", "must be at least 3, found \(evaluations)") }
        guard divergenceFactor > 1 else { throw bad("divergence_factor", "must be above 1, found \(divergenceFactor)") }
        guard smoothing >= 0, smoothing < 1 else { throw bad("smoothing", "must be in [0, 1), found \(smoothing)") }
    }

    /// `base` as a range test: the ramp as its schedule, the test's length and evaluations, and the stop
    /// on a diverged loss as its only observer.
    public func experiment<Scalar: TensorScalar>(_ base: Experiment<Scalar>) -> Experiment<Scalar> {
        var test = base
        test.name = base.name + "-lr-range"
        let length = self.length
        let me = self
        test.schedule = SchedulePlan("\(ramp.rawValue) ramp from \(minRate) to \(maxRate) over \(length)") { batches in
            me.schedule(steps: Swift.max(2, length.resolved(batchesPerEpoch: batches)))
        }
        test.length = length
        test.evaluation = EvaluationPlan(.times(evaluations), trainSubset: base.evaluation.trainSubset)
        let factor = divergenceFactor
        test.observers = [ObserverRecipe { LossDivergenceStop<Scalar>(factor: factor) }]
        test.configuration = nil
        return test
    }

    /// The curves and the suggested ranges of a finished test.
    public func analysis(of result: RunResult) -> LRRangeAnalysis {
        LRRangeAnalysis(result.history, smoothing: smoothing)
    }
}
