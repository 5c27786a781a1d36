import BackpropRegistry
import Foundation

/// A cyclical learning rate (Smith 2015) that climbs linearly from a low to a high rate and back.
///
/// With `n_s = stepSize`, the rate rises from `minRate` at step 0 to `maxRate` at step `n_s`, falls back
/// to `minRate` at step `2·n_s`, and repeats: the course's schedule for Assignment 2. The numbers are
/// those of PyTorch's `CyclicLR` with `step_size_up = step_size_down = stepSize`:
///
///     cycle = ⌊1 + t / (2·n_s)⌋
///     x     = |t / n_s − 2·cycle + 1|
///     rate  = min + (max − min) · max(0, 1 − x) · scale
///
/// where `scale` is 1 (`triangular`), `1 / 2^(cycle − 1)` (`triangular2`, the peak halves every cycle)
/// or `gamma^t` (`exp_range`, the peak decays every step).
///
/// ```swift
/// let clr = TriangularSchedule(minRate: 1e-5, maxRate: 1e-1, stepSize: 500, cycles: 3)
/// clr.learningRate(at: 250)   // 0.050005, half way up
/// ```
///
/// Registered as `"triangular"`, `"triangular2"` and `"exp_range"` with the parameters `eta_min`,
/// `eta_max`, `step_size`, optional `cycles` (which sets `naturalLength`), and for `exp_range` only,
/// optional `gamma` (default 1):
///
/// ```json
/// {"name": "triangular", "eta_min": 1e-5, "eta_max": 1e-1, "step_size": 500, "cycles": 3}
/// ```
public struct TriangularSchedule: LearningRateSchedule, Equatable {
    /// How the height of the triangle changes from one cycle to the next.
    public enum Mode: Sendable, Equatable {
        /// Every cycle reaches `maxRate`.
        case triangular
        /// The height above `minRate` halves after each cycle.
        case triangular2
        /// The height above `minRate` is multiplied by `gamma` at every step.
        case exponentialRange(gamma: Double)

        /// The name the mode is registered under.
        public var name: String {
            switch self {
            case .triangular: "triangular"
            case .triangular2: "triangular2"
            case .exponentialRange: "exp_range"
            }
        }
    }

    /// The rate at the start and end of each cycle (η_min).
    public let minRate: Double
    /// The rate at the middle of each cycle (η_max), before any scaling by the mode.
    public let maxRate: Double
    /// Half a cycle, in steps (n_s).
    public let stepSize: Int
    /// How the peak changes between cycles.
    public let mode: Mode
    /// The number of cycles the schedule is meant to run, if given.
    public let cycles: Int?

    /// A cyclical schedule.
    ///
    /// - Parameters:
    ///   - minRate: η_min, finite and `≥ 0`.
    ///   - maxRate: η_max, finite and `≥ minRate`.
    ///   - stepSize: n_s, the steps of one half cycle, `≥ 1`.
    ///   - cycles: the intended number of cycles (`≥ 1`); sets `naturalLength = 2 · stepSize · cycles`.
    ///   - mode: `triangular` (the default), `triangular2` or `exponentialRange(gamma:)` with `gamma > 0`.
    public init(minRate: Double, maxRate: Double, stepSize: Int, cycles: Int? = nil, mode: Mode = .triangular) {
        precondition(minRate.isFinite && minRate >= 0, "triangular: minRate must be finite and ≥ 0, got \(minRate)")
        precondition(maxRate.isFinite && maxRate >= minRate, "triangular: maxRate must be finite and ≥ minRate")
        precondition(stepSize >= 1, "triangular: stepSize must be at least 1, got \(stepSize)")
        precondition((cycles ?? 1) >= 1, "triangular: cycles must be at least 1")
        if case .exponentialRange(let gamma) = mode {
            precondition(gamma.isFinite && gamma > 0, "exp_range: gamma must be finite and > 0, got \(gamma)")
        }
        self.minRate = minRate
        self.maxRate = maxRate
        self.stepSize = stepSize
        self.cycles = cycles
        self.mode = mode
    }

    public var naturalLength: Int? { cycles.map { 2 * stepSize * $0 } }

    public func learningRate(at step: Int) -> Double {
        let t = Swift.max(step, 0)
        let cycle = 1 + t / (2 * stepSize)
        // |t − n_s·(2·cycle − 1)| is PyTorch's x times n_s; computed in integers it is exact, so the
        // rate is exactly `minRate` at the ends of a cycle and exactly the peak in its middle.
        let distanceFromPeak = abs(t - stepSize * (2 * cycle - 1))
        let rise = Double(stepSize - distanceFromPeak) / Double(stepSize)
        let weight = rise * scale(cycle: cycle, step: t)
        // The two-sided interpolation returns the end points exactly (weight 0 or 1).
        return (1 - weight) * minRate + weight * maxRate
    }

    private func scale(cycle: Int, step: Int) -> Double {
        switch mode {
        case .triangular: 1
        case .triangular2: Double(sign: .plus, exponent: -(cycle - 1), significand: 1)
        case .exponentialRange(let gamma): pow(gamma, Double(step))
        }
    }

    public var description: String {
        var parameters = "eta_min: \(minRate), eta_max: \(maxRate), step_size: \(stepSize)"
        if let cycles { parameters += ", cycles: \(cycles)" }
        if case .exponentialRange(let gamma) = mode { parameters += ", gamma: \(gamma)" }
        return "\(mode.name)(\(parameters))"
    }
}

// MARK: - Reading from a configuration

extension TriangularSchedule {
    /// Reads `eta_min`, `eta_max`, `step_size` (a step count: `500`, `{"epochs": 2}` or
    /// `step_size_epochs: 2`, resolved with `options.context`), optional `cycles` and, when `mode` is
    /// `exponentialRange`, optional `gamma` (defaulting to the mode's gamma).
    ///
    /// `gamma` is declared only for `exponentialRange`, so `triangular` and `triangular2` report it as
    /// an unknown key rather than ignoring it.
    ///
    /// - Throws: `ConfigurationError` naming the unknown, missing, mistyped or impossible parameter.
    public init(options: inout Options, mode: Mode) throws {
        var keys: [OptionKey] = ["eta_min", "eta_max", .steps("step_size"), "cycles"]
        if case .exponentialRange = mode { keys.append("gamma") }
        try options.declare(keys)
        let low: Double = try options.required("eta_min", .nonNegative)
        let high: Double = try options.required("eta_max", .nonNegative)
        try options.checkOrdered(low, "eta_min", high, "eta_max")
        let stepSize = try options.requiredSteps("step_size")
        let cycles: Int? = try options.optional("cycles", .atLeast(1))
        if let cycles {
            // `steps` keeps step_size ≤ 10^15, so 2 · step_size does not overflow; the product may.
            let overflows = (2 * stepSize).multipliedReportingOverflow(by: cycles).overflow
            try options.check(!overflows, "cycles", "makes the schedule longer than \(Int.max) steps")
        }
        var mode = mode
        if case .exponentialRange(let defaultGamma) = mode {
            let gamma: Double = try options.optional("gamma", .positive) ?? defaultGamma
            mode = .exponentialRange(gamma: gamma)
        }
        self.init(minRate: low, maxRate: high, stepSize: stepSize, cycles: cycles, mode: mode)
    }
}
