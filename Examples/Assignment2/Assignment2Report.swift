import Backprop
import BackpropCommandLine
import BackpropReports
import Foundation

/// The one report of Assignment 2: a table of every run against the course's figures, the gradient
/// check, the search table and plot, and each run's curves.
struct Assignment2Report {
    let directory: URL
    var gradientChecks: [GradientCheckSuite.Case] = []
    var runs: [(label: String, result: RunResult, directory: URL, reported: Double?)] = []
    var search: SearchSession?
    var searchSeconds = 0.0
    var dataNotes: [String] = []

    mutating func add(_ run: (RunResult, URL), label: String, reported: Double?) {
        runs.append((label, run.0, run.1, reported))
    }

    /// Each note once: of notes on the same subject (the text before the first ":", such as "partial
    /// CIFAR-10"), from the stages' different loads, the longest, which names the most files.
    static func distinctNotes(_ notes: [String]) -> [String] {
        var bySubject: [String: String] = [:]
        for note in notes {
            let subject = String(note.prefix { $0 != ":" })
            if let kept = bySubject[subject], kept.count >= note.count { continue }
            bySubject[subject] = note
        }
        return bySubject.keys.sorted().compactMap { bySubject[$0] }
    }

    func summaryTable() -> CSVTable {
        var table = CSVTable(columns: ["run", "train_images", "train_accuracy", "validation_accuracy",
                                       "test_accuracy", "course_report_test_accuracy", "directory"])
        for run in runs {
            table.append([.text(run.label), .integer(run.result.trainCount), .number(run.result.train.accuracy),
                          .number(run.result.validation.accuracy), .number(run.result.test.accuracy),
                          run.reported.map(CSVTable.Cell.number) ?? .empty, .text(run.directory.lastPathComponent)])
        }
        return table
    }

    func write() throws {
        let summary = summaryTable()
        try summary.write(to: directory.appendingPathComponent("results.csv"))
        try AtomicFile.write(summary.markdown(significantDigits: 4), to: directory.appendingPathComponent("results.md"))

        var html = HTMLReport(title: "Assignment 2: two-layer network with cyclical learning rates")
        html.addParagraph("Network d → 50 (ReLU) → 10 (softmax), W ~ N(0, 1/fan-in), zero biases, batches of 100, "
            + "cost = loss + λ‖W‖², triangular learning rate between 1e-5 and 1e-1.")
        for note in Self.distinctNotes(dataNotes) { html.addParagraph("Data note: \(note)") }
        // Accuracies as percentages, as in each run's own table; each row links to its run's report.
        html.addTable(summary, caption: "Every run", significantDigits: 4,
                      rowLinks: runs.map { $0.directory.lastPathComponent + "/report.html" })

        html.addHeading("Gradient check (Double, 20 features, 8 examples)")
        html.addTable(headers: ["model", "λ", "parameter", "max relative error", "mean relative error"],
                      rows: gradientChecks.flatMap { c in c.comparisons.map {
                          [c.model, "\(c.lambda)", $0.name, String(format: "%.2e", $0.maxRelativeError), String(format: "%.2e", $0.meanRelativeError)]
                      } })

        if let search {
            html.addHeading("λ search")
            html.addParagraph(String(format: "%d trials in %.0f s, %d at once; each trial's run directory is under %@/.",
                                     search.ranking.count, searchSeconds, search.parallel, search.directory.lastPathComponent))
            html.addSVG(search.chartSVG(width: 700, height: 400))
            html.addTable(search.table(), caption: "Trials, best validation accuracy first", significantDigits: 4)
        }
        for run in runs {
            html.addHeading(run.label)
            // Its data notes are among those at the top.
            RunReport.addSummary(of: run.result, to: &html, assetPrefix: run.directory.lastPathComponent + "/",
                                 dataNotes: false)
        }
        try html.write(to: directory.appendingPathComponent("report.html"))
    }
}
