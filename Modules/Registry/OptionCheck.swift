/// A condition on an option's value, with the words that explain a failure: the one place where a
/// kind of value (a rate, a factor, a probability, a count) is validated, for built-ins and plug-ins alike.
///
/// ```swift
/// let lambda: Double = try options.required("lambda", .nonNegative)
/// let rate: Double = try options.required("rate", .probability(includingOne: false))
/// let cycles: Int? = try options.optional("cycles", .atLeast(1))
/// try options.check(gamma, "gamma", .positive)
/// ```
///
/// A failure is `ConfigurationError.invalidValue` naming the key: `'schedule.eta' must not be
/// negative, found -0.1`.
public struct OptionCheck<Value>: Sendable {
    /// Returns nil when the value passes, otherwise the reason it fails ("must be positive, found 0").
    public let failure: @Sendable (Value) -> String?

    /// A check from a function that explains why a value fails, or returns nil when it passes.
    public init(_ failure: @escaping @Sendable (Value) -> String?) {
        self.failure = failure
    }

    /// Both checks; the first failure is reported.
    public func and(_ other: OptionCheck<Value>) -> OptionCheck<Value> {
        OptionCheck { value in failure(value) ?? other.failure(value) }
    }
}

extension OptionCheck where Value == Double {
    /// Finite: rules out NaN and infinities, which JSON cannot write but code can pass.
    public static var finite: Self {
        Self { $0.isFinite ? nil : "must be a finite number, found \($0)" }
    }

    /// Finite and `≥ 0`: learning rates, penalty weights, standard deviations.
    public static var nonNegative: Self {
        finite.and(Self { $0 >= 0 ? nil : "must not be negative, found \($0)" })
    }

    /// Finite and `> 0`: multiplicative factors such as a decay's gamma.
    public static var positive: Self {
        finite.and(Self { $0 > 0 ? nil : "must be positive, found \($0)" })
    }

    /// A probability: in `[0, 1]`, or in `[0, 1)` when `includingOne` is false (a dropout rate of 1
    /// would drop everything).
    public static func probability(includingOne: Bool = true) -> Self {
        Self { value in
            let fits = includingOne ? (0...1).contains(value) : (value >= 0 && value < 1)
            return fits ? nil : "must be in [0, \(includingOne ? "1]" : "1)"), found \(value)"
        }
    }

    /// A probability in `[0, 1]`.
    public static var probability: Self { probability() }
}

extension OptionCheck where Value == Int {
    /// At least `minimum`: counts of steps, cycles, layers or pixels.
    public static func atLeast(_ minimum: Int) -> Self {
        Self { $0 >= minimum ? nil : "must be at least \(minimum), found \($0)" }
    }
}

// MARK: - Checking with options

extension Options {
    /// Throws `invalidValue` for `key` unless `condition` holds.
    public func check(_ condition: Bool, _ key: String, _ reason: @autoclosure () -> String) throws {
        if !condition { throw ConfigurationError.invalidValue(path: keyPath(key), reason: reason()) }
    }

    /// Throws `invalidValue` naming `key` when `value` fails `check`.
    public func check<V>(_ value: V, _ key: String, _ check: OptionCheck<V>) throws {
        if let reason = check.failure(value) {
            throw ConfigurationError.invalidValue(path: keyPath(key), reason: reason)
        }
    }

    /// Throws `invalidValue` naming `highKey` unless `low ≤ high`: the two ends of a range, such as
    /// `eta_min` and `eta_max`. Check each end on its own first (e.g. `.nonNegative`).
    public func checkOrdered<V: Comparable>(_ low: V, _ lowKey: String, _ high: V, _ highKey: String) throws {
        try check(high >= low, highKey, "must be at least \(lowKey) (\(low)), found \(high)")
    }

    /// The value of `key`, converted to `T` and checked.
    ///
    /// - Throws: as `required(_:)`, and `invalidValue` naming the key when the value fails `check`.
    public mutating func required<T: OptionValue>(_ key: String, _ check: OptionCheck<T>) throws -> T {
        let value: T = try required(key)
        try self.check(value, key, check)
        return value
    }

    /// The value of `key` converted to `T` and checked, or `nil` when absent.
    ///
    /// - Throws: as `optional(_:)`, and `invalidValue` naming the key when the value fails `check`.
    public mutating func optional<T: OptionValue>(_ key: String, _ check: OptionCheck<T>) throws -> T? {
        guard let value: T = try optional(key) else { return nil }
        try self.check(value, key, check)
        return value
    }
}
