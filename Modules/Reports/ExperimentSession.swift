import Backprop
import BackpropReports
import Foundation

/// What `train`, `search` and the examples share: loading data with helpful errors, and running one
/// experiment into its own directory.
enum ExperimentSession {
    /// Loads and standardises the data of `spec`, turning a missing CIFAR-10 folder into instructions.
    static func loadData(_ spec: DataSpec, override: String?) throws -> (DataSplits, Standardizer) {
        let directory = spec.resolveDirectory(override: override)
        do {
            return try ExperimentRunner.loadData(spec, directory: directory)
        } catch let error as DatasetError {
            guard spec.kind == .cifar10, case .unrecognizedLayout = error else { throw error }
            throw CLIError.failed("""
                \(error)
                CIFAR-10 is not at \(directory.path). Backprop reads the official files and never ships them:
                  1. download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (162 MB; MD5 c32a1d4ab5d03f1284b67883e8d87530)
                  2. unpack it: tar xzf cifar-10-binary.tar.gz -C data   (creates data/cifar-10-batches-bin)
                  3. point Backprop at it with --data data/cifar-10-batches-bin or BACKPROP_DATA=… (the Python version,
                     cifar-10-batches-py, works too)
                """)
        }
    }

    /// Trains `config` on `splits` and writes its run directory under `outputBase`.
    static func run(
        _ config: ExperimentConfig, splits: DataSplits, standardizer: Standardizer, outputBase: URL,
        registries: PluginRegistries = .standard, quiet: Bool = false
    ) throws -> (RunResult, URL) {
        let directory = try RunDirectory.create(under: outputBase, name: config.name)
        let result = try ExperimentRunner.run(
            config, splits: splits, standardizer: standardizer, registries: registries, quiet: quiet)
        try RunReport.write(result, to: directory)
        return (result, directory)
    }
}
