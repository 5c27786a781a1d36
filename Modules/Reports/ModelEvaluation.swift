import BackpropRegistry
import BackpropTensor
import BackpropTraining
import Foundation

/// What one model (or an ensemble) scored on a labelled data set: accuracy, loss, and the confusion
/// matrix with its per-class precision, recall and accuracy.
///
/// Semantics:
/// - Built from class probabilities: the prediction of a row is its most probable class (the first
///   on a tie), and the loss is the mean of −log p(true class), with p floored at the smallest normal
///   Double so that a certain mistake gives a large finite loss.
public struct ModelEvaluation: Sendable {
    public var name: String
    public var classNames: [String]
    public var accuracy: Double
    public var loss: Double
    public var confusion: ConfusionMatrix

    /// Scores `probabilities` (one row per example, one column per class) against `labels`.
    public init(name: String, probabilities: Tensor<Double>, labels: [Int], classNames: [String]) {
        precondition(probabilities.rows == labels.count && probabilities.columns == classNames.count,
                     "\(probabilities.shape) probabilities for \(labels.count) labels of \(classNames.count) classes")
        let predictions = probabilities.argmaxPerRow()
        let k = classNames.count
        var total = 0.0
        for (row, label) in labels.enumerated() {
            total -= Foundation.log(max(probabilities.scalars[row * k + label], Double.leastNormalMagnitude))
        }
        self.name = name
        self.classNames = classNames
        confusion = ConfusionMatrix(labels: labels, predictions: predictions, classCount: k)
        accuracy = confusion.accuracy ?? .nan
        loss = labels.isEmpty ? .nan : total / Double(labels.count)
    }

    /// One row per class: support, precision, recall and one-against-rest accuracy (empty when undefined).
    public var perClassTable: CSVTable {
        var table = CSVTable(columns: ["class", "support", "precision", "recall", "accuracy"])
        for (c, name) in classNames.enumerated() {
            func cell(_ x: Double?) -> CSVTable.Cell { x.map(CSVTable.Cell.number) ?? .empty }
            table.append([.text(name), .integer(confusion.support(c)), cell(confusion.precision(c)),
                          cell(confusion.recall(c)), cell(confusion.accuracy(c))])
        }
        return table
    }

    /// The confusion matrix with class names: a row per true class, a column per predicted class.
    public var confusionTable: CSVTable {
        var table = CSVTable(columns: ["true \\ predicted"] + classNames)
        for (c, name) in classNames.enumerated() {
            table.append([.text(name)] + confusion.counts[c].map { .integer($0) })
        }
        return table
    }

    /// The figures as JSON (`evaluation.json`).
    public var json: JSONValue {
        func number(_ x: Double?) -> JSONValue { x.map { $0.isFinite ? .number($0) : .null } ?? .null }
        return [
            "name": .string(name), "examples": .number(Double(confusion.total)),
            "accuracy": number(accuracy), "loss": number(loss),
            "classes": .array(classNames.enumerated().map { c, name in
                [
                    "class": .string(name), "support": .number(Double(confusion.support(c))),
                    "precision": number(confusion.precision(c)), "recall": number(confusion.recall(c)),
                    "accuracy": number(confusion.accuracy(c)),
                ]
            }),
            "confusion": .array(confusion.counts.map { .array($0.map { .number(Double($0)) }) }),
        ]
    }
}
