import Backprop
import Foundation

/// Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017), a schedule that Backprop does
/// not build in.
///
/// Within each period the rate falls from `maxRate` to `minRate` along half a cosine, then jumps back to
/// `maxRate` (a warm restart); each period is `periodFactor` times as long as the one before. With
/// `T_i` the length of the current period and `T_cur` the steps since its start, the rate of a step is
///
///     rate = minRate + (maxRate − minRate) · (1 + cos(π · T_cur / T_i)) / 2
///
/// the formula of PyTorch's `CosineAnnealingWarmRestarts` with `T_0 = period`, `T_mult = periodFactor`,
/// `eta_min = minRate` and the optimiser's rate `= maxRate`, stepped once per update.
///
/// ```swift
/// let sgdr = CosineRestartsSchedule(minRate: 0, maxRate: 0.1, period: 10, periodFactor: 2)
/// sgdr.learningRate(at: 5)    // 0.05: half way down the first period
/// sgdr.learningRate(at: 10)   // 0.1: the first restart; the second period lasts 20 steps
/// ```
///
/// Registered by the example as `"cosine_restarts"` with the parameters `eta_min`, `eta_max`, `period`,
/// optional `period_factor` (default 1) and optional `cycles` (which sets `naturalLength`):
///
/// ```json
/// {"name": "cosine_restarts", "eta_min": 1e-4, "eta_max": 0.1, "period": 100, "period_factor": 2, "cycles": 3}
/// ```
struct CosineRestartsSchedule: LearningRateSchedule, Equatable {
    /// The rate at the end of each period (η_min).
    let minRate: Double
    /// The rate at the start of each period (η_max).
    let maxRate: Double
    /// The length of the first period in steps (T_0).
    let period: Int
    /// How many times longer each period is than the one before (T_mult).
    let periodFactor: Int
    /// The number of periods training is meant to last, if given.
    let cycles: Int?

    /// A schedule; rates finite with `0 ≤ minRate ≤ maxRate`, `period ≥ 1`, `periodFactor ≥ 1`,
    /// `cycles ≥ 1`. `init(options:)` checks the same conditions and throws instead.
    init(minRate: Double, maxRate: Double, period: Int, periodFactor: Int = 1, cycles: Int? = nil) {
        precondition(minRate.isFinite && minRate >= 0, "cosine_restarts: minRate must be finite and ≥ 0")
        precondition(maxRate.isFinite && maxRate >= minRate, "cosine_restarts: maxRate must be finite and ≥ minRate")
        precondition(period >= 1 && periodFactor >= 1, "cosine_restarts: period and periodFactor must be ≥ 1")
        precondition(cycles.map { Self.length(period: period, factor: periodFactor, cycles: $0) != nil } ?? true,
                     "cosine_restarts: cycles must be ≥ 1 and the periods must fit in an Int")
        self.minRate = minRate
        self.maxRate = maxRate
        self.period = period
        self.periodFactor = periodFactor
        self.cycles = cycles
    }

    func learningRate(at step: Int) -> Double {
        // Walk to the period holding the step: T_cur is `position`, T_i is `length`. At most ~63 turns,
        // since lengths grow geometrically; a factor of 1 is plain remainder.
        var position = max(step, 0)
        var length = period
        if periodFactor == 1 {
            position %= period
        } else {
            while position >= length {
                position -= length
                // A length past Int.max / factor is longer than any remaining position.
                guard length <= Int.max / periodFactor else { break }
                length *= periodFactor
            }
        }
        let progress = Double(position) / Double(length)
        return minRate + (maxRate - minRate) * (1 + cos(Double.pi * progress)) / 2
    }

    /// The steps of `cycles` whole periods: `period · (1 + factor + … + factor^(cycles − 1))`.
    var naturalLength: Int? {
        cycles.flatMap { Self.length(period: period, factor: periodFactor, cycles: $0) }
    }

    var description: String {
        "cosine_restarts(eta_min: \(minRate), eta_max: \(maxRate), period: \(period), period_factor: \(periodFactor)"
            + (cycles.map { ", cycles: \($0))" } ?? ")")
    }

    /// The total length of `cycles ≥ 1` periods, or nil when it is not positive or overflows an Int.
    private static func length(period: Int, factor: Int, cycles: Int) -> Int? {
        guard cycles >= 1 else { return nil }
        var total = 0, length = period
        for cycle in 0..<cycles {
            let sum = total.addingReportingOverflow(length)
            guard !sum.overflow else { return nil }
            total = sum.partialValue
            if cycle == cycles - 1 { break }
            let next = length.multipliedReportingOverflow(by: factor)
            guard !next.overflow else { return nil }
            length = next.partialValue
        }
        return total
    }
}

// MARK: - Reading from a configuration

extension CosineRestartsSchedule {
    /// Reads `eta_min`, `eta_max`, `period` (a step count: `100`, `{"epochs": 2}` or
    /// `period_epochs: 2`), `period_factor` and `cycles` and checks them.
    ///
    /// - Throws: `ConfigurationError` naming the misspelt, missing, mistyped or impossible parameter.
    init(options: inout Options) throws {
        // Declaring every key first makes a misspelt `eta_mx` an unknown key ("Did you mean
        // 'eta_max'?") rather than a missing `eta_max`. `.steps` also admits `period_epochs`.
        try options.declare("eta_min", "eta_max", .steps("period"), "period_factor", "cycles")
        let low: Double = try options.required("eta_min", .nonNegative)
        let high: Double = try options.required("eta_max", .nonNegative)
        try options.checkOrdered(low, "eta_min", high, "eta_max")
        let period = try options.requiredSteps("period")
        let factor: Int = try options.optional("period_factor", .atLeast(1)) ?? 1
        let cycles: Int? = try options.optional("cycles", .atLeast(1))
        if let cycles {
            try options.check(Self.length(period: period, factor: factor, cycles: cycles) != nil, "cycles",
                              "makes the schedule longer than Int.max steps")
        }
        self.init(minRate: low, maxRate: high, period: period, periodFactor: factor, cycles: cycles)
    }
}
