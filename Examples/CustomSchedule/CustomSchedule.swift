import Backprop
import BackpropCommandLine
import BackpropReports
import Foundation

/// Adds a schedule of one's own to Backprop and trains with it by name from a JSON experiment.
///
/// The schedule is `CosineRestartsSchedule` (SGDR, in its own file); one line registers it on a copy of
/// the standard registries, and the experiment below names it like any built-in. Without `--data` the
/// example trains on Gaussian blobs made in code, so it runs anywhere; with `--data DIR` it trains on
/// CIFAR-10 (data_batch_1, validated on data_batch_2, tested on test_batch). The run directory's
/// `learning_rate.svg` shows the restarts. `--preview N` prints the schedule's first N rates as CSV
/// instead of training.
///
///     swift run CustomSchedule [--data DIR] [--out DIR] [--seed N] [--quiet] [--preview N]
@main
enum CustomSchedule {
    /// The experiment, as it would be written in a file. Three periods of 100, 200 and 400 steps set
    /// the length of training (700 steps: 35 epochs of the blobs, 7 of CIFAR-10's batch 1). `data`
    /// is read only with `--data`.
    static let experiment = """
        {
          "name": "sgdr",
          "seed": 42,
          "data": {"kind": "cifar10", "split": "batch1"},
          "model": {"hidden": [50]},
          "training": {"batch_size": 100},
          "schedule": {"name": "cosine_restarts", "eta_min": 1e-4, "eta_max": 0.1,
                       "period": 100, "period_factor": 2, "cycles": 3},
          "regularizers": [{"name": "l2", "lambda": 0.001}],
          "evaluation": {"every": 20}
        }
        """

    /// The standard plug-ins plus ours: the one line that makes `"cosine_restarts"` a schedule name.
    static var registries: PluginRegistries {
        var registries = PluginRegistries.standard
        registries.schedules.register("cosine_restarts") { try CosineRestartsSchedule(options: &$0) }
        return registries
    }

    static let interface = CommandInterface(
        name: "CustomSchedule",
        abstract: "Train with a schedule of one's own (cosine annealing with warm restarts), named in a JSON experiment.",
        discussion: """
            Without --data it trains on Gaussian blobs made in code, so it runs anywhere; with --data it trains on
            CIFAR-10 (data_batch_1, validated on data_batch_2, tested on test_batch). The run directory's
            learning_rate.svg shows the restarts.
            """,
        arguments: [
            .option("data", value: "DIR", help: "train on CIFAR-10 from DIR instead of the Gaussian blobs"),
            .option("out", value: "DIR", help: "where the run directory goes", default: "runs"),
            .option("seed", value: "N", help: "overrides the experiment's seed (42)"),
            .option("preview", value: "N", help: "print the schedule's first N rates as CSV instead of training"),
            .flag("quiet", help: "no progress line"),
        ],
        version: BackpropVersion.current)

    static func main() {
        runProgram { try run($0) }
    }

    /// Runs the example with command-line `arguments`; returns the run and its directory, or nil for
    /// `--preview`.
    ///
    /// - Throws: ``CleanExit`` for `--help` and `--version`, ``CLIError`` for a wrong command line.
    @discardableResult
    static func run(_ arguments: [String]) throws -> (result: RunResult, directory: URL)? {
        let options = try interface.parse(arguments)
        let seed = try options.value("seed", as: UInt64.self)
        let preview = try options.value("preview", as: Int.self, where: { $0 >= 1 }, must: "be a positive number of steps")
        let data = try options.value("data", as: String.self)
        let out = try options.required("out", as: URL.self)
        let registries = self.registries
        var config = try ExperimentConfig(json: JSONValue(parsing: experiment, source: "CustomSchedule.experiment"),
                                          registries: registries)
        if let seed { config.override(seed: seed) }

        if let steps = preview {
            let schedule = try config.schedule.schedule(batchesPerEpoch: 1)
            try checkScheduleTableSize(steps: steps, path: "--preview")
            print(scheduleCSV(schedule, steps: steps), terminator: "")
            return nil
        }

        let (splits, standardizer) = try data.map { try ExperimentSession.loadData(config.data, override: $0) }
            ?? gaussianBlobs(seed: config.seed).standardized()
        print("data: \(splits)")
        var result = try config.experiment(splits: splits, standardizer: standardizer).run(quiet: options.flag("quiet"))
        if data == nil {
            result.dataSummary = "synthetic: 10 Gaussian blobs in 64 dimensions (the experiment's data entry applies to --data)"
        }
        let directory = try RunDirectory.create(under: out, name: config.name)
        try RunReport.write(result, to: directory)

        print("schedule: \(result.scheduleDescription), \(result.totalSteps) steps")
        print(String(format: "accuracy: train %.2f%%, validation %.2f%%, test %.2f%% (%.1f s)", 100 * result.train.accuracy,
                     100 * result.validation.accuracy, 100 * result.test.accuracy, result.seconds))
        print("run: \(directory.path)")
        return (result, directory)
    }
}
