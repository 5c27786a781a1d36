/// The three data sets of an experiment: train on `train`, choose hyper-parameters on `validation`,
/// report on `test`.
///
/// `notes` says, in plain sentences, where the data differs from what was asked: a partial copy of
/// the files, a validation set shrunk so that training data remains, a training limit larger than the
/// data. Reports print them so that a figure is never read as coming from the full data set by mistake.
public struct DataSplits: Sendable, Equatable {
    public var train: Dataset
    public var validation: Dataset
    public var test: Dataset
    /// What was adjusted while building the splits, one sentence each.
    public var notes: [String]

    public init(train: Dataset, validation: Dataset, test: Dataset, notes: [String] = []) {
        self.train = train
        self.validation = validation
        self.test = test
        self.notes = notes
    }

    /// The splits standardised with statistics of the training split only, and the standardiser
    /// (keep it to transform new inputs the same way).
    ///
    /// Fitting on the training split alone keeps validation and test data out of training, as the
    /// course prescribes: their means need not be zero afterwards.
    public func standardized(minimumStandardDeviation: Float = Standardizer.defaultMinimumStandardDeviation)
        -> (DataSplits, Standardizer)
    {
        var result = self
        let standardizer = result.standardize(minimumStandardDeviation: minimumStandardDeviation)
        return (result, standardizer)
    }

    /// Standardises the splits in place with statistics of the training split only, and returns the
    /// standardiser. Unlike `standardized()`, it copies nothing when the splits are not shared.
    @discardableResult
    public mutating func standardize(minimumStandardDeviation: Float = Standardizer.defaultMinimumStandardDeviation)
        -> Standardizer
    {
        let standardizer = Standardizer(fitting: train, minimumStandardDeviation: minimumStandardDeviation)
        standardizer.apply(to: &train)
        standardizer.apply(to: &validation)
        standardizer.apply(to: &test)
        return standardizer
    }

    /// Splits `pool` into training data (the first examples) and validation data (the last
    /// `validationCount`), then keeps the first `trainingLimit` training examples.
    ///
    /// When `validationCount` would leave fewer than half of `pool` for training (as 5000 of a
    /// 5169-image partial copy would), the validation set becomes 10% of `pool` instead and a note
    /// says so; a training limit larger than the training data also adds a note.
    static func holdOut(
        _ pool: consuming Dataset, validationCount requested: Int, trainingLimit: Int?, poolName: String,
        notes: inout [String]
    ) -> (train: Dataset, validation: Dataset) {
        var train = pool
        let total = train.count
        var validationCount = max(0, requested)
        if validationCount > total / 2 {
            validationCount = total / 10
            notes.append("validation: asked for the last \(requested) of \(total) \(poolName), which would "
                + "leave \(max(0, total - requested)) for training; using the last \(validationCount) (10%) instead")
        }
        let validation = train.slice((total - validationCount)..<total)
        // Truncating in place keeps the pool's storage: the training data (90% of the pool) is not copied.
        train.truncate(to: total - validationCount)
        if let limit = trainingLimit {
            train = limitTraining(train, to: limit, notes: &notes)
        }
        return (train, validation)
    }

    /// The first `limit` examples of `train`, with a note when there are fewer.
    static func limitTraining(_ train: consuming Dataset, to limit: Int, notes: inout [String]) -> Dataset {
        var train = train
        if limit > train.count {
            notes.append("train_limit: asked for \(limit) training examples, only \(train.count) are available; using all of them")
        }
        train.truncate(to: limit)
        return train
    }
}

extension DataSplits: CustomStringConvertible {
    public var description: String {
        "train \(train.count), validation \(validation.count), test \(test.count) examples"
            + " × \(train.featureCount) features, \(train.classCount) classes"
    }
}
