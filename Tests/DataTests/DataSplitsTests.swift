import BackpropData
import BackpropTestSupport
import Foundation
import Testing

@Suite("CIFAR-10 splits")
struct DataSplitsTests {
    @Test func batch1Batch2TestUsesThoseFiles() throws {
        let directory = try makeDatasetFixtureDirectory("splits")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 12, seed: 11, testImages: 8)
        let splits = try CIFAR10.load(directory: directory, split: .batch1Batch2Test)
        #expect(splits.train == (try CIFAR10.loadBinaryBatch(directory.appending(path: "data_batch_1.bin"))))
        #expect(splits.validation == (try CIFAR10.loadBinaryBatch(directory.appending(path: "data_batch_2.bin"))))
        #expect(splits.test.count == 8)
        #expect(splits.notes == ["partial CIFAR-10: the official batch files hold 10000 images each, these hold "
            + "data_batch_1 12, data_batch_2 12, test_batch 8"])
    }

    @Test func allBatchesHoldsOutTheLastImages() throws {
        let directory = try makeDatasetFixtureDirectory("splits")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 20, seed: 12)
        let splits = try CIFAR10.load(directory: directory, split: .allBatches(validationCount: 30))
        let batch5 = try CIFAR10.loadBinaryBatch(directory.appending(path: "data_batch_5.bin"))
        #expect(splits.train.count == 70)
        #expect(splits.validation.count == 30)
        #expect(splits.validation.slice(10..<30) == batch5)
        #expect(splits.notes.count == 1)
    }

    @Test func tooLargeValidationIsClampedWithANote() throws {
        let directory = try makeDatasetFixtureDirectory("splits")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 20, seed: 13)
        let splits = try CIFAR10.load(directory: directory, split: .allBatches(validationCount: 5000))
        #expect(splits.validation.count == 10)
        #expect(splits.train.count == 90)
        #expect(splits.notes.contains("validation: asked for the last 5000 of 100 training images, which would "
            + "leave 0 for training; using the last 10 (10%) instead"))
    }

    @Test func trainingLimitKeepsTheFirstImages() throws {
        let directory = try makeDatasetFixtureDirectory("splits")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 20, seed: 14)
        let all = try CIFAR10.load(directory: directory, split: .allBatches(validationCount: 10))
        let limited = try CIFAR10.load(directory: directory, split: .allBatches(validationCount: 10), trainingLimit: 25)
        #expect(limited.train == all.train.prefix(25))
        #expect(limited.validation == all.validation)
        let tooMany = try CIFAR10.load(directory: directory, split: .batch1Batch2Test, trainingLimit: 10_000)
        #expect(tooMany.train.count == 20)
        #expect(tooMany.notes.contains("train_limit: asked for 10000 training examples, only 20 are available; using all of them"))
    }

    @Test func findsTheArchiveFolderAndThePythonVersion() throws {
        let root = try makeDatasetFixtureDirectory("splits")
        try writeCIFAR10BinaryFixture(to: root.appending(path: "cifar-10-batches-bin"), imagesPerBatch: 3, seed: 15)
        #expect(try CIFAR10.locate(root).layout == .binary)
        #expect(try CIFAR10.load(directory: root, split: .batch1Batch2Test).train.count == 3)

        let python = try makeDatasetFixtureDirectory("splits").appending(path: "cifar-10-batches-py")
        try FileManager.default.createDirectory(at: python, withIntermediateDirectories: true)
        for name in ["data_batch_1", "data_batch_2", "test_batch"] {
            let (pixels, labels) = makeLearnableImages(count: 4, seed: 16)
            try Data(PickleFixture.cifarBatch(labels: labels.map(Int.init), pixels: pixels)).write(to: python.appending(path: name))
        }
        let located = try CIFAR10.locate(python.deletingLastPathComponent())
        #expect(located.layout == .python)
        let splits = try CIFAR10.load(directory: python, split: .batch1Batch2Test)
        #expect(splits.train.count == 4)
        #expect(splits.train.labels == makeLearnableImages(count: 4, seed: 16).labels.map(Int.init))
    }

    @Test func directoryWithoutBatchesIsAnError() throws {
        let directory = try makeDatasetFixtureDirectory("splits")
        let error = try #require(throws: DatasetError.self) { try CIFAR10.load(directory: directory, split: .batch1Batch2Test) }
        #expect(error.description.contains(directory.path))
        #expect(error.description.contains("data_batch_1.bin"))
    }

    @Test func missingTestBatchNamesIt() throws {
        let directory = try makeDatasetFixtureDirectory("splits")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 3, seed: 17)
        try FileManager.default.removeItem(at: directory.appending(path: "test_batch.bin"))
        let error = try #require(throws: DatasetError.self) { try CIFAR10.load(directory: directory, split: .batch1Batch2Test) }
        #expect(error.description.contains("test_batch.bin"))
    }
}
