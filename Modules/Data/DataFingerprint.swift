/// What identifies the data a run or a search trained on: each split's size, shape, classes and a hash
/// of its labels and features, so that a resumed search (or run) can tell whether it continues on the
/// same data, and say what differs when it does not.
///
/// The hash is 64-bit FNV-1a over the labels and the features' bit patterns, eight bytes at a time: it
/// tells data sets apart, not a tampered file from a good one (the threat model trusts the user's own
/// files, see docs/threat-model.md).
///
/// ```swift
/// let before = DataFingerprint(splits)
/// let differences = DataFingerprint(otherSplits).differences(from: before)   // [] for the same data
/// ```
public struct DataFingerprint: Codable, Equatable, Sendable {
    /// One split's figures.
    public struct Split: Codable, Equatable, Sendable {
        public var count: Int
        public var features: Int
        public var classes: [String]
        /// FNV-1a of the labels and the features, as 16 hexadecimal digits.
        public var hash: String

        public init(_ dataset: Dataset) {
            count = dataset.count
            features = dataset.featureCount
            classes = dataset.classNames
            var state: UInt64 = 0xcbf2_9ce4_8422_2325
            func mix(_ word: UInt64) { state = (state ^ word) &* 0x0000_0100_0000_01B3 }
            for label in dataset.labels { mix(UInt64(bitPattern: Int64(label))) }
            dataset.features.scalars.withUnsafeBufferPointer { values in
                var index = 0
                while index + 1 < values.count {
                    mix(UInt64(values[index].bitPattern) << 32 | UInt64(values[index + 1].bitPattern))
                    index += 2
                }
                if index < values.count { mix(UInt64(values[index].bitPattern)) }
            }
            hash = String(state, radix: 16).leftPadded(to: 16)
        }
    }

    public var train: Split
    public var validation: Split
    public var test: Split

    public init(_ splits: DataSplits) {
        train = Split(splits.train)
        validation = Split(splits.validation)
        test = Split(splits.test)
    }

    /// What differs from `earlier`, one phrase per difference ("the training set has 9000 examples,
    /// not 45000"); empty when the fingerprints are equal.
    public func differences(from earlier: DataFingerprint) -> [String] {
        var found: [String] = []
        for (name, now, then) in [("training", train, earlier.train), ("validation", validation, earlier.validation),
                                  ("test", test, earlier.test)] {
            if now.count != then.count {
                found.append("the \(name) set has \(now.count) examples, not \(then.count)")
            } else if now.features != then.features {
                found.append("the \(name) set has \(now.features) features per example, not \(then.features)")
            } else if now.classes != then.classes {
                found.append("the \(name) set's classes are \(now.classes.joined(separator: ", ")), "
                    + "not \(then.classes.joined(separator: ", "))")
            } else if now.hash != then.hash {
                found.append("the \(name) set holds other examples or labels (hash \(now.hash), not \(then.hash))")
            }
        }
        return found
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
