import Backprop
import Foundation

/// Linear warm-up followed by cosine decay, the schedule most transformers are trained with.
///
/// The rate rises in a straight line from `minRate` to `maxRate` over the first `warmupSteps` steps,
/// then falls along half a cosine to `minRate` at step `steps`, and stays there. With `W` the warm-up
/// steps and `T` the total,
///
///     step < W:        rate = minRate + (maxRate − minRate) · step / W
///     W ≤ step < T:    rate = minRate + (maxRate − minRate) · (1 + cos(π · (step − W) / (T − W))) / 2
///     step ≥ T:        rate = minRate
///
/// With `minRate = 0` and up to step `T` this is Hugging Face's `get_cosine_schedule_with_warmup(
/// num_warmup_steps: W, num_training_steps: T)` times the optimiser's rate `maxRate`, stepped once per
/// update (past `T` that one climbs again; this one stays at `minRate`). Unlike
/// `triangular` it does not cycle, and unlike `cosine_restarts` (the `CustomSchedule` example) it warms
/// up first and ends.
///
/// ```swift
/// let schedule = WarmupCosineSchedule(minRate: 0, maxRate: 0.1, warmupSteps: 10, steps: 110)
/// schedule.learningRate(at: 5)     // 0.05: half way up
/// schedule.learningRate(at: 60)    // 0.05: half way down
/// schedule.naturalLength           // 110
/// ```
///
/// Registered as `"warmup_cosine"` by `registerWarmupCosine(in:)`, with the parameters `eta_max`,
/// `total_steps` (named as in PyTorch's `OneCycleLR`), `warmup_steps` (default 0) and `eta_min`
/// (default 0):
///
/// ```json
/// {"name": "warmup_cosine", "eta_min": 1e-4, "eta_max": 0.05, "warmup_steps": 20, "total_steps": 100}
/// ```
public struct WarmupCosineSchedule: LearningRateSchedule, Equatable {
    /// The rate at step 0 and from step `steps` on (η_min).
    public let minRate: Double
    /// The rate at the end of the warm-up (η_max).
    public let maxRate: Double
    /// The steps of the linear warm-up (W).
    public let warmupSteps: Int
    /// The steps of warm-up and decay together (T), which is the schedule's natural length.
    public let steps: Int

    /// A schedule; rates finite with `0 ≤ minRate ≤ maxRate`, `0 ≤ warmupSteps < steps`.
    /// `init(options:)` checks the same conditions and throws instead.
    public init(minRate: Double = 0, maxRate: Double, warmupSteps: Int, steps: Int) {
        precondition(minRate.isFinite && minRate >= 0, "warmup_cosine: minRate must be finite and ≥ 0")
        precondition(maxRate.isFinite && maxRate >= minRate, "warmup_cosine: maxRate must be finite and ≥ minRate")
        precondition(warmupSteps >= 0 && warmupSteps < steps, "warmup_cosine: need 0 ≤ warmupSteps < steps")
        self.minRate = minRate
        self.maxRate = maxRate
        self.warmupSteps = warmupSteps
        self.steps = steps
    }

    public func learningRate(at step: Int) -> Double {
        let step = max(step, 0)
        let span = maxRate - minRate
        if step < warmupSteps {
            return minRate + span * Double(step) / Double(warmupSteps)
        }
        guard step < steps else { return minRate }
        let progress = Double(step - warmupSteps) / Double(steps - warmupSteps)
        return minRate + span * (1 + cos(Double.pi * progress)) / 2
    }

    public var naturalLength: Int? { steps }

    public var description: String {
        "warmup_cosine(eta_min: \(minRate), eta_max: \(maxRate), warmup_steps: \(warmupSteps), total_steps: \(steps))"
    }
}

// MARK: - Reading from a configuration

extension WarmupCosineSchedule {
    /// Reads `eta_min`, `eta_max`, `warmup_steps` and `total_steps` and checks them.
    ///
    /// - Throws: `ConfigurationError` naming the misspelt, missing, mistyped or impossible parameter.
    public init(options: inout Options) throws {
        // Declare every key first: a misspelt `eta_mx` is then reported as unknown ("Did you mean
        // 'eta_max'?") rather than as a missing `eta_max`. `.steps` admits `{"epochs": 3}` and
        // `total_steps_epochs` too, resolved with the training set's batches per epoch.
        try options.declare("eta_min", "eta_max", .steps("warmup_steps"), .steps("total_steps"))
        let low: Double = try options.optional("eta_min", .nonNegative) ?? 0
        let high: Double = try options.required("eta_max", .nonNegative)
        try options.checkOrdered(low, "eta_min", high, "eta_max")
        let steps = try options.requiredSteps("total_steps")
        let warmup = try options.steps("warmup_steps", minimum: 0) ?? 0
        try options.check(warmup < steps, "warmup_steps", "must be less than total_steps (\(steps)), found \(warmup)")
        self.init(minRate: low, maxRate: high, warmupSteps: warmup, steps: steps)
    }
}

/// Registers `"warmup_cosine"` in a schedule registry, the way `registerStandardSchedules(in:)`
/// registers the built-ins:
///
/// ```swift
/// var registries = PluginRegistries.standard
/// registerWarmupCosine(in: &registries.schedules)
/// BackpropTool(registries: registries).main()
/// ```
public func registerWarmupCosine(in registry: inout Registry<any LearningRateSchedule>) {
    registry.register("warmup_cosine") { options in try WarmupCosineSchedule(options: &options) }
}
