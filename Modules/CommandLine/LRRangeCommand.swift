import Backprop
import BackpropReports
import Foundation

/// `backprop lr-range --config FILE [--ramp exponential|linear] [--eta-min X] [--eta-max X]
/// [--steps N | --epochs E] [--evaluations N] [--train]`: the learning-rate range test of an experiment.
enum LRRangeCommand {
    static let interface = CommandInterface(
        name: "lr-range",
        abstract: "the learning-rate range test: suggest η_min and η_max, and optionally train with them",
        discussion: """
            Trains the experiment of FILE (its model, data, regularisers, optimiser and batch size; not its
            schedule) while the learning rate rises from --eta-min to --eta-max, evaluating --evaluations
            times, until the loss has risen to 4 × its lowest: the test's normal end. Writes a run directory
            with lr_range.html, lr_range.json and the curves against the rate, and prints two suggested
            ranges: the accuracy rule (where accuracy has made 10% and 90% of its rise) and fastai's loss
            rule (the rate of the lowest loss ÷ 10, and that ÷ 25). With --train it then trains FILE with
            its schedule's eta_min and eta_max set to the first suggestion, and prints that run's directory.
            """,
        arguments: [
            .option("config", value: "FILE", help: "the experiment (JSON; see Examples/configs/)", required: true),
            .option("data", value: "DIR", help: "where the data set is"),
            .option("out", value: "DIR", help: "where run directories go", default: "runs"),
            .option("ramp", value: "KIND", help: "exponential (equal ratios, log axis) or linear", default: "exponential"),
            .option("eta-min", value: "X", help: "the first rate", default: "1e-5"),
            .option("eta-max", value: "X", help: "the last rate", default: "1"),
            .option("steps", value: "N", help: "updates of the test (default: --epochs)"),
            .option("epochs", value: "E", help: "epochs of the test", default: "2"),
            .option("evaluations", value: "N", help: "points of the curves", default: "100"),
            .option("seed", value: "N", help: "overrides the file's seed"),
            .flag("train", help: "then train FILE with the suggested range"),
            .flag("quiet", help: "no progress line"),
        ])

    static func subcommand(registries: PluginRegistries) -> Subcommand {
        Subcommand(interface) { try run($0, registries: registries) }
    }

    static func run(_ args: ParsedArguments, registries: PluginRegistries) throws {
        let path = try args.required("config", as: URL.self)
        let data = try args.value("data", as: String.self)
        let out = try args.required("out", as: URL.self)
        let ramp = try args.choice("ramp", as: LRRangeTest.Ramp.self) ?? .exponential
        let low = try args.required("eta-min", as: Double.self, where: { $0 >= 0 && $0.isFinite }, must: "be a finite rate ≥ 0")
        let high = try args.required("eta-max", as: Double.self, where: { $0 > 0 && $0.isFinite }, must: "be a finite rate > 0")
        let steps = try args.value("steps", as: Int.self, where: { $0 >= 2 }, must: "be at least 2")
        let epochs = try args.required("epochs", as: Double.self, where: { $0 > 0 && $0.isFinite }, must: "be above 0")
        let evaluations = try args.required("evaluations", as: Int.self, where: { $0 >= 3 }, must: "be at least 3")
        let seed = try args.value("seed", as: UInt64.self)
        let progress: ProgressReporter.Style = args.flag("quiet") ? .none : .automatic
        let test = LRRangeTest(ramp: ramp, minRate: low, maxRate: high, length: steps.map(StepCount.steps) ?? .epochs(epochs),
                               evaluations: evaluations)
        do { try test.validate() } catch let ConfigurationError.invalidValue(path, reason) {
            throw args.interface.usageError("--\(path.replacingOccurrences(of: "_", with: "-")) \(reason).")
        }

        var config = try ExperimentConfig(contentsOf: path, registries: registries)
        if let seed { config.override(seed: seed) }
        let (splits, standardizer) = try ExperimentSession.loadData(config.data, override: data)
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }
        let (result, directory): (RunResult, URL)
        switch config.precision {
        case .float32:
            (result, directory) = try ExperimentSession.run(
                test.experiment(config.experiment(splits: splits, standardizer: standardizer, as: Float.self)),
                outputBase: out, progress: progress)
        case .float64:
            (result, directory) = try ExperimentSession.run(
                test.experiment(config.experiment(splits: splits, standardizer: standardizer, as: Double.self)),
                outputBase: out, progress: progress)
        }
        let analysis = test.analysis(of: result)
        try LRRangeReport.write(analysis, of: test, result: result, to: directory)
        if let stop = result.history.stop { print("ended after \(stop.step) of \(result.totalSteps) updates: \(stop.reason.message)") }
        for suggestion in analysis.suggestions {
            print(String(format: "%@ rule: eta_min %.3e, eta_max %.3e (%@)", suggestion.rule, suggestion.minRate,
                         suggestion.maxRate, suggestion.explanation))
        }
        print(directory.appendingPathComponent("lr_range.html").path)
        guard args.flag("train") else { return }
        guard let chosen = analysis.suggestions.first else {
            throw CLIError.failed("neither rule suggested a range (see \(directory.path)/lr_range.html); nothing to train")
        }
        let trained = try ExperimentConfig(json: withRange(config.json, chosen), registries: registries)
        print(String(format: "training %@ with eta_min %.3e, eta_max %.3e (%@ rule)", trained.name, chosen.minRate,
                     chosen.maxRate, chosen.rule))
        let (final, finalDirectory) = try ExperimentSession.run(
            trained, splits: splits, standardizer: standardizer, outputBase: out, progress: progress)
        print(TrainCommand.summary(of: final))
        print(finalDirectory.path)
    }

    /// The experiment document with its schedule's `eta_min` and `eta_max` set to `suggestion`'s.
    ///
    /// - Throws: `ConfigurationError` naming `schedule` when the schedule has no such parameters.
    static func withRange(_ json: JSONValue, _ suggestion: LRRangeAnalysis.Suggestion) throws -> JSONValue {
        guard case .object(var root) = json, case .object(var schedule)? = root["schedule"],
              schedule["eta_min"] != nil, schedule["eta_max"] != nil else {
            throw ConfigurationError.invalidValue(
                path: "schedule", reason: "has no eta_min and eta_max for the suggested range (use a triangular schedule)")
        }
        schedule["eta_min"] = .number(suggestion.minRate)
        schedule["eta_max"] = .number(suggestion.maxRate)
        root["schedule"] = .object(schedule)
        return .object(root)
    }
}
