import BackpropRegistry

/// A figure of an evaluation that early stopping and keep-best watch.
public enum MonitoredMetric: String, Sendable, CaseIterable, Codable {
    case validationAccuracy = "validation_accuracy"
    case validationLoss = "validation_loss"
    case validationCost = "validation_cost"
    case trainAccuracy = "train_accuracy"
    case trainLoss = "train_loss"
    case trainCost = "train_cost"

    /// Accuracy is better higher, loss and cost lower.
    public var higherIsBetter: Bool { self == .validationAccuracy || self == .trainAccuracy }

    /// The figure in `record`; nil for a validation figure without a validation set.
    public func value(in record: EvaluationRecord) -> Double? {
        switch self {
        case .validationAccuracy: record.validation?.accuracy
        case .validationLoss: record.validation?.loss
        case .validationCost: record.validation?.cost
        case .trainAccuracy: record.train.accuracy
        case .trainLoss: record.train.loss
        case .trainCost: record.train.cost
        }
    }

    /// "validation accuracy".
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }

    /// Whether `value` beats `best` by more than `minimumChange`.
    func improves(_ value: Double, on best: Double?, by minimumChange: Double = 0) -> Bool {
        guard value.isFinite else { return false }
        guard let best else { return true }
        return higherIsBetter ? value > best + minimumChange : value < best - minimumChange
    }
}

extension MonitoredMetric: OptionValue {
    /// Reads `"validation_accuracy"` and the other names.
    public init(json: JSONValue, path: String) throws {
        let name = try String(json: json, path: path)
        guard let metric = MonitoredMetric(rawValue: name) else {
            throw ConfigurationError.invalidValue(
                path: path, reason: "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")), found '\(name)'")
        }
        self = metric
    }
}
