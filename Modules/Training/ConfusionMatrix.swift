/// Counts of true class against predicted class, and the per-class figures read from them.
///
/// `counts[t][p]` is the number of examples of true class `t` predicted as `p`; rows are true classes,
/// columns predictions, as scikit-learn's `confusion_matrix`.
///
/// ```swift
/// let matrix = ConfusionMatrix(labels: [0, 1, 1], predictions: [0, 1, 0], classCount: 2)
/// matrix.counts        // [[1, 0], [1, 1]]
/// matrix.recall(1)     // 0.5
/// ```
///
/// Semantics:
/// - `precision(c)` is TP / (TP + FP), the share of predictions of `c` that are right; `recall(c)` is
///   TP / (TP + FN), the share of class `c` found; `accuracy(c)` is (TP + TN) / n, the one-against-rest
///   accuracy. A ratio whose denominator is 0 is `nil` (no prediction of `c`, or no example of it).
public struct ConfusionMatrix: Sendable, Equatable {
    public let counts: [[Int]]

    /// Counts `labels` against `predictions` (equal lengths, values in `0..<classCount`).
    public init(labels: [Int], predictions: [Int], classCount: Int) {
        precondition(labels.count == predictions.count, "\(labels.count) labels for \(predictions.count) predictions")
        var counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for (truth, predicted) in zip(labels, predictions) { counts[truth][predicted] += 1 }
        self.counts = counts
    }

    public var classCount: Int { counts.count }
    /// The number of examples counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// The share of examples predicted right, or nil for none.
    public var accuracy: Double? { ratio((0..<classCount).reduce(0) { $0 + counts[$1][$1] }, total) }

    public func truePositives(_ c: Int) -> Int { counts[c][c] }
    public func falsePositives(_ c: Int) -> Int { (0..<classCount).reduce(0) { $0 + ($1 == c ? 0 : counts[$1][c]) } }
    public func falseNegatives(_ c: Int) -> Int { counts[c].reduce(0, +) - counts[c][c] }
    /// Examples of class `c`.
    public func support(_ c: Int) -> Int { counts[c].reduce(0, +) }

    public func precision(_ c: Int) -> Double? { ratio(truePositives(c), truePositives(c) + falsePositives(c)) }
    public func recall(_ c: Int) -> Double? { ratio(truePositives(c), support(c)) }
    public func accuracy(_ c: Int) -> Double? {
        ratio(total - falsePositives(c) - falseNegatives(c), total)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
}
