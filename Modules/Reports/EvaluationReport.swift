import BackpropRegistry
import Foundation

/// Writes what `backprop evaluate` found: `evaluation.json`, `per_class.csv`, `confusion.csv` and
/// `evaluation.html` (a coloured confusion matrix with class names on both axes), and for an ensemble
/// `members.csv` comparing each member with the ensemble.
///
/// Semantics:
/// - The last evaluation is the headline (the ensemble, when there are several); the per-class files
///   and the matrix are its. `evaluation.json` holds every evaluation, the headline last.
/// - Every file is written atomically.
public enum EvaluationReport {
    public static func write(_ evaluations: [ModelEvaluation], split: String, to directory: URL) throws {
        guard let headline = evaluations.last else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let json: JSONValue = ["split": .string(split), "evaluations": .array(evaluations.map(\.json))]
        try AtomicFile.write(json.prettyJSONText + "\n", to: directory.appendingPathComponent("evaluation.json"))
        try headline.perClassTable.write(to: directory.appendingPathComponent("per_class.csv"))
        try headline.confusionTable.write(to: directory.appendingPathComponent("confusion.csv"))
        if evaluations.count > 1 { try membersTable(evaluations).write(to: directory.appendingPathComponent("members.csv")) }

        var html = HTMLReport(title: "Evaluation of \(headline.name) on the \(split) split")
        html.addKeyValues([
            ("examples", "\(headline.confusion.total)"), ("accuracy", String(format: "%.2f%%", 100 * headline.accuracy)),
            ("loss", String(format: "%.4f", headline.loss)),
        ])
        if evaluations.count > 1 { html.addTable(membersTable(evaluations), caption: "Members and ensemble", significantDigits: 4) }
        html.addHeading("Confusion matrix")
        html.addSVG(headline.confusion.svg(classNames: headline.classNames),
                    caption: "Rows are true classes, columns predicted classes; shade is the share of the row")
        html.addTable(headline.perClassTable, caption: "Per class", significantDigits: 4)
        try html.write(to: directory.appendingPathComponent("evaluation.html"))
    }

    /// Accuracy and loss of each evaluation, one row each.
    static func membersTable(_ evaluations: [ModelEvaluation]) -> CSVTable {
        var table = CSVTable(columns: ["model", "accuracy", "loss"])
        for e in evaluations { table.append([.text(e.name), .number(e.accuracy), .number(e.loss)]) }
        return table
    }
}
