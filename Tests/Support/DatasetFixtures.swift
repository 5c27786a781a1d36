import Backprop
import Foundation

// Fixture writers for data-set files in their real formats, for the tests of every module. The data is
// synthetic but learnable: each class has its own mean colour, so a linear classifier separates the
// classes well above chance within a few epochs.

// MARK: - Learnable synthetic images

/// Synthetic images whose class shows in their colour: planar pixel bytes and one label per image.
///
/// Each class has a fixed mean per channel (the same for every seed, so training and test fixtures
/// agree); an image adds a brightness offset (σ 20) and per-pixel noise (σ 45) and is clamped to 0...255.
/// Labels cycle through the classes and are then shuffled, so the classes are balanced.
public func makeLearnableImages(
    count: Int, shape: ImageShape = .cifar, classes: Int = 10, seed: UInt64
) -> (pixels: [UInt8], labels: [UInt8]) {
    var classGenerator = SeededGenerator(seed: 0xC1FA_0010)
    let means = (0..<classes).map { _ in (0..<shape.channels).map { _ in classGenerator.nextUniform(in: 40, 215) } }
    var generator = SeededGenerator(seed: seed)
    var labels = (0..<count).map { UInt8($0 % classes) }
    generator.shuffle(&labels)
    let plane = shape.height * shape.width
    var pixels = [UInt8](repeating: 0, count: count * shape.featureCount)
    for image in 0..<count {
        let offset = 20 * generator.nextNormal()
        for channel in 0..<shape.channels {
            let mean = means[Int(labels[image])][channel] + offset
            let start = image * shape.featureCount + channel * plane
            for p in 0..<plane {
                pixels[start + p] = UInt8(max(0, min(255, (mean + 45 * generator.nextNormal()).rounded())))
            }
        }
    }
    return (pixels, labels)
}

// MARK: - CIFAR-10 binary version

/// The bytes of a CIFAR-10 binary batch file: per image, the label byte then its 3072 pixel bytes.
public func cifar10BinaryBatch(pixels: [UInt8], labels: [UInt8]) -> [UInt8] {
    let features = CIFAR10.featureCount
    precondition(pixels.count == labels.count * features, "cifar10BinaryBatch: \(pixels.count) pixel bytes for \(labels.count) labels")
    var bytes = [UInt8]()
    bytes.reserveCapacity(labels.count * CIFAR10.recordSize)
    for (i, label) in labels.enumerated() {
        bytes.append(label)
        bytes.append(contentsOf: pixels[(i * features)..<((i + 1) * features)])
    }
    return bytes
}

/// Writes a CIFAR-10 binary directory: `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`
/// with `imagesPerBatch` learnable images each (`testImages` for the test batch, when given), and
/// `batches.meta.txt` with the ten class names.
///
/// Each file gets its own images, drawn from `seed` and the file's number.
public func writeCIFAR10BinaryFixture(
    to directory: URL, imagesPerBatch: Int, seed: UInt64, testImages: Int? = nil
) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let files = (1...5).map { ("data_batch_\($0).bin", imagesPerBatch) } + [("test_batch.bin", testImages ?? imagesPerBatch)]
    for (number, (name, count)) in files.enumerated() {
        let (pixels, labels) = makeLearnableImages(count: count, seed: seed &+ UInt64(number) &* 1_000_003)
        try Foundation.Data(cifar10BinaryBatch(pixels: pixels, labels: labels))
            .write(to: directory.appending(path: name))
    }
    try (CIFAR10.defaultClassNames.joined(separator: "\n") + "\n")
        .write(to: directory.appending(path: "batches.meta.txt"), atomically: true, encoding: .utf8)
}

// MARK: - IDX (MNIST, Fashion-MNIST)

/// The bytes of an IDX file of unsigned bytes: magic `0x000008NN`, big-endian extents, then `values`.
public func idxFile(shape: [Int], values: [UInt8]) -> [UInt8] {
    precondition(shape.reduce(1, *) == values.count, "idxFile: shape \(shape) needs \(shape.reduce(1, *)) values")
    var bytes: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
    for extent in shape {
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: extent >> $0) }
    }
    return bytes + values
}

/// Writes an IDX image file (`[count, rows, columns]`) and its label file, gzip-compressed when
/// `compressed` (then the names should end in `.gz`).
public func writeIDXFixture(
    images: URL, labels: URL, pixels: [UInt8], labelValues: [UInt8], rows: Int, columns: Int, compressed: Bool = true
) throws {
    let imageBytes = idxFile(shape: [labelValues.count, rows, columns], values: pixels)
    let labelBytes = idxFile(shape: [labelValues.count], values: labelValues)
    try Foundation.Data(compressed ? Gzip.compress(imageBytes) : imageBytes).write(to: images)
    try Foundation.Data(compressed ? Gzip.compress(labelBytes) : labelBytes).write(to: labels)
}

/// Writes an MNIST-style directory of learnable 28 × 28 images with the four standard gzip file names.
public func writeMNISTFixture(to directory: URL, trainImages: Int, testImages: Int, seed: UInt64) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (prefix, count, offset) in [("train", trainImages, UInt64(0)), ("t10k", testImages, 1)] {
        let (pixels, labels) = makeLearnableImages(count: count, shape: .mnist, seed: seed &+ offset)
        try writeIDXFixture(
            images: directory.appending(path: "\(prefix)-images-idx3-ubyte.gz"),
            labels: directory.appending(path: "\(prefix)-labels-idx1-ubyte.gz"),
            pixels: pixels, labelValues: labels, rows: 28, columns: 28)
    }
}

/// A new empty directory under the system's temporary directory, for fixture files.
public func makeDatasetFixtureDirectory(_ name: String = "data") throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appending(path: "backprop-\(name)-\(UUID().uuidString)", directoryHint: .isDirectory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
