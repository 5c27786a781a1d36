import Backprop
import BackpropReports
import Foundation

/// `backprop train --config FILE [--data DIR] [--download] [--out DIR] [--seed N] [--quiet]
/// [--progress bar|lines|none] [--checkpoint-every N]`, and `backprop train --resume RUN_DIR [--config FILE] [--data DIR]`.
enum TrainCommand {
    static let interface = CommandInterface(
        name: "train",
        abstract: "train one experiment from a JSON file and write its report",
        discussion: """
            Trains the experiment described by FILE (see Examples/configs/) and writes a run directory with
            history.csv, metrics.json, the parameters as .npy files, SVG charts and report.html. Prints the run
            directory when it ends. While it trains, its state is saved in RUN_DIR/checkpoint every
            --checkpoint-every updates and on SIGINT (Ctrl-C) or SIGTERM; `backprop train --resume RUN_DIR`
            continues a run stopped by a signal or killed outright, and ends with the files of a run never
            stopped, bit for bit. It refuses a --config or data other than the run's, saying what differs.
            Exit status: 0 when training ended, 3 when it diverged (its loss or parameters stopped being
            finite; the report is still written), 130 or 143 when SIGINT or SIGTERM paused it (its state is
            saved), 1 when it could not run, 64 for a wrong command line.
            """,
        arguments: [
            .option("config", value: "FILE", help: """
                the experiment (JSON; see Examples/configs/); with --resume, the run's own is used
                when it is left out, and a different one is refused
                """),
            .option("resume", value: "RUN_DIR", help: "continue the run in RUN_DIR from its checkpoint"),
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
            .option("checkpoint-every", value: "N", help: "updates between two saved states (0: only on a signal)",
                    default: String(ExperimentSession.defaultCheckpointInterval)),
            .option("progress", value: "STYLE", help: """
                bar (one line redrawn), lines (one line per evaluation) or none; default: bar
                on a terminal, lines in a log
                """),
            .flag("quiet", help: "no progress line (--progress none)"),
        ])

    /// The command, building experiments with `registries`.
    static func subcommand(registries: PluginRegistries) -> Subcommand {
        Subcommand(interface) { try run($0, registries: registries) }
    }

    static func run(_ args: ParsedArguments, registries: PluginRegistries) throws {
        // Every option is read before any work, so that a mistyped one fails at once.
        let path = try args.value("config", as: URL.self)
        let resume = try args.value("resume", as: URL.self)
        let seed = try args.value("seed", as: UInt64.self)
        let data = try args.value("data", as: String.self)
        let out = try args.required("out", as: URL.self)
        let interval = try args.required("checkpoint-every", as: Int.self, where: { $0 >= 0 }, must: "be 0 or more")
        let chosen = try args.choice("progress", as: ProgressReporter.Style.self)
        if args.flag("quiet"), let chosen, chosen != .none {
            throw args.interface.usageError("--quiet and --progress \(chosen.rawValue) contradict each other.")
        }
        let progress = args.flag("quiet") ? .none : chosen ?? .automatic
        guard path != nil || resume != nil else {
            throw args.interface.usageError("give the experiment with --config FILE, or a run to continue with --resume RUN_DIR.")
        }
        var config: ExperimentConfig
        if let path {
            config = try ExperimentConfig(contentsOf: path, registries: registries)
        } else {
            // The run's own configuration, as its checkpoint recorded it.
            let directory = resume!
            guard let identity = try ExperimentSession.checkpoint(of: directory).savedIdentity() else {
                throw ExperimentSession.noCheckpoint(in: directory)
            }
            config = try ExperimentConfig(json: identity.configuration, registries: registries)
        }
        if let seed { config.override(seed: seed) }
        let (splits, standardizer) = try ExperimentSession.loadData(config.data, override: data, download: args.flag("download"))
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }
        let experiment = try config.experiment(splits: splits, standardizer: standardizer)
        let (result, directory): (RunResult, URL)
        if let resume {
            print("resuming \(resume.path)")
            (result, directory) = try ExperimentSession.resume(
                experiment, in: resume, progress: progress, checkpointEvery: interval)
        } else {
            (result, directory) = try ExperimentSession.run(
                experiment, outputBase: out, progress: progress, checkpointEvery: interval)
        }
        print(summary(of: result))
        print(directory.path)
        if let stop = result.history.stop, stop.reason.diverged {
            // The report is written; the status says the run is not a trained model.
            throw CLIError.diverged("training diverged at step \(stop.step) of \(result.totalSteps) "
                + "(\(stop.reason.message)); the report in \(directory.path) shows the run up to there")
        }
    }

    /// What the run ended with: an early stop, the observers' notes and the final figures.
    static func summary(of result: RunResult) -> String {
        var lines: [String] = []
        if let stop = result.history.stop, !stop.reason.diverged {
            lines.append("stopped after \(stop.step) of \(result.totalSteps) steps: \(stop.reason.message)")
        }
        lines += result.history.notes
        let cost = result.history.divergedAtStep.map { "diverged at step \($0)" }
            ?? String(format: "final cost %.4f", result.train.cost)
        lines.append(String(format: "accuracy: train %.2f%%, validation %.2f%%, test %.2f%% (%@, %.1f s)",
                            100 * result.train.accuracy, 100 * result.validation.accuracy, 100 * result.test.accuracy,
                            cost, result.seconds))
        return lines.joined(separator: "\n")
    }
}
