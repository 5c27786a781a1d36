import BackpropTensor
import Foundation

/// Readers for CIFAR-10 (Krizhevsky, 2009): 32 × 32 colour images in ten classes.
///
/// Two distributions of the same data are read: the binary version (`data_batch_1.bin` … `test_batch.bin`,
/// records of 1 label byte and 3072 pixel bytes) and the Python version (`data_batch_1` … `test_batch`,
/// pickled dictionaries, see `loadPythonBatch`). Both give a `Dataset` with 3072 features per image in the
/// files' planar order (1024 red, then 1024 green, then 1024 blue, each 32 × 32 row-major) and pixel
/// values 0...255 as `Float`.
///
/// The record count is taken from the file size, never assumed to be 10000, so partial batches load too.
///
/// ```swift
/// let dir = URL(filePath: "/data/cifar-10-batches-bin")
/// let names = CIFAR10.loadClassNames(dir)
/// let train = try CIFAR10.loadBinaryBatch(dir.appending(path: "data_batch_1.bin"), classNames: names)
/// let splits = try CIFAR10.load(directory: dir, split: .batch1Batch2Test)
/// ```
public enum CIFAR10 {
    /// Bytes per record of the binary files: one label byte and 3 × 32 × 32 pixel bytes.
    public static let recordSize = 3073
    /// Pixel bytes per image.
    public static let featureCount = 3072
    /// The images in each official batch file (partial copies hold fewer).
    public static let officialImagesPerBatch = 10000
    /// The shape of one image.
    public static let imageShape = ImageShape.cifar
    /// The ten class names in label order, as `batches.meta` lists them.
    public static let defaultClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// Reads one binary batch file (`data_batch_N.bin` or `test_batch.bin`).
    ///
    /// - Throws: `DatasetError.missingFile`, `.wrongSize` when the size is not a multiple of 3073, or
    ///   `.labelOutOfRange` when a label is not below `classNames.count`.
    /// - Complexity: one read of the file and one pass over its bytes.
    public static func loadBinaryBatch(_ url: URL, classNames: [String] = defaultClassNames) throws -> Dataset {
        try loadBinaryBatches([url], classNames: classNames)
    }

    /// Reads several binary batch files into one data set, in order, allocating the features once.
    ///
    /// Loading all five training batches this way avoids the copy that `Dataset.concatenate` would make.
    public static func loadBinaryBatches(_ urls: [URL], classNames: [String] = defaultClassNames) throws -> Dataset {
        let recordCounts = try urls.map { url in
            let size = try FileReading.size(of: url)
            guard size % recordSize == 0 else {
                throw DatasetError.wrongSize(url, size: size, recordSize: recordSize)
            }
            return size / recordSize
        }
        let total = recordCounts.reduce(0, +)
        var labels = [Int]()
        labels.reserveCapacity(total)
        let scalars = try [Float](unsafeUninitializedCapacity: total * featureCount) { out, initialized in
            for (url, records) in zip(urls, recordCounts) {
                let bytes = try FileReading.bytes(of: url)
                guard bytes.count == records * recordSize else {
                    // The file changed between the size check and the read.
                    throw DatasetError.wrongSize(url, size: bytes.count, recordSize: recordSize)
                }
                try bytes.withUnsafeBufferPointer { source in
                    for record in 0..<records {
                        let from = source.baseAddress! + record * recordSize
                        let label = Int(from[0])
                        guard label < classNames.count else {
                            throw DatasetError.labelOutOfRange(url, record: record, label: label, classCount: classNames.count)
                        }
                        labels.append(label)
                        let to = out.baseAddress! + initialized
                        for j in 0..<featureCount { to[j] = Float(from[1 + j]) }
                        initialized += featureCount
                    }
                }
            }
        }
        return Dataset(features: Tensor(shape: [total, featureCount], scalars: scalars), labels: labels,
                       classNames: classNames, imageShape: imageShape)
    }

    /// The class names of a CIFAR-10 directory: `batches.meta.txt` (one name per line, binary version),
    /// else the `label_names` of the `batches.meta` pickle (Python version), else `defaultClassNames`.
    ///
    /// A meta file that cannot be read falls back to the defaults; a wrong number of names shows up as a
    /// label error when the batches are read.
    public static func loadClassNames(_ directory: URL) -> [String] {
        let text = directory.appending(path: "batches.meta.txt")
        if let bytes = try? FileReading.bytes(of: text) {
            let names = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !names.isEmpty { return names }
        }
        if let names = try? pythonClassNames(directory.appending(path: "batches.meta")), !names.isEmpty {
            return names
        }
        return defaultClassNames
    }
}
