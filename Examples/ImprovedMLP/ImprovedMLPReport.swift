import Backprop
import BackpropCommandLine
import BackpropReports
import Foundation

/// The one report of the bonus: the range tests with both rules' ranges beside the report's choice,
/// every trained model beside the report's test accuracy, and each run's curves.
struct ImprovedMLPReport {
    /// What the course report (seed 002) chose and measured for a network of its bonus.
    struct Reported {
        var range: (Double, Double)
        var testAccuracy: Double

        static let nodes80 = Reported(range: (0.000262144, 0.067108864), testAccuracy: 0.5206)
        static let nodes40 = Reported(range: (0.004782, 0.12914), testAccuracy: 0.5069)
    }

    let directory: URL
    var rangeTests: [(hidden: Int, analysis: LRRangeAnalysis, directory: URL, reported: Reported)] = []
    var runs: [(label: String, result: RunResult, directory: URL, reported: Double?)] = []
    var bestSeconds = 0.0
    /// The random search over all of the bonus's settings.
    var search: SearchSession?
    var dataNotes: [String] = []

    mutating func add(_ run: (RunResult, URL), label: String, reported: Double?) {
        runs.append((label, run.0, run.1, reported))
    }

    func summaryTable() -> CSVTable {
        var table = CSVTable(columns: ["run", "train_images", "train_accuracy", "validation_accuracy", "test_accuracy",
                                       "course_report_test_accuracy", "seconds", "directory"])
        for run in runs {
            table.append([.text(run.label), .integer(run.result.trainCount), .number(run.result.train.accuracy),
                          .number(run.result.validation.accuracy), .number(run.result.test.accuracy),
                          run.reported.map(CSVTable.Cell.number) ?? .empty, .number((run.result.seconds * 10).rounded() / 10),
                          .text(run.directory.lastPathComponent)])
        }
        return table
    }

    func rangeTable() -> CSVTable {
        var table = CSVTable(columns: ["hidden_nodes", "rule", "eta_min", "eta_max", "report_eta_min", "report_eta_max"])
        for test in rangeTests {
            for suggestion in test.analysis.suggestions {
                table.append([.integer(test.hidden), .text(suggestion.rule), .number(suggestion.minRate),
                              .number(suggestion.maxRate), .number(test.reported.range.0), .number(test.reported.range.1)])
            }
        }
        return table
    }

    /// The search's trials for the page: each parameter under the last part of its key path
    /// (`regularizers[0].lambda` → `lambda`), then the two accuracies; narrower than `search.csv`.
    func trialTable(_ search: SearchSession) -> CSVTable {
        let names = search.search.dimensions.map(\.name)
        var table = CSVTable(columns: ["trial"] + names.map { String($0.split(separator: ".").last ?? Substring($0)) }
            + ["validation", "test"])
        for outcome in search.ranking {
            table.append([.text(outcome.trial.id)] + names.map { SearchSession.cell(outcome.trial.parameters[$0]) }
                + [.number(outcome.validationAccuracy), .number(outcome.testAccuracy)])
        }
        return table
    }

    func write() throws {
        let summary = summaryTable()
        try summary.write(to: directory.appendingPathComponent("results.csv"))
        try AtomicFile.write(summary.markdown(significantDigits: 4), to: directory.appendingPathComponent("results.md"))
        try rangeTable().write(to: directory.appendingPathComponent("lr_ranges.csv"))

        var html = HTMLReport(title: "Beyond Assignment 2: LR range tests, wider networks, the best MLP")
        html.addParagraph("The bonus of course report 002: LR range tests (η from 1e-5 to 1, linear) for 80 and 40 hidden "
            + "nodes, training with the suggested ranges, and 120- and 140-node models with batch 500, momentum 0.97, "
            + "noise on 10% of each batch and dropout, λ = \(ImprovedMLP.lambda). Then the best fully connected recipe "
            + String(format: "Backprop has found, trained in %.0f s.", bestSeconds))
        for note in Set(dataNotes).sorted() { html.addParagraph("Data note: \(note)") }
        html.addTable(summary, caption: "Every run against the course report", significantDigits: 4,
                      rowLinks: runs.map { $0.directory.lastPathComponent + "/report.html" })
        html.addHeading("LR range tests")
        html.addTable(rangeTable(), caption: "Suggested ranges against the report's choice", significantDigits: 4)
        for test in rangeTests {
            html.addHeading("\(test.hidden) hidden nodes", level: 3)
            html.addImage(relativePath: test.directory.lastPathComponent + "/lr_range_accuracy.svg",
                          caption: "Accuracy against η; the full test: \(test.directory.lastPathComponent)/lr_range.html")
        }
        if let search {
            html.addHeading("Random search over all of these")
            html.addParagraph("\(search.ranking.count) trials, each drawing λ, η_max, width, depth, dropout, the noisy "
                + "fraction of each batch and the batch size from its own distribution (\(search.search.name)); "
                + "scored on the validation set. Each line of the chart is a trial, coloured by its validation accuracy.")
            html.addSVG(search.chartSVG(width: 760, height: 420))
            html.addTable(trialTable(search), caption: "Trials, best first (every column: \(search.directory.lastPathComponent)/search.csv)",
                          significantDigits: 4,
                          rowLinks: search.ranking.map { "\(search.directory.lastPathComponent)/\($0.trial.stage)/\($0.trial.id)/report.html" })
        }
        for run in runs {
            html.addHeading(run.label)
            RunReport.addSummary(of: run.result, to: &html, assetPrefix: run.directory.lastPathComponent + "/", dataNotes: false)
        }
        try html.write(to: directory.appendingPathComponent("report.html"))
    }
}
