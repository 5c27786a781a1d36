import BackpropRegistry
import Foundation

/// A rate that grows geometrically from `minRate` to `maxRate` over `steps` steps and then stays there:
/// equal ratios per step, so that each decade of rates gets the same number of steps.
///
/// The ramp of the learning-rate range test as fastai's `lr_find` runs it: read on a logarithmic
/// axis, a range of 1e-5 to 1 spends as long on 1e-4…1e-3 as on 0.1…1, where a linear ramp spends
/// 0.01% of its steps below 1e-4. Step 0 uses `minRate`, step `steps − 1` and every later step `maxRate`.
///
/// Registered as `"exponential_ramp"` with the parameters `eta_min`, `eta_max`, `steps`:
///
/// ```json
/// {"name": "exponential_ramp", "eta_min": 1e-5, "eta_max": 1, "steps": 1000}
/// ```
public struct ExponentialRampSchedule: LearningRateSchedule, Equatable {
    /// The rate of step 0.
    public let minRate: Double
    /// The rate of step `steps − 1` and after.
    public let maxRate: Double
    /// The length of the ramp, `≥ 2`.
    public let steps: Int

    /// A ramp; rates finite with `0 < minRate ≤ maxRate`, and `steps ≥ 2`.
    public init(minRate: Double, maxRate: Double, steps: Int) {
        precondition(minRate.isFinite && minRate > 0, "exponential ramp: minRate must be finite and > 0")
        precondition(maxRate.isFinite && maxRate >= minRate, "exponential ramp: maxRate must be finite and ≥ minRate")
        precondition(steps >= 2, "exponential ramp: steps must be at least 2, got \(steps)")
        self.minRate = minRate
        self.maxRate = maxRate
        self.steps = steps
    }

    /// The ramp is what the range test runs.
    public var naturalLength: Int? { steps }

    public func learningRate(at step: Int) -> Double {
        let t = Swift.min(Swift.max(step, 0), steps - 1)
        if t == steps - 1 { return maxRate }
        return minRate * pow(maxRate / minRate, Double(t) / Double(steps - 1))
    }

    public var description: String { "exponential_ramp(eta_min: \(minRate), eta_max: \(maxRate), steps: \(steps))" }
}

// MARK: - Reading from a configuration

extension ExponentialRampSchedule {
    /// Reads `eta_min` (> 0), `eta_max` and `steps` (a step count, as for `LinearRampSchedule`).
    ///
    /// - Throws: `ConfigurationError` naming the unknown, missing, mistyped or impossible parameter.
    public init(options: inout Options) throws {
        let (low, high, steps) = try options.rampParameters(rates: .positive)
        self.init(minRate: low, maxRate: high, steps: steps)
    }
}
