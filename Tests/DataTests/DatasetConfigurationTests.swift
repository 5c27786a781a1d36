import BackpropData
import BackpropRegistry
import BackpropTestSupport
import Foundation
import Testing

@Suite("DatasetConfiguration")
struct DatasetConfigurationTests {
    func parse(_ text: String) throws -> DatasetConfiguration {
        try DatasetConfiguration(JSONValue(parsing: text), path: "data")
    }

    @Test func readsTheCIFARShapes() throws {
        #expect(try parse(#"{"kind": "cifar10"}"#).source == .cifar10(.batch1Batch2Test))
        let all = try parse(#"{"kind": "cifar10", "split": "all", "validation": 1000, "train_limit": 10000, "directory": "d"}"#)
        #expect(all == DatasetConfiguration(source: .cifar10(.allBatches(validationCount: 1000)), directory: "d", trainingLimit: 10000))
        #expect(try parse(#"{"kind": "cifar10", "split": "all"}"#).source == .cifar10(.allBatches(validationCount: 5000)))
        #expect(try parse(#"{"kind": "fashion_mnist", "validation": 0}"#).source == .fashionMNIST(validationCount: 0))
    }

    @Test func errorsNameTheKey() throws {
        #expect(throws: ConfigurationError.invalidValue(path: "data.split", reason: "must be \"batch1\" or \"all\", found \"batch3\"")) {
            try parse(#"{"kind": "cifar10", "split": "batch3"}"#)
        }
        #expect(throws: ConfigurationError.self) { try parse(#"{"kind": "cifar100"}"#) }
        #expect(throws: ConfigurationError.missingKey(path: "data.kind")) { try parse(#"{"split": "all"}"#) }
        #expect(throws: ConfigurationError.invalidValue(path: "data.train_limit", reason: "must be a positive number of images, found 0")) {
            try parse(#"{"kind": "cifar10", "train_limit": 0}"#)
        }
        // `validation` does not apply to batch 1 / batch 2 / test.
        let error = try #require(throws: ConfigurationError.self) { try parse(#"{"kind": "cifar10", "validation": 5000}"#) }
        guard case .unknownKey(let path, _) = error else {
            Issue.record("expected unknownKey, got \(error)")
            return
        }
        #expect(path == "data.validation")
        #expect(throws: ConfigurationError.self) { try parse(#"{"kind": "mnist", "valdation": 5}"#) }
    }

    @Test func resolvesAndLoadsTheDirectory() throws {
        let base = try makeDatasetFixtureDirectory("config")
        try writeCIFAR10BinaryFixture(to: base.appending(path: "cifar"), imagesPerBatch: 5, seed: 21)
        let configuration = try parse(#"{"kind": "cifar10", "directory": "cifar", "train_limit": 3}"#)
        #expect(try configuration.resolvedDirectory(relativeTo: base) == base.appending(path: "cifar"))
        let splits = try configuration.load(relativeTo: base)
        #expect(splits.train.count == 3)
        #expect(splits.validation.count == 5)
    }

    @Test func withoutADirectoryLooksWhereTheCommandLineLooks() throws {
        // No directory and no base: `$BACKPROP_DATA` when set, else the data set's default folder, as
        // `backprop train` does (this used to be "missing key 'data.directory'").
        let mnist = try parse(#"{"kind": "mnist"}"#)
        let expected = ProcessInfo.processInfo.environment["BACKPROP_DATA"] ?? "data/mnist"
        #expect(try mnist.resolvedDirectory(relativeTo: nil) == URL(filePath: expected))
        #expect(try parse(#"{"kind": "fashion_mnist"}"#).defaultDirectory == "/usr/share/datasets/fashion-mnist")
        #expect(try parse(#"{"kind": "cifar10"}"#).imageShape == .cifar)
        #expect(try parse(#"{"kind": "fashion_mnist"}"#).imageShape == .mnist)
    }
}
