import BackpropRegistry

/// The value checks shared by the built-in schedules, so that every schedule words its errors alike.
extension Options {
    /// Declares every key the reader understands, before it reads any.
    ///
    /// A required key is most often missing because it is misspelt (`eta_mx`); declaring all keys first
    /// lets `need` report the misspelt key, with its likely correction, rather than only the missing one.
    mutating func accept(_ keys: String...) {
        for key in keys { _ = contains(key) }
    }

    /// The value of a required key; when absent, an unknown key in the object is reported first.
    mutating func need<T: OptionValue>(_ key: String) throws -> T {
        if let value: T = try optional(key) { return value }
        try finish()
        throw ConfigurationError.missingKey(path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// A learning rate: finite and non-negative.
    func checkRate(_ value: Double, _ key: String) throws {
        try check(value.isFinite, key, "must be a finite number, found \(value)")
        try check(value >= 0, key, "must not be negative, found \(value)")
    }

    /// A multiplicative factor: finite and positive.
    func checkFactor(_ value: Double, _ key: String) throws {
        try check(value.isFinite, key, "must be a finite number, found \(value)")
        try check(value > 0, key, "must be positive, found \(value)")
    }

    /// A count of steps or cycles: at least `minimum`.
    func checkStepCount(_ value: Int, _ key: String, minimum: Int = 1) throws {
        try check(value >= minimum, key, "must be at least \(minimum), found \(value)")
    }

    /// A range of rates: both valid and `low ≤ high`.
    func checkRange(_ low: Double, _ high: Double, lowKey: String = "eta_min", highKey: String = "eta_max") throws {
        try checkRate(low, lowKey)
        try checkRate(high, highKey)
        try check(high >= low, highKey, "must be at least \(lowKey) (\(low)), found \(high)")
    }
}
