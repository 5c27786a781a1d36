import BackpropRegistry

/// The same learning rate at every step: Assignment 1's fixed η.
///
/// Registered as `"constant"` with the parameter `eta`:
///
/// ```json
/// {"name": "constant", "eta": 0.001}
/// ```
public struct ConstantSchedule: LearningRateSchedule, Equatable {
    /// The rate of every step.
    public let rate: Double

    /// A constant schedule; `rate` must be finite and non-negative.
    public init(rate: Double) {
        precondition(rate.isFinite && rate >= 0, "constant learning rate must be finite and ≥ 0, got \(rate)")
        self.rate = rate
    }

    public func learningRate(at step: Int) -> Double { rate }

    public var description: String { "constant(eta: \(rate))" }
}

// MARK: - Reading from a configuration

extension ConstantSchedule {
    /// Reads `eta` and checks it.
    ///
    /// - Throws: `ConfigurationError` naming an unknown key (a misspelt `eta`, with its correction), or
    ///   `eta` when it is missing, not a number, negative or not finite.
    public init(options: inout Options) throws {
        try options.declare("eta")
        self.init(rate: try options.required("eta", .nonNegative))
    }
}
