import BackpropData
import BackpropTensor
import BackpropTestSupport
import Foundation
import Testing

@Suite("CIFAR-10 binary version")
struct CIFAR10BinaryTests {
    /// Three records whose pixels encode their index, plane and position.
    static func records() -> (pixels: [UInt8], labels: [UInt8]) {
        let labels: [UInt8] = [6, 9, 0]
        let pixels = (0..<3).flatMap { image in (0..<3072).map { UInt8(truncatingIfNeeded: image * 37 + $0 * 7 + $0 / 1024) } }
        return (pixels, labels)
    }

    @Test func readsThreeRecordsBack() throws {
        let directory = try makeDatasetFixtureDirectory("cifar-bin")
        let url = directory.appending(path: "data_batch_1.bin")
        let (pixels, labels) = Self.records()
        try Data(cifar10BinaryBatch(pixels: pixels, labels: labels)).write(to: url)

        let data = try CIFAR10.loadBinaryBatch(url)
        #expect(data.count == 3)
        #expect(data.features.shape == [3, 3072])
        #expect(data.labels == [6, 9, 0])
        #expect(data.features.scalars == pixels.map(Float.init))
        #expect(data.imageShape == ImageShape(channels: 3, height: 32, width: 32))
        #expect(data.classNames == CIFAR10.defaultClassNames)
        // Red plane first: feature 1024 is the first green pixel of image 0.
        #expect(data.features[0, 1024] == Float(UInt8(truncatingIfNeeded: 1024 * 7 + 1)))
    }

    @Test func readsSeveralFilesIntoOneDataset() throws {
        let directory = try makeDatasetFixtureDirectory("cifar-bin")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 4, seed: 3)
        let urls = (1...2).map { directory.appending(path: "data_batch_\($0).bin") }
        let joined = try CIFAR10.loadBinaryBatches(urls)
        let parts = try urls.map { try CIFAR10.loadBinaryBatch($0) }
        #expect(joined == (try Dataset.concatenate(parts)))
        #expect(joined.count == 8)
    }

    @Test func wrongSizeNamesTheFile() throws {
        let url = try makeDatasetFixtureDirectory("cifar-bin").appending(path: "broken_batch.bin")
        try Data(repeating: 1, count: 3073 * 2 + 5).write(to: url)
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadBinaryBatch(url) }
        #expect(error == .wrongSize(url, size: 6151, recordSize: 3073))
        #expect(error.description.contains("broken_batch.bin"))
        #expect(error.description.contains("not a multiple of the 3073-byte record size"))
    }

    @Test func labelTenIsOutOfRange() throws {
        let url = try makeDatasetFixtureDirectory("cifar-bin").appending(path: "data_batch_1.bin")
        let (pixels, original) = Self.records()
        var labels = original
        labels[1] = 10
        try Data(cifar10BinaryBatch(pixels: pixels, labels: labels)).write(to: url)
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadBinaryBatch(url) }
        #expect(error == .labelOutOfRange(url, record: 1, label: 10, classCount: 10))
        #expect(error.description.contains("record 1 has label 10"))
    }

    @Test func missingFileIsAnError() throws {
        let url = try makeDatasetFixtureDirectory("cifar-bin").appending(path: "data_batch_9.bin")
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadBinaryBatch(url) }
        guard case .missingFile(let named, _) = error else {
            Issue.record("expected missingFile, got \(error)")
            return
        }
        #expect(named == url)
        #expect(error.description.contains("data_batch_9.bin"))
    }

    @Test func emptyFileIsAnEmptyBatch() throws {
        let url = try makeDatasetFixtureDirectory("cifar-bin").appending(path: "empty.bin")
        try Data().write(to: url)
        #expect(try CIFAR10.loadBinaryBatch(url).count == 0)
    }

    @Test func classNamesComeFromTheMetaFileOrDefault() throws {
        let directory = try makeDatasetFixtureDirectory("cifar-bin")
        #expect(try CIFAR10.loadClassNames(directory) == CIFAR10.defaultClassNames)
        let names = ["cat", "dog", "bird", "plane", "car", "deer", "frog", "horse", "ship", "lorry"]
        let text = " " + names.joined(separator: " \n") + "\n\n"  // spaces and blank lines are ignored
        try text.write(to: directory.appending(path: "batches.meta.txt"), atomically: true, encoding: .utf8)
        #expect(try CIFAR10.loadClassNames(directory) == names)
    }

    @Test func metaFileWithFewerThanTenNamesIsAnError() throws {
        // CIFAR-10 has exactly ten classes: three names would make a three-output model that rejects label 3.
        let directory = try makeDatasetFixtureDirectory("cifar-bin")
        try "cat\n dog \n\nbird\n".write(to: directory.appending(path: "batches.meta.txt"), atomically: true, encoding: .utf8)
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadClassNames(directory) }
        #expect(error.description.contains("batches.meta.txt") && error.description.contains("names 3 classes"))
    }

    @Test func fixtureDataIsLearnableFromMeanColour() throws {
        // A nearest-class-mean rule on per-channel means must beat chance by far on the fixture.
        let directory = try makeDatasetFixtureDirectory("cifar-bin")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 200, seed: 1)
        let train = try CIFAR10.loadBinaryBatch(directory.appending(path: "data_batch_1.bin"))
        let test = try CIFAR10.loadBinaryBatch(directory.appending(path: "test_batch.bin"))
        func channelMeans(_ data: Dataset, _ row: Int) -> [Float] {
            (0..<3).map { c in (0..<1024).reduce(0) { $0 + data.features[row, c * 1024 + $1] } / 1024 }
        }
        var centres = Array(repeating: [Float](repeating: 0, count: 3), count: 10)
        for row in 0..<train.count {
            let m = channelMeans(train, row)
            for c in 0..<3 { centres[train.labels[row]][c] += m[c] / Float(train.classCounts[train.labels[row]]) }
        }
        var correct = 0
        for row in 0..<test.count {
            let m = channelMeans(test, row)
            let distances = centres.map { centre in (0..<3).reduce(Float(0)) { $0 + (centre[$1] - m[$1]) * (centre[$1] - m[$1]) } }
            if distances.firstIndex(of: distances.min()!) == test.labels[row] { correct += 1 }
        }
        #expect(Double(correct) / Double(test.count) > 0.5)
        #expect(train.classCounts.allSatisfy { $0 == 20 })
    }
}
