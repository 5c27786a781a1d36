import Backprop
import BackpropCommandLine
import BackpropReports
import Foundation

/// Assignment 1 of DD2424: a softmax linear classifier on CIFAR-10, four settings of (λ, η).
///
/// Trains on data_batch_1, validates on data_batch_2 and tests on test_batch, 40 epochs of mini-batches
/// of 100, W ~ N(0, 0.01²). Writes one run directory per experiment and one report with the table of
/// test accuracies, the curves and the class templates.
///
///     swift run -c release Assignment1 --data DIR [--download] [--out DIR] [--epochs N] [--parallel N] [--quiet]
///
/// `Assignment1 --help` lists every option (``interface``).
@main
enum Assignment1 {
    struct Experiment: Sendable {
        var label: String
        var lambda: Double
        var eta: Double
        /// The test accuracy in the course report (003_*), on the full data set.
        var reported: Double
    }

    static let experiments = [
        Experiment(label: "A", lambda: 0, eta: 0.1, reported: 0.2833),
        Experiment(label: "B", lambda: 0, eta: 0.01, reported: 0.3473),
        Experiment(label: "C", lambda: 0.1, eta: 0.01, reported: 0.3188),
        Experiment(label: "D", lambda: 1, eta: 0.01, reported: 0.2676),
    ]

    static func config(_ e: Experiment, epochs: Int, seed: UInt64) -> JSONValue {
        [
            "name": .string("a1-\(e.label)-lambda\(e.lambda)-eta\(e.eta)"),
            "seed": .number(Double(seed)),
            "data": ["kind": "cifar10", "split": "batch1"],
            "model": ["hidden": [], "initializer": ["name": "normal", "std": 0.01]],
            "training": ["batch_size": 100, "epochs": .number(Double(epochs)), "shuffle": true],
            "schedule": ["name": "constant", "eta": .number(e.eta)],
            "regularizers": e.lambda > 0 ? [["name": "l2", "lambda": .number(e.lambda)]] : [],
        ]
    }

    static let interface = CommandInterface(
        name: "Assignment1",
        abstract: "DD2424 Assignment 1: a softmax linear classifier on CIFAR-10, four settings of (λ, η), one report.",
        discussion: """
            Trains on data_batch_1, validates on data_batch_2 and tests on test_batch, with mini-batches of 100
            and W ~ N(0, 0.01²). Writes one run directory per experiment under OUT/assignment1-…/ and one report
            (report.html, results.csv, results.md); prints the report's path.
            """,
        arguments: [
            .option("data", value: "DIR", help: "where CIFAR-10 is (default: data/cifar-10-batches-bin or $BACKPROP_DATA)"),
            .flag("download", help: "if CIFAR-10 is not there, download it (162 MB), check its MD5 and unpack it"),
            .option("out", value: "DIR", help: "where the report's directory goes", default: "runs"),
            .option("epochs", value: "N", help: "epochs per experiment", default: "40"),
            .option("seed", value: "N", help: "random seed of the shuffles and the weights", default: "42"),
            .option("parallel", value: "N", help: "experiments trained at once (above 1, no progress lines)", default: "2"),
            .flag("quiet", help: "no progress line"),
        ],
        version: BackpropVersion.current)

    static func main() {
        runProgram { try run($0) }
    }

    static func run(_ arguments: [String]) throws {
        let options = try interface.parse(arguments)
        let epochs = try options.required("epochs", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
        let seed = try options.required("seed", as: UInt64.self)
        let parallel = try options.required("parallel", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
        let out = try options.required("out", as: URL.self)
        let data = try options.value("data", as: String.self)
        let configs = try experiments.map { try ExperimentConfig(json: config($0, epochs: epochs, seed: seed)) }
        let (splits, standardizer) = try ExperimentSession.loadData(
            configs[0].data, override: data, download: options.flag("download"))
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }

        let base = try RunDirectory.create(under: out, name: "assignment1")
        // Runs side by side would draw over each other's progress line.
        let progress: ProgressReporter.Style = options.flag("quiet") || parallel > 1 ? .none : .automatic
        let outcomes = ParallelWork.map(configs, maxConcurrent: parallel) { config in
            try ExperimentSession.run(config, splits: splits, standardizer: standardizer, outputBase: base, progress: progress)
        }
        var results: [(Experiment, RunResult, URL)] = []
        for (experiment, outcome) in zip(experiments, outcomes) {
            let (result, directory) = try outcome.get()
            results.append((experiment, result, directory))
            print(String(format: "%@: λ=%g η=%g  test accuracy %.2f%% (report: %.2f%%)", experiment.label,
                         experiment.lambda, experiment.eta, 100 * result.test.accuracy, 100 * experiment.reported))
        }
        try writeReport(results, splits: splits, epochs: epochs, to: base)
        print(base.appendingPathComponent("report.html").path)
    }

    static func writeReport(_ results: [(Experiment, RunResult, URL)], splits: DataSplits, epochs: Int, to base: URL) throws {
        var table = CSVTable(columns: ["experiment", "lambda", "eta", "epochs", "train_accuracy",
                                       "validation_accuracy", "test_accuracy", "report_test_accuracy", "run"])
        for (e, r, dir) in results {
            table.append([.text(e.label), .number(e.lambda), .number(e.eta), .integer(epochs),
                          .number(r.train.accuracy), .number(r.validation.accuracy), .number(r.test.accuracy),
                          .number(e.reported), .text(dir.lastPathComponent)])
        }
        try table.write(to: base.appendingPathComponent("results.csv"))
        try AtomicFile.write(table.markdown(significantDigits: 4), to: base.appendingPathComponent("results.md"))

        var report = HTMLReport(title: "Assignment 1: softmax linear classifier on CIFAR-10")
        report.addParagraph("Train on data_batch_1 (\(splits.train.count) images), validate on data_batch_2 "
            + "(\(splits.validation.count)), test on test_batch (\(splits.test.count)); \(epochs) epochs, batches of 100, "
            + "W ~ N(0, 0.01²), cost = loss + λ‖W‖². The course report's figures are on the full data set (10,000 per batch).")
        for note in splits.notes { report.addParagraph("Data note: \(note)") }
        // Rates in scientific notation and accuracies as percentages (HTMLReport's number formats);
        // each row links to its run's report.
        var summary = CSVTable(columns: ["experiment", "lambda", "eta", "test_accuracy", "course_report_test_accuracy"])
        for (e, r, _) in results {
            summary.append([.text(e.label), .number(e.lambda), .number(e.eta), .number(r.test.accuracy), .number(e.reported)])
        }
        report.addTable(summary, caption: "Test accuracy", rowLinks: results.map { $0.2.lastPathComponent + "/report.html" })
        for (e, r, dir) in results {
            report.addHeading("Experiment \(e.label): λ = \(e.lambda), η = \(e.eta)")
            // Its data notes are those at the top.
            RunReport.addSummary(of: r, to: &report, assetPrefix: dir.lastPathComponent + "/", dataNotes: false)
        }
        try report.write(to: base.appendingPathComponent("report.html"))
    }
}
