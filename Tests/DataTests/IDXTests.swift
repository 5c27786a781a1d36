import BackpropData
import BackpropTestSupport
import Foundation
import Testing

@Suite("IDX (MNIST, Fashion-MNIST)")
struct IDXTests {
    static let pixels = (0..<(3 * 4 * 5)).map { UInt8($0 * 4) }
    static let labels: [UInt8] = [3, 0, 9]

    static func files(_ directory: URL, gz: Bool = true) -> (images: URL, labels: URL) {
        let suffix = gz ? ".gz" : ""
        return (directory.appending(path: "train-images-idx3-ubyte" + suffix),
                directory.appending(path: "train-labels-idx1-ubyte" + suffix))
    }

    @Test(arguments: [true, false])
    func decodesImagesAndLabels(compressed: Bool) throws {
        let (images, labels) = Self.files(try makeDatasetFixtureDirectory("idx"), gz: compressed)
        try writeIDXFixture(images: images, labels: labels, pixels: Self.pixels, labelValues: Self.labels,
                            rows: 4, columns: 5, compressed: compressed)
        let data = try IDX.load(images: images, labels: labels, classNames: FashionMNIST.classNames)
        #expect(data.features.shape == [3, 20])
        #expect(data.features.scalars == Self.pixels.map(Float.init))
        #expect(data.labels == [3, 0, 9])
        #expect(data.imageShape == ImageShape(channels: 1, height: 4, width: 5))
        #expect(data.classNames[9] == "Ankle boot")
    }

    @Test func labelsGivenAsImagesIsAWrongMagic() throws {
        let (images, labels) = Self.files(try makeDatasetFixtureDirectory("idx"))
        try writeIDXFixture(images: images, labels: labels, pixels: Self.pixels, labelValues: Self.labels, rows: 4, columns: 5)
        let error = try #require(throws: DatasetError.self) {
            try IDX.load(images: labels, labels: images, classNames: MNIST.classNames)
        }
        #expect(error == .wrongMagic(labels, found: 0x0801, expected: 0x0803))
        #expect(error.description.contains("train-labels-idx1-ubyte.gz: IDX magic number is 0x00000801, expected 0x00000803"))
    }

    @Test func plainFileNamedGzIsNotGzip() throws {
        let (images, labels) = Self.files(try makeDatasetFixtureDirectory("idx"))
        try writeIDXFixture(images: images, labels: labels, pixels: Self.pixels, labelValues: Self.labels,
                            rows: 4, columns: 5, compressed: false)
        let error = try #require(throws: DatasetError.self) {
            try IDX.load(images: images, labels: labels, classNames: MNIST.classNames)
        }
        #expect(error == .notGzip(images))
        #expect(error.description.contains("train-images-idx3-ubyte.gz: not a gzip file"))
    }

    @Test func countMismatchNamesBothFiles() throws {
        let (images, labels) = Self.files(try makeDatasetFixtureDirectory("idx"))
        try writeIDXFixture(images: images, labels: labels, pixels: Self.pixels, labelValues: Self.labels, rows: 4, columns: 5)
        try Data(Gzip.compress(idxFile(shape: [2], values: [1, 2]))).write(to: labels)
        let error = try #require(throws: DatasetError.self) {
            try IDX.load(images: images, labels: labels, classNames: MNIST.classNames)
        }
        #expect(error == .shapeMismatch(images, labels, reason: "3 images but 2 labels"))
    }

    @Test func shortImageDataIsTruncated() throws {
        let (images, labels) = Self.files(try makeDatasetFixtureDirectory("idx"))
        try writeIDXFixture(images: images, labels: labels, pixels: Self.pixels, labelValues: Self.labels, rows: 4, columns: 5)
        let short = idxFile(shape: [3, 4, 5], values: Self.pixels).dropLast(7)
        try Data(Gzip.compress(Array(short))).write(to: images)
        let error = try #require(throws: DatasetError.self) {
            try IDX.load(images: images, labels: labels, classNames: MNIST.classNames)
        }
        #expect(error == .truncated(images, expected: 16 + 60, found: 16 + 53))
    }

    @Test func labelOutOfRangeNamesTheLabelFile() throws {
        let (images, labels) = Self.files(try makeDatasetFixtureDirectory("idx"))
        try writeIDXFixture(images: images, labels: labels, pixels: Self.pixels, labelValues: [1, 2, 10], rows: 4, columns: 5)
        let error = try #require(throws: DatasetError.self) {
            try IDX.load(images: images, labels: labels, classNames: MNIST.classNames)
        }
        #expect(error == .labelOutOfRange(labels, record: 2, label: 10, classCount: 10))
    }

    @Test func loadsAnMNISTDirectoryWithValidationFromTheEnd() throws {
        let directory = try makeDatasetFixtureDirectory("idx")
        try writeMNISTFixture(to: directory, trainImages: 50, testImages: 20, seed: 5)
        let splits = try FashionMNIST.load(directory: directory, validationCount: 10)
        #expect(splits.train.count == 40)
        #expect(splits.validation.count == 10)
        #expect(splits.test.count == 20)
        #expect(splits.train.featureCount == 784)
        let all = try IDX.load(images: directory.appending(path: "train-images-idx3-ubyte.gz"),
                               labels: directory.appending(path: "train-labels-idx1-ubyte.gz"),
                               classNames: MNIST.classNames)
        #expect(splits.validation.labels == Array(all.labels[40...]))
        #expect(splits.notes.isEmpty)
    }
}
