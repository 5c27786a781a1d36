import Backprop
import BackpropCommandLine
import BackpropReports
import Foundation

/// The bonus of DD2424 Assignment 2 as one course report did it (seed report 002), each figure beside
/// the report's, then the best fully connected recipe Backprop has found.
///
/// In order: the LR range test (η rising linearly from 1e-5 to 1) for networks of 80 and 40 hidden nodes,
/// with the ranges both rules suggest; each network trained with its suggested range; the report's 120- and
/// 140-node models (batch 500, momentum, noise on 10% of each batch, dropout); a random search over all of
/// these at once (`Examples/configs/cifar-random-search.json`); and the recipe of
/// `Examples/configs/cifar-best-mlp.json`, with its training time. Writes every run directory and one
/// report.
///
///     swift run -c release ImprovedMLP --data DIR [--out DIR] [--best FILE] [--search FILE] [--quick]
@main
enum ImprovedMLP {
    static let interface = CommandInterface(
        name: "ImprovedMLP",
        abstract: "The Assignment 2 bonus: LR range tests, wider networks with the report's improvements, the best MLP.",
        discussion: """
            In order: LR range tests (η from 1e-5 to 1, linear) for 80 and 40 hidden nodes with their suggested
            ranges; training with those ranges; the report's 120- and 140-node models; a random search over all
            of these (--search, a search file); and the best recipe (--best, a config file), with its training
            time. Writes every run directory under
            OUT/improved-mlp-…/ and one report with the course report's figures beside Backprop's.
            """,
        arguments: [
            .option("data", value: "DIR", help: "where CIFAR-10 is (default: data/cifar-10-batches-bin or $BACKPROP_DATA)"),
            .option("out", value: "DIR", help: "where the report's directory goes", default: "runs"),
            .option("best", value: "FILE", help: "the best recipe", default: "Examples/configs/cifar-best-mlp.json"),
            .option("search", value: "FILE", help: "the random search", default: "Examples/configs/cifar-random-search.json"),
            .option("seed", value: "N", help: "random seed of the shuffles and the weights", default: "42"),
            .flag("quick", help: "shrink every stage, keeping the structure (for tests and a first look)"),
            .flag("quiet", help: "no progress line"),
        ],
        version: BackpropVersion.current)

    static func main() {
        runProgram { try run($0) }
    }

    /// The report's λ for every bonus model.
    static let lambda = 0.00599464
    /// All five batches less 5,000 for validation, as the report.
    static let data: JSONValue = ["kind": "cifar10", "split": "all", "validation": 5000]

    /// A network of `hidden` ReLU nodes on the report's data, with its λ and the given training.
    static func experiment(
        name: String, hidden: Int, schedule: JSONValue, batch: Int = 100, epochs: Int? = nil, momentum: Double = 0,
        dropout: Double? = nil, noise: Bool = false, seed: UInt64
    ) -> JSONValue {
        var training: [String: JSONValue] = ["batch_size": .number(Double(batch))]
        if let epochs { training["epochs"] = .number(Double(epochs)) }
        if momentum > 0 { training["momentum"] = .number(momentum); training["momentum_convention"] = "course" }
        var regularizers: [JSONValue] = [["name": "l2", "lambda": .number(lambda)]]
        if let dropout { regularizers.append(["name": "dropout", "rate": .number(dropout)]) }
        var json: [String: JSONValue] = [
            "name": .string(name), "seed": .number(Double(seed)), "data": data,
            "model": ["hidden": [.number(Double(hidden))], "initializer": "lecun_normal"],
            "training": .object(training), "schedule": schedule, "regularizers": .array(regularizers),
            "evaluation": ["times": 20],
        ]
        if noise { json["augmentations"] = [["name": "gaussian_noise", "variance": 1e-4, "fraction": 0.1]] }
        return .object(json)
    }

    static func run(_ arguments: [String]) throws {
        let options = try interface.parse(arguments)
        let seed = try options.required("seed", as: UInt64.self)
        let out = try options.required("out", as: URL.self)
        let dataOverride = try options.value("data", as: String.self)
        let bestFile = try options.required("best", as: URL.self)
        let quick = options.flag("quick")
        let progress: ProgressReporter.Style = options.flag("quiet") ? .none : .automatic
        // The best recipe is read first, so that a wrong path fails before an hour of training.
        var best = try ExperimentConfig(contentsOf: bestFile)
        let searchFile = try options.required("search", as: URL.self)
        var searchJSON = try JSONValue(contentsOf: searchFile)
        if quick {
            // Three trials of ten updates each, whatever the file says.
            searchJSON = try searchJSON.setting(3, at: "trials").setting(10, at: "experiment.training.steps")
        }
        let search = try RandomSearchConfig(json: searchJSON)
        let base = try RunDirectory.create(under: out, name: "improved-mlp")
        var report = ImprovedMLPReport(directory: base)

        let probe = try ExperimentConfig(json: experiment(name: "probe", hidden: 80, schedule: ["name": "constant", "eta": 0.01], epochs: 1,
                                                          seed: seed))
        let (splits, standardizer) = try ExperimentSession.loadData(probe.data, override: dataOverride)
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }
        report.dataNotes += splits.notes

        // 1–2. The range test for 80 and 40 nodes, then each trained with its suggested range.
        let test = LRRangeTest(ramp: .linear, minRate: 1e-5, maxRate: 1, length: .epochs(quick ? 0.5 : 4),
                               evaluations: quick ? 15 : 100)
        for (hidden, epochs, reported) in [(80, 48, ImprovedMLPReport.Reported.nodes80),
                                           (40, 60, ImprovedMLPReport.Reported.nodes40)] {
            let config = try ExperimentConfig(json: experiment(
                name: "bonus-\(hidden)-nodes", hidden: hidden, schedule: ["name": "constant", "eta": 0.01], epochs: 1, seed: seed))
            let experiment = try config.experiment(splits: splits, standardizer: standardizer, as: Float.self)
            let (testResult, testDirectory) = try ExperimentSession.run(test.experiment(experiment), outputBase: base,
                                                                       progress: progress)
            let analysis = test.analysis(of: testResult)
            try LRRangeReport.write(analysis, of: test, result: testResult, to: testDirectory)
            guard let range = analysis.suggestions.first else {
                throw CLIError.failed("the range test of \(hidden) nodes suggested no range; see \(testDirectory.path)/lr_range.html")
            }
            print(String(format: "%d nodes: LR range test suggests %.3e – %.3e (%@ rule; the report chose %.3e – %.3e)",
                         hidden, range.minRate, range.maxRate, range.rule, reported.range.0, reported.range.1))
            let trained = try ExperimentConfig(json: Self.experiment(
                name: "bonus-\(hidden)-nodes-tuned", hidden: hidden,
                schedule: quick
                    ? ["name": "triangular", "eta_min": .number(range.minRate), "eta_max": .number(range.maxRate),
                       "step_size": 10, "cycles": 1]
                    : ["name": "triangular", "eta_min": .number(range.minRate), "eta_max": .number(range.maxRate),
                       "step_size_epochs": 2, "cycles": .number(Double(epochs / 4))],
                seed: seed))
            let run = try ExperimentSession.run(trained, splits: splits, standardizer: standardizer, outputBase: base,
                                                progress: progress)
            print(String(format: "%d nodes, tuned: test accuracy %.2f%% (report %.2f%%)", hidden,
                         100 * run.0.test.accuracy, 100 * reported.testAccuracy))
            report.rangeTests.append((hidden, analysis, testDirectory, reported))
            report.add(run, label: "\(hidden) nodes, suggested range, \(quick ? 1 : epochs) epochs", reported: reported.testAccuracy)
        }

        // 3. The report's wider models: batch 500, n_s = 1000 steps, momentum 0.97 (its convention), noise on
        // 10% of each batch (variance 1e-4), dropout, 100 epochs.
        for (hidden, reported) in [(120, 0.5534), (140, 0.5567)] {
            let config = try ExperimentConfig(json: experiment(
                name: "bonus-\(hidden)-nodes-improved", hidden: hidden,
                schedule: ["name": "triangular", "eta_min": 0.000262144, "eta_max": 0.067108864,
                           "step_size": quick ? 10 : 1000, "cycles": 5],
                batch: 500, epochs: quick ? 2 : 100, momentum: 0.97, dropout: 0.1, noise: true, seed: seed))
            let run = try ExperimentSession.run(config, splits: splits, standardizer: standardizer, outputBase: base,
                                                progress: progress)
            print(String(format: "%d nodes, improvements: test accuracy %.2f%% (report %.2f%%)", hidden,
                         100 * run.0.test.accuracy, 100 * reported))
            report.add(run, label: "\(hidden) nodes, batch 500, momentum, noise, dropout", reported: reported)
        }

        // 4. A random search over all of these at once (the report's last step), on its own data split.
        let (searchSplits, searchStandardizer) = try ExperimentSession.loadData(search.experiment.data, override: dataOverride)
        report.dataNotes += searchSplits.notes
        let session = try SearchSession(config: search, base: base, splits: searchSplits, standardizer: searchStandardizer)
        try session.run(.all)
        if let top = session.ranking.first {
            print(String(format: "random search: best trial %@ (%@), validation %.2f%%, test %.2f%%", top.trial.id,
                         session.describe(top.trial), 100 * top.validationAccuracy, 100 * top.testAccuracy))
        }
        report.search = session

        // 5. The best recipe, on its own data split, timed.
        if quick { best = try best.shortened(toSteps: 20) }
        let (bestSplits, bestStandardizer) = try ExperimentSession.loadData(best.data, override: dataOverride)
        report.dataNotes += bestSplits.notes
        let start = Date()
        let bestRun = try ExperimentSession.run(best, splits: bestSplits, standardizer: bestStandardizer, outputBase: base,
                                                progress: progress)
        report.bestSeconds = Date().timeIntervalSince(start)
        print(String(format: "best recipe (%@): test accuracy %.2f%% in %.0f s of training", best.name,
                     100 * bestRun.0.test.accuracy, bestRun.0.seconds))
        report.add(bestRun, label: "Best recipe: \(bestFile.lastPathComponent)", reported: nil)
        try report.write()
        print(base.appendingPathComponent("report.html").path)
    }
}

extension ExperimentConfig {
    /// The same experiment trained for `steps` updates whatever the file says (the quick mode's shortcut).
    func shortened(toSteps steps: Int) throws -> ExperimentConfig {
        guard case .object(var root) = json else { return self }
        var training: [String: JSONValue] = [:]
        if case .object(let given)? = root["training"] { training = given }
        training["steps"] = .number(Double(steps))
        training["epochs"] = nil
        root["training"] = .object(training)
        return try ExperimentConfig(json: .object(root))
    }
}
