import BackpropRegistry

/// A rate that grows linearly from `minRate` to `maxRate` over `steps` steps and then stays there.
///
/// This is the schedule of the learning-rate range test (Smith 2015): train briefly while the rate
/// ramps up, record the accuracy at each step, and read η_min and η_max of a cyclical schedule off the
/// curve. Step 0 uses `minRate`, step `steps − 1` and every later step `maxRate`.
///
/// Registered as `"lr_range_test"` and `"linear_ramp"` with the parameters `eta_min`, `eta_max`, `steps`:
///
/// ```json
/// {"name": "lr_range_test", "eta_min": 1e-5, "eta_max": 0.2, "steps": 1000}
/// ```
public struct LinearRampSchedule: LearningRateSchedule, Equatable {
    /// The rate of step 0.
    public let minRate: Double
    /// The rate of step `steps − 1` and after.
    public let maxRate: Double
    /// The length of the ramp, `≥ 2`.
    public let steps: Int

    /// A ramp; rates finite with `0 ≤ minRate ≤ maxRate`, and `steps ≥ 2`.
    public init(minRate: Double, maxRate: Double, steps: Int) {
        precondition(minRate.isFinite && minRate >= 0, "linear ramp: minRate must be finite and ≥ 0")
        precondition(maxRate.isFinite && maxRate >= minRate, "linear ramp: maxRate must be finite and ≥ minRate")
        precondition(steps >= 2, "linear ramp: steps must be at least 2, got \(steps)")
        self.minRate = minRate
        self.maxRate = maxRate
        self.steps = steps
    }

    /// The ramp is what the range test runs.
    public var naturalLength: Int? { steps }

    public func learningRate(at step: Int) -> Double {
        let t = Swift.min(Swift.max(step, 0), steps - 1)
        let weight = Double(t) / Double(steps - 1)
        return (1 - weight) * minRate + weight * maxRate
    }

    public var description: String { "linear_ramp(eta_min: \(minRate), eta_max: \(maxRate), steps: \(steps))" }
}

// MARK: - Reading from a configuration

extension LinearRampSchedule {
    /// Reads `eta_min`, `eta_max` and `steps` (a step count: `1000`, `{"epochs": 1}` or
    /// `steps_epochs: 1`, resolved with `options.context`) and checks them.
    ///
    /// - Throws: `ConfigurationError` naming the unknown, missing, mistyped or impossible parameter.
    public init(options: inout Options) throws {
        let (low, high, steps) = try options.rampParameters(rates: .nonNegative)
        self.init(minRate: low, maxRate: high, steps: steps)
    }
}

extension Options {
    /// The parameters every ramp reads: `eta_min` and `eta_max` (each passing `rates`, in order) and
    /// `steps` (a step count of at least 2).
    ///
    /// - Throws: `ConfigurationError` naming the unknown, missing, mistyped or impossible parameter.
    mutating func rampParameters(rates: OptionCheck<Double>) throws -> (low: Double, high: Double, steps: Int) {
        try declare("eta_min", "eta_max", .steps("steps"))
        let low: Double = try required("eta_min", rates)
        let high: Double = try required("eta_max", rates)
        try checkOrdered(low, "eta_min", high, "eta_max")
        return (low, high, try requiredSteps("steps", minimum: 2))
    }
}
