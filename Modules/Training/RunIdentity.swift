import BackpropData
import BackpropRegistry

/// What makes two runs the same run: the experiment's configuration, the data it trains on and the
/// pre-processing that was applied to it.
///
/// A checkpoint records the identity of the run that wrote it; resuming it with another identity is
/// refused (`CheckpointMismatch`), since the resumed run would silently become a different one.
///
/// Semantics: two identities are equal exactly when `differences(from:)` is empty; the data is
/// compared by content (`DataFingerprint`), not by folder, so the same files moved elsewhere match.
public struct RunIdentity: Sendable, Equatable, Codable {
    /// The experiment as JSON: the file it was read from (after a `--seed` override), or the summary of
    /// an experiment composed in code.
    public var configuration: JSONValue
    /// `float32` or `float64`.
    public var precision: String
    /// The data trained and evaluated on (after pre-processing).
    public var data: DataFingerprint
    /// The pre-processing: kept whole, so that a checkpoint holds everything its model needs.
    public var standardizer: Standardizer

    public init(configuration: JSONValue, precision: String, data: DataFingerprint, standardizer: Standardizer) {
        self.configuration = configuration
        self.precision = precision
        self.data = data
        self.standardizer = standardizer
    }

    /// What differs from `earlier`, one phrase each: the configuration's key paths, the precision, the
    /// data's splits; empty when the identities are equal.
    public func differences(from earlier: RunIdentity) -> [String] {
        var found = configuration.differences(from: earlier.configuration).map { "config: \($0)" }
        if precision != earlier.precision { found.append("precision is \(precision), not \(earlier.precision)") }
        found += data.differences(from: earlier.data).map { "data: \($0)" }
        if standardizer != earlier.standardizer {
            let (a, b) = (standardizer, earlier.standardizer)
            if a.featureCount != b.featureCount {
                found.append("the standardiser has \(a.featureCount) features, not \(b.featureCount)")
            } else if let i = (0..<a.featureCount).first(where: { a.mean[$0] != b.mean[$0] }) {
                found.append("the standardiser's mean of feature \(i) is \(a.mean[i]), not \(b.mean[i])")
            } else if let i = (0..<a.featureCount).first(where: { a.standardDeviation[$0] != b.standardDeviation[$0] }) {
                found.append("the standardiser's deviation of feature \(i) is \(a.standardDeviation[i]), "
                    + "not \(b.standardDeviation[i])")
            }
        }
        return found
    }
}

/// A checkpoint belongs to another run than the one asked to resume it.
public struct CheckpointMismatch: Error, Sendable, Equatable, CustomStringConvertible {
    /// The checkpoint's location, for the message.
    public var path: String
    /// What differs (`RunIdentity.differences(from:)`), the current value first.
    public var differences: [String]

    public init(path: String, differences: [String]) {
        self.path = path
        self.differences = differences
    }

    public var description: String {
        "the checkpoint in \(path) is of another run; refusing to resume it with:\n"
            + differences.map { "  - \($0)" }.joined(separator: "\n")
    }
}
