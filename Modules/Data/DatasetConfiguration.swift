import BackpropRegistry
import Foundation

/// Which data set an experiment uses and how it is split, as read from an experiment file.
///
/// JSON shape (the `data` object of an experiment):
///
/// ```json
/// {"kind": "cifar10", "directory": "data/cifar-10-batches-bin", "split": "batch1"}
/// {"kind": "cifar10", "split": "all", "validation": 5000, "train_limit": 10000}
/// {"kind": "fashion_mnist", "directory": "/usr/share/datasets/fashion-mnist", "validation": 5000}
/// ```
///
/// - `kind` (required): `cifar10`, `mnist` or `fashion_mnist`.
/// - `directory`: where the files are; a relative path is resolved against the directory given to
///   `load(relativeTo:)`; when absent, that directory itself is used.
/// - `split` (CIFAR-10 only, default `batch1`): `batch1` trains on batch 1, validates on batch 2 and
///   tests on the test batch; `all` trains on the five training batches less the last `validation`
///   images.
/// - `validation` (`all` and the MNIST kinds; default 5000): the number of validation images taken
///   from the end of the training data. It is shrunk, with a note, when the data is too small.
/// - `train_limit`: keep only the first `train_limit` training images.
///
/// Unknown keys, and keys that do not apply (`validation` with `"split": "batch1"`), are errors.
public struct DatasetConfiguration: Sendable, Equatable {
    /// A data set and its split.
    public enum Source: Sendable, Equatable {
        case cifar10(CIFARSplit)
        case mnist(validationCount: Int)
        case fashionMNIST(validationCount: Int)
    }

    public var source: Source
    /// The directory of the files, as written in the experiment (possibly relative).
    public var directory: String?
    /// Keep only the first `trainingLimit` training images.
    public var trainingLimit: Int?
    /// Where the configuration sits in the experiment file (`data`), named in messages.
    public var path: String

    public init(source: Source, directory: String? = nil, trainingLimit: Int? = nil, path: String = "data") {
        self.source = source
        self.directory = directory
        self.trainingLimit = trainingLimit
        self.path = path
    }

    /// The names `kind` accepts.
    public static let kinds = ["cifar10", "fashion_mnist", "mnist"]

    /// Reads the configuration from the JSON object `value` at `path` (for messages, e.g. `data`).
    public init(_ value: JSONValue, path: String) throws {
        var options = try Options(value, path: path)
        try self.init(options: &options)
        try options.finish()
    }

    /// Reads the configuration's keys from `options`; the caller calls `finish()` to reject unknown keys.
    public init(options: inout Options) throws {
        path = options.path
        let kind: String = try options.required("kind")
        directory = try options.optional("directory")
        trainingLimit = try options.optional("train_limit")
        if let limit = trainingLimit {
            try options.check(limit > 0, "train_limit", "must be a positive number of images, found \(limit)")
        }
        func validation() throws -> Int {
            let count: Int = try options.optional("validation") ?? 5000
            try options.check(count >= 0, "validation", "must not be negative, found \(count)")
            return count
        }
        switch kind {
        case "cifar10":
            let split: String = try options.optional("split") ?? "batch1"
            switch split {
            case "batch1": source = .cifar10(.batch1Batch2Test)
            case "all": source = .cifar10(.allBatches(validationCount: try validation()))
            default:
                throw ConfigurationError.invalidValue(
                    path: options.path.isEmpty ? "split" : "\(options.path).split", reason: "must be \"batch1\" or \"all\", found \"\(split)\"")
            }
        case "mnist": source = .mnist(validationCount: try validation())
        case "fashion_mnist": source = .fashionMNIST(validationCount: try validation())
        default:
            throw ConfigurationError.invalidValue(
                path: options.path.isEmpty ? "kind" : "\(options.path).kind",
                reason: "must be one of \(Self.kinds.joined(separator: ", ")), found \"\(kind)\"")
        }
    }

    /// The directory the files are read from: `directory` resolved against `base`; when neither is
    /// given, `$BACKPROP_DATA` or else `defaultDirectory`, the same place the command line looks.
    public func resolvedDirectory(relativeTo base: URL?) throws -> URL {
        switch (directory, base) {
        case let (directory?, _) where directory.hasPrefix("/"): return URL(filePath: directory)
        case let (directory?, base?): return base.appending(path: directory)
        case let (directory?, nil): return URL(filePath: directory)
        case let (nil, base?): return base
        case (nil, nil): return URL(filePath: ProcessInfo.processInfo.environment["BACKPROP_DATA"] ?? defaultDirectory)
        }
    }

    /// Where the data set is looked for when nothing says otherwise: `data/cifar-10-batches-bin`,
    /// `/usr/share/datasets/fashion-mnist` (where Debian's package puts it), `data/mnist`.
    public var defaultDirectory: String {
        switch source {
        case .cifar10: "data/cifar-10-batches-bin"
        case .fashionMNIST: "/usr/share/datasets/fashion-mnist"
        case .mnist: "data/mnist"
        }
    }

    /// The layout of one image of this data set.
    public var imageShape: ImageShape {
        switch source {
        case .cifar10: .cifar
        case .mnist, .fashionMNIST: .mnist
        }
    }

    /// Loads the splits this configuration describes; with a `cache`, a file another load of the same
    /// process read is not read again (see `DataFileCache`).
    ///
    /// - Throws: `ConfigurationError` without a directory, `DatasetError` for missing or damaged files, or
    ///   `DatasetError.malformed` naming the folder when its images are not of `imageShape` (plug-ins such
    ///   as augmentations are configured for that shape).
    public func load(relativeTo base: URL? = nil, cache: DataFileCache? = nil) throws -> DataSplits {
        let folder = try resolvedDirectory(relativeTo: base)
        let splits: DataSplits
        switch source {
        case .cifar10(let split):
            splits = try CIFAR10.load(directory: folder, split: split, trainingLimit: trainingLimit, cache: cache)
        case .mnist(let validationCount):
            splits = try MNIST.load(directory: folder, validationCount: validationCount, trainingLimit: trainingLimit,
                                    cache: cache)
        case .fashionMNIST(let validationCount):
            splits = try FashionMNIST.load(directory: folder, validationCount: validationCount,
                                           trainingLimit: trainingLimit, cache: cache)
        }
        if let found = splits.train.imageShape, found != imageShape {
            func size(_ shape: ImageShape) -> String { "\(shape.height) × \(shape.width) pixels, \(shape.channels) channel(s)" }
            throw DatasetError.malformed(folder, reason: "its images are \(size(found)); this data set's are \(size(imageShape))")
        }
        return splits
    }
}

extension DatasetConfiguration: CustomStringConvertible {
    public var description: String {
        let name = switch source {
        case .cifar10(let split): "CIFAR-10 (\(split))"
        case .mnist(let count): "MNIST (last \(count) training images for validation)"
        case .fashionMNIST(let count): "Fashion-MNIST (last \(count) training images for validation)"
        }
        return name + (trainingLimit.map { ", first \($0) training images" } ?? "")
    }
}
