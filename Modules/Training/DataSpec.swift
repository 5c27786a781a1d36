import BackpropData
import BackpropRegistry
import Foundation

/// Which data an experiment trains on, as written in the `data` object of an experiment file.
///
/// ```json
/// {"kind": "cifar10", "split": "batch1"}
/// {"kind": "cifar10", "split": "all", "validation": 5000, "train_limit": 10000}
/// {"kind": "fashion_mnist", "validation": 5000}
/// ```
///
/// `split: "batch1"` trains on data_batch_1, validates on data_batch_2 and tests on test_batch
/// (Assignment 1); `"all"` pools the five training batches and holds out their last `validation`
/// images. `directory` is optional: the command line's `--data` or `BACKPROP_DATA` usually say where.
public struct DataSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case cifar10, fashion_mnist, mnist }

    public var kind: Kind
    public var cifarSplit: CIFARSplit
    public var validationCount: Int
    public var trainingLimit: Int?
    public var directory: String?

    public init(kind: Kind = .cifar10, cifarSplit: CIFARSplit = .batch1Batch2Test, trainingLimit: Int? = nil) {
        self.kind = kind
        self.cifarSplit = cifarSplit
        if case .allBatches(let count) = cifarSplit { validationCount = count } else { validationCount = 5000 }
        self.trainingLimit = trainingLimit
    }

    /// Reads the `data` object of an experiment file.
    public init(options: inout Options) throws {
        let kindName: String = try options.optional("kind") ?? "cifar10"
        guard let kind = Kind(rawValue: kindName) else {
            throw ConfigurationError.unknownName(kind: "data kind", name: kindName, registered: Kind.allCases.map(\.rawValue))
        }
        self.kind = kind
        validationCount = try options.optional("validation") ?? 5000
        try options.check(validationCount >= 0, "validation", "must not be negative, found \(validationCount)")
        trainingLimit = try options.optional("train_limit")
        try options.check(trainingLimit.map { $0 >= 1 } ?? true, "train_limit", "must be at least 1")
        directory = try options.optional("directory")
        let split: String = try options.optional("split") ?? (kind == .cifar10 ? "batch1" : "all")
        switch split {
        case "batch1": cifarSplit = .batch1Batch2Test
        case "all": cifarSplit = .allBatches(validationCount: validationCount)
        default:
            throw ConfigurationError.invalidValue(path: "\(options.path).split", reason: "must be 'batch1' or 'all', found '\(split)'")
        }
        try options.check(kind == .cifar10 || split == "all", "split", "'batch1' exists for CIFAR-10 only")
        try options.finish()
    }

    /// The directory to read: `override` (the command line), the file's `directory`, `BACKPROP_DATA`,
    /// or the conventional folder under the working directory.
    public func resolveDirectory(override: String?) -> URL {
        if let path = override ?? directory ?? ProcessInfo.processInfo.environment["BACKPROP_DATA"] {
            return URL(fileURLWithPath: path)
        }
        switch kind {
        case .cifar10: return URL(fileURLWithPath: "data/cifar-10-batches-bin")
        case .fashion_mnist: return URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
        case .mnist: return URL(fileURLWithPath: "data/mnist")
        }
    }

    /// Loads the three splits (not yet standardised).
    public func load(directory: URL) throws -> DataSplits {
        switch kind {
        case .cifar10: return try CIFAR10.load(directory: directory, split: cifarSplit, trainingLimit: trainingLimit)
        case .fashion_mnist:
            return try FashionMNIST.load(directory: directory, validationCount: validationCount, trainingLimit: trainingLimit)
        case .mnist: return try MNIST.load(directory: directory, validationCount: validationCount, trainingLimit: trainingLimit)
        }
    }

    /// A one-line description for reports.
    public var summary: String {
        var text = "\(kind.rawValue), \(cifarSplit)"
        if let trainingLimit { text += ", first \(trainingLimit) training images" }
        return text
    }
}
