import Backprop
import BackpropReports
import Foundation

/// `backprop train --config FILE [--data DIR] [--download] [--out DIR] [--seed N]`.
enum TrainCommand {
    static let help = """
    USAGE: backprop train --config FILE [--data DIR] [--download] [--out DIR] [--seed N] [--quiet]

    Trains the experiment described by FILE (see Examples/configs/) and writes a run directory with
    history.csv, metrics.json, the parameters as .npy files, SVG charts and report.html. Prints the run
    directory when it ends.

    OPTIONS:
      --config FILE   the experiment (JSON)
      --data DIR      where the data set is (default: the file's data.directory, $BACKPROP_DATA, or
                      data/cifar-10-batches-bin)
      --download      if CIFAR-10 is not there, download it (162 MB), check its MD5 and unpack it
                      next to the --data folder (by default into data/); a cifar-10-binary.tar.gz
                      already there is checked and unpacked instead (for offline machines)
      --out DIR       where run directories go (default: runs)
      --seed N        overrides the file's seed
      --quiet         no progress line
    """

    static func run(_ arguments: [String], registries: PluginRegistries) throws {
        let args = try Arguments(arguments, options: ["config", "data", "out", "seed"], flags: ["quiet", "download"], command: "backprop train")
        guard let path = args["config"] else { throw CLIError.usage("train needs --config FILE (see Examples/configs/)") }
        var config = try ExperimentConfig(contentsOf: URL(fileURLWithPath: path), registries: registries)
        if let seed = try args.uint64("seed") { config.override(seed: seed) }
        let (splits, standardizer) = try ExperimentSession.loadData(
            config.data, override: args["data"], download: args.has("download"))
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }
        let (result, directory) = try ExperimentSession.run(
            config, splits: splits, standardizer: standardizer,
            outputBase: URL(fileURLWithPath: args["out"] ?? "runs"), quiet: args.has("quiet"))
        if let step = result.history.divergedAtStep {
            print("warning: training diverged (loss not finite) at step \(step) of \(result.totalSteps); stopped there")
        }
        print(String(format: "accuracy: train %.2f%%, validation %.2f%%, test %.2f%% (final cost %.4f, %.1f s)",
                     100 * result.train.accuracy, 100 * result.validation.accuracy, 100 * result.test.accuracy,
                     result.train.cost, result.seconds))
        print(directory.path)
    }
}
