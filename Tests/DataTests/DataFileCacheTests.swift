import BackpropData
import BackpropTestSupport
import Foundation
import Testing

@Suite("DataFileCache")
struct DataFileCacheTests {
    @Test("Loads through a cache give the same splits as loads without, and read each file once")
    func cifarThroughCache() throws {
        let folder = try makeDatasetFixtureDirectory("cache-cifar")
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeCIFAR10BinaryFixture(to: folder, imagesPerBatch: 40, seed: 5)
        let files = DataFileCache()
        let small = try CIFAR10.load(directory: folder, split: .batch1Batch2Test, cache: files)
        #expect(small == (try CIFAR10.load(directory: folder, split: .batch1Batch2Test)))
        #expect(files.paths.map { URL(filePath: $0).lastPathComponent } == ["data_batch_1.bin", "data_batch_2.bin", "test_batch.bin"])
        let pool = try CIFAR10.load(directory: folder, split: .allBatches(validationCount: 20), cache: files)
        #expect(pool == (try CIFAR10.load(directory: folder, split: .allBatches(validationCount: 20))))
        #expect(files.paths.count == 6)
        #expect(files.byteCount == 6 * 40 * CIFAR10.recordSize)
    }

    @Test("A file changed on disk is read again; an unchanged one comes from the cache")
    func changedFileIsReread() throws {
        let folder = try makeDatasetFixtureDirectory("cache-change")
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeCIFAR10BinaryFixture(to: folder, imagesPerBatch: 10, seed: 6)
        let files = DataFileCache()
        let before = try CIFAR10.load(directory: folder, split: .batch1Batch2Test, cache: files)
        // Another batch 1, of another size (so size and time both differ).
        let labels = [UInt8](repeating: 3, count: 12)
        let pixels = [UInt8](repeating: 200, count: 12 * CIFAR10.featureCount)
        try Data(cifar10BinaryBatch(pixels: pixels, labels: labels)).write(to: folder.appending(path: "data_batch_1.bin"))
        let after = try CIFAR10.load(directory: folder, split: .batch1Batch2Test, cache: files)
        #expect(after.train.count == 12 && after.train.labels.allSatisfy { $0 == 3 })
        #expect(after.train.features.scalars.allSatisfy { $0 == 200 })
        #expect(after.validation == before.validation)
        #expect(files.paths.count == 3, "the old version of batch 1 is dropped")
    }

    @Test("Every byte value widens to its Float, on one thread or two, for CIFAR-10 and IDX files")
    func widenedExactly() throws {
        let folder = try makeDatasetFixtureDirectory("cache-widen")
        defer { try? FileManager.default.removeItem(at: folder) }
        // 100 images (above the two-thread threshold), pixels cycling through all 256 values.
        let count = 100
        let pixels = (0..<(count * CIFAR10.featureCount)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 3) }
        let labels = (0..<count).map { UInt8($0 % 10) }
        let url = folder.appending(path: "batch.bin")
        try Data(cifar10BinaryBatch(pixels: pixels, labels: labels)).write(to: url)
        let data = try CIFAR10.loadBinaryBatches([url, url], cache: DataFileCache())
        #expect(data.features.scalars == (pixels + pixels).map(Float.init))
        #expect(data.labels == (labels + labels).map(Int.init))

        let images = folder.appending(path: "images"), labelFile = folder.appending(path: "labels")
        let idxPixels = (0..<(300 * 28 * 28 + 0)).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        try writeIDXFixture(images: images, labels: labelFile, pixels: idxPixels,
                            labelValues: (0..<300).map { UInt8($0 % 10) }, rows: 28, columns: 28, compressed: false)
        let idx = try IDX.load(images: images, labels: labelFile, classNames: MNIST.classNames)
        #expect(idx.features.scalars == idxPixels.map(Float.init))
    }
}
