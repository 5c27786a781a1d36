import Backprop
import BackpropReports
import Foundation

/// What the `backprop` commands and the examples share: loading data with helpful errors, and running
/// one experiment into its own directory.
public enum ExperimentSession {
    /// Loads and standardises the data of `configuration`, turning a missing CIFAR-10 folder into
    /// instructions.
    ///
    /// The folder is, in order: `override` (the command line's `--data`), the file's `data.directory`,
    /// `$BACKPROP_DATA`, or `data/cifar-10-batches-bin` (`/usr/share/datasets/fashion-mnist` for
    /// Fashion-MNIST, where Debian's package puts it).
    public static func loadData(_ configuration: DatasetConfiguration, override: String?) throws -> (DataSplits, Standardizer) {
        var configuration = configuration
        if override != nil { configuration.directory = nil }
        let base = override ?? (configuration.directory != nil ? nil
            : ProcessInfo.processInfo.environment["BACKPROP_DATA"] ?? defaultDirectory(configuration))
        let directory = (try? configuration.resolvedDirectory(relativeTo: base.map { URL(fileURLWithPath: $0) }))
            ?? URL(fileURLWithPath: ".")
        do {
            return try ExperimentRunner.loadData(configuration, relativeTo: base.map { URL(fileURLWithPath: $0) })
        } catch let error as DatasetError {
            guard case .cifar10 = configuration.source, case .unrecognizedLayout = error else { throw error }
            throw DataNotFound(message: """
                \(error)
                CIFAR-10 is not at \(directory.path). Backprop reads the official files and never ships them:
                  1. download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (162 MB; MD5 c32a1d4ab5d03f1284b67883e8d87530)
                  2. unpack it: tar xzf cifar-10-binary.tar.gz -C data   (creates data/cifar-10-batches-bin)
                  3. point Backprop at it with --data data/cifar-10-batches-bin or BACKPROP_DATA=… (the Python version,
                     cifar-10-batches-py, works too)
                """)
        }
    }

    static func defaultDirectory(_ configuration: DatasetConfiguration) -> String {
        switch configuration.source {
        case .cifar10: "data/cifar-10-batches-bin"
        case .fashionMNIST: "/usr/share/datasets/fashion-mnist"
        case .mnist: "data/mnist"
        }
    }

    /// Trains `config` on `splits` and writes its run directory under `outputBase`.
    public static func run(
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

/// The data set is not where Backprop looked; the message says where to get it and how to point at it.
public struct DataNotFound: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
