import Backprop
import BackpropReports
import Foundation

/// `backprop train --config FILE [--data DIR] [--download] [--out DIR] [--seed N] [--quiet]`.
enum TrainCommand {
    static let interface = CommandInterface(
        name: "train",
        abstract: "train one experiment from a JSON file and write its report",
        discussion: """
            Trains the experiment described by FILE (see Examples/configs/) and writes a run directory with
            history.csv, metrics.json, the parameters as .npy files, SVG charts and report.html. Prints the run
            directory when it ends. Exit status: 0 when training ended, 3 when it diverged (its loss or
            parameters stopped being finite; the report is still written), 1 when it could not run, 64 for
            a wrong command line.
            """,
        arguments: [
            .option("config", value: "FILE", help: "the experiment (JSON; see Examples/configs/)", required: true),
            .option("data", value: "DIR", help: """
                where the data set is (default: the file's data.directory, $BACKPROP_DATA, or
                data/cifar-10-batches-bin)
                """),
            .flag("download", help: """
                if CIFAR-10 is not there, download it (162 MB), check its MD5 and unpack it
                next to the --data folder (by default into data/); a cifar-10-binary.tar.gz
                already there is checked and unpacked instead (for offline machines)
                """),
            .option("out", value: "DIR", help: "where run directories go", default: "runs"),
            .option("seed", value: "N", help: "overrides the file's seed"),
            .flag("quiet", help: "no progress line"),
        ])

    /// The command, building experiments with `registries`.
    static func subcommand(registries: PluginRegistries) -> Subcommand {
        Subcommand(interface) { try run($0, registries: registries) }
    }

    static func run(_ args: ParsedArguments, registries: PluginRegistries) throws {
        // Every option is read before any work, so that a mistyped one fails at once.
        let path = try args.required("config", as: URL.self)
        let seed = try args.value("seed", as: UInt64.self)
        let data = try args.value("data", as: String.self)
        let out = try args.required("out", as: URL.self)
        var config = try ExperimentConfig(contentsOf: path, registries: registries)
        if let seed { config.override(seed: seed) }
        let (splits, standardizer) = try ExperimentSession.loadData(config.data, override: data, download: args.flag("download"))
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }
        let (result, directory) = try ExperimentSession.run(
            config, splits: splits, standardizer: standardizer,
            outputBase: out, quiet: args.flag("quiet"))
        if let stop = result.history.stop, !stop.reason.diverged {
            print("stopped after \(stop.step) of \(result.totalSteps) steps: \(stop.reason.message)")
        }
        for note in result.history.notes { print(note) }
        print(String(format: "accuracy: train %.2f%%, validation %.2f%%, test %.2f%% (final cost %.4f, %.1f s)",
                     100 * result.train.accuracy, 100 * result.validation.accuracy, 100 * result.test.accuracy,
                     result.train.cost, result.seconds))
        print(directory.path)
        if let stop = result.history.stop, stop.reason.diverged {
            // The report is written; the status says the run is not a trained model.
            throw CLIError.diverged("training diverged at step \(stop.step) of \(result.totalSteps) "
                + "(\(stop.reason.message)); the report in \(directory.path) shows the run up to there")
        }
    }
}
