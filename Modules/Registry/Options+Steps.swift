/// Step counts: any plug-in parameter that counts update steps can also be given in epochs.
extension Options {
    /// The step count at `key`, unresolved: `key` (`500`, `{"steps": 500}`, `{"epochs": 2}`) or
    /// `<key>_epochs: x` (shorthand for `{"epochs": x}`), or nil when neither is given.
    ///
    /// Declare the key with `.steps(key)`, which admits both spellings.
    ///
    /// - Throws: `invalidValue` naming both keys when both are given; `wrongType`/`invalidValue` naming
    ///   the key written for a value that is not a step count (epochs must be finite and `≥ 0`).
    public mutating func stepCount(_ key: String) throws -> StepCount? {
        try writtenStepCount(key)?.count
    }

    /// Reads a step count given as `key` (`500` or `{"epochs": 2}`) or as `<key>_epochs: x` (shorthand
    /// for `{"epochs": x}`), resolved to update steps, or nil when neither is given.
    ///
    /// Epochs resolve with `context.batchesPerEpoch` to `⌊x · batchesPerEpoch⌋` steps. While that is
    /// nil (the configuration is only being checked, before the data are loaded) epochs resolve as if
    /// there were one batch per epoch, `⌊x⌋`, except that a positive number of epochs never resolves
    /// below `minimum`: any positive number of epochs may be enough steps once the data are known, so
    /// only the run can tell. Zero epochs is too few whatever the data.
    ///
    /// ```swift
    /// // {"step_size_epochs": 0.5} with 45 batches per epoch:
    /// let stepSize = try options.steps("step_size")   // 22
    /// ```
    ///
    /// - Throws: as `stepCount(_:)`; `invalidValue` naming the key the user wrote (e.g.
    ///   `step_size_epochs`) when the count resolves below `minimum` or above `StepCount.maximum`.
    public mutating func steps(_ key: String, minimum: Int = 1) throws -> Int? {
        guard let (count, written) = try writtenStepCount(key) else { return nil }
        let steps: Int
        switch (count, context.batchesPerEpoch) {
        case (.epochs(let epochs), nil) where epochs > 0:
            steps = Swift.max(count.resolved(batchesPerEpoch: 1), minimum)
        case (_, let batches):
            steps = count.resolved(batchesPerEpoch: batches ?? 1)
        }
        guard steps <= StepCount.maximum else {
            throw ConfigurationError.invalidValue(
                path: keyPath(written), reason: "must give at most \(StepCount.maximum) steps, found \(count) = \(steps) steps")
        }
        guard steps >= minimum else {
            switch count {
            case .steps:
                throw ConfigurationError.invalidValue(
                    path: keyPath(written), reason: "must be at least \(minimum), found \(steps)")
            case .epochs(let epochs):
                let batches = context.batchesPerEpoch ?? 1
                throw ConfigurationError.invalidValue(
                    path: keyPath(written),
                    reason: "must give at least \(StepCount.steps(minimum)), found \(StepCount.epochs(epochs)) = "
                        + "\(StepCount.steps(steps)) at \(batches) \(batches == 1 ? "batch" : "batches") per epoch")
            }
        }
        return steps
    }

    /// A step count that must be given; see `steps(_:minimum:)`.
    ///
    /// - Throws: `missingKey` naming `key` when neither `key` nor `<key>_epochs` is given, and the
    ///   errors of `steps(_:minimum:)`.
    public mutating func requiredSteps(_ key: String, minimum: Int = 1) throws -> Int {
        guard let steps = try steps(key, minimum: minimum) else { throw missing(key) }
        return steps
    }

    /// The count and the key it was written under.
    private mutating func writtenStepCount(_ key: String) throws -> (count: StepCount, key: String)? {
        let epochsKey = OptionKey.epochsKey(key)
        if isDeclaring, let declared, declared.contains(key), !declared.contains(epochsKey) {
            throw ConfigurationError.invalidValue(
                path: keyPath(key), reason: "is read as a step count but declared as a plain key: declare it as .steps(\"\(key)\")")
        }
        let plain: StepCount? = try optional(key)
        let epochs: Double? = try optional(epochsKey)
        switch (plain, epochs) {
        case (nil, nil):
            return nil
        case (let count?, nil):
            return (count, key)
        case (nil, let epochs?):
            try StepCount.checkEpochs(epochs, path: keyPath(epochsKey))
            return (.epochs(epochs), epochsKey)
        case (_?, _?):
            throw ConfigurationError.invalidValue(
                path: keyPath(epochsKey), reason: "cannot be given together with '\(key)'; give the count once")
        }
    }
}
