import BackpropRegistry
import Foundation

/// A rate that is multiplied by `factor` every `every` steps, as PyTorch's `StepLR`.
///
/// The rate of step `t` is `initial · factor^⌊t / every⌋`. Registered as `"step_decay"` with the
/// parameters `eta` (the initial rate), `gamma` (the factor) and `step_size` (the period):
///
/// ```json
/// {"name": "step_decay", "eta": 0.1, "gamma": 0.5, "step_size": 1000}
/// ```
public struct StepDecaySchedule: LearningRateSchedule, Equatable {
    /// The rate of steps `0..<every`.
    public let initial: Double
    /// The factor applied at the end of each period.
    public let factor: Double
    /// The period in steps.
    public let every: Int

    /// A step decay; `initial ≥ 0`, `factor > 0` (both finite) and `every ≥ 1`.
    public init(initial: Double, factor: Double, every: Int) {
        precondition(initial.isFinite && initial >= 0, "step decay: initial rate must be finite and ≥ 0")
        precondition(factor.isFinite && factor > 0, "step decay: factor must be finite and > 0")
        precondition(every >= 1, "step decay: period must be at least 1 step")
        self.initial = initial
        self.factor = factor
        self.every = every
    }

    public func learningRate(at step: Int) -> Double {
        initial * pow(factor, Double(Swift.max(step, 0) / every))
    }

    public var description: String { "step_decay(eta: \(initial), gamma: \(factor), step_size: \(every))" }
}

// MARK: - Reading from a configuration

extension StepDecaySchedule {
    /// Reads `eta`, `gamma` and `step_size` (a step count: `1000`, `{"epochs": 2}` or
    /// `step_size_epochs: 2`, resolved with `options.context`) and checks them.
    ///
    /// - Throws: `ConfigurationError` naming the unknown, missing, mistyped or impossible parameter.
    public init(options: inout Options) throws {
        try options.declare("eta", "gamma", .steps("step_size"))
        let initial: Double = try options.required("eta", .nonNegative)
        let factor: Double = try options.required("gamma", .positive)
        let every = try options.requiredSteps("step_size")
        self.init(initial: initial, factor: factor, every: every)
    }
}
