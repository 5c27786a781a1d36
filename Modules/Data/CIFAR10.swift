import CBackpropKernels
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
/// Hostile files: a binary batch may hold at most `maximumImagesPerFile` records (all 60000 images of
/// CIFAR-10), checked from the file's size before anything is allocated, so a huge (or sparse) file is an
/// error instead of an allocation of tens of gigabytes. The class names must be exactly ten.
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
    /// The most records one binary file may hold: all of CIFAR-10's 60000 images (184 MB).
    public static let maximumImagesPerFile = 60000
    /// The number of classes of CIFAR-10.
    public static let classCount = 10
    /// The shape of one image.
    public static let imageShape = ImageShape.cifar
    /// The ten class names in label order, as `batches.meta` lists them.
    public static let defaultClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// Reads one binary batch file (`data_batch_N.bin` or `test_batch.bin`).
    ///
    /// - Throws: `DatasetError.missingFile`, `.wrongSize` when the size is not a multiple of 3073,
    ///   `.malformed` when it holds more than `maximumImagesPerFile` records, or `.labelOutOfRange` when a
    ///   label is not below `classNames.count`.
    /// - Complexity: one read of the file and one pass over its bytes.
    public static func loadBinaryBatch(_ url: URL, classNames: [String] = defaultClassNames) throws -> Dataset {
        try loadBinaryBatches([url], classNames: classNames)
    }

    /// Reads several binary batch files into one data set, in order, allocating the features once.
    ///
    /// Loading all five training batches this way avoids the copy that `Dataset.concatenate` would make.
    /// With a `cache`, each file is read from disk once per process (see `DataFileCache`).
    public static func loadBinaryBatches(
        _ urls: [URL], classNames: [String] = defaultClassNames, cache: DataFileCache? = nil
    ) throws -> Dataset {
        let recordCounts = try urls.map { url in
            let size = try FileReading.size(of: url)
            guard size % recordSize == 0 else {
                throw DatasetError.wrongSize(url, size: size, recordSize: recordSize)
            }
            guard size / recordSize <= maximumImagesPerFile else {
                throw DatasetError.malformed(url, reason: "\(size) bytes hold \(size / recordSize) records, more than the "
                    + "\(maximumImagesPerFile) images of all of CIFAR-10; this is not a CIFAR-10 batch")
            }
            return size / recordSize
        }
        let total = recordCounts.reduce(0, +)
        var labels = [Int]()
        labels.reserveCapacity(total)
        let scalars = try [Float](unsafeUninitializedCapacity: total * featureCount) { out, initialized in
            for (url, records) in zip(urls, recordCounts) {
                let bytes = try cache.contents(of: url) { try FileReading.bytes(of: $0) }
                guard bytes.count == records * recordSize else {
                    // The file changed between the size check and the read.
                    throw DatasetError.wrongSize(url, size: bytes.count, recordSize: recordSize)
                }
                try bytes.withUnsafeBufferPointer { source in
                    for record in 0..<records {
                        let label = Int(source[record * recordSize])
                        guard label < classNames.count else {
                            throw DatasetError.labelOutOfRange(url, record: record, label: label, classCount: classNames.count)
                        }
                        labels.append(label)
                    }
                    guard records > 0 else { return }
                    bp_widen_records(source.baseAddress!, recordSize, 1, featureCount, records, out.baseAddress! + initialized)
                    initialized += records * featureCount
                }
            }
        }
        return Dataset(features: Tensor(shape: [total, featureCount], scalars: scalars), labels: labels,
                       classNames: classNames, imageShape: imageShape)
    }

    /// The class names of a CIFAR-10 directory: `batches.meta.txt` (one name per line, binary version),
    /// else the `label_names` of the `batches.meta` pickle (Python version), else `defaultClassNames`.
    ///
    /// CIFAR-10 has exactly ten classes, and the model's outputs are sized from this list, so a meta file
    /// is checked, never trusted: `batches.meta.txt` must hold exactly ten non-empty lines of printable
    /// text (blank lines, as the official file ends with, and spaces around names are ignored), and the
    /// pickle exactly ten strings.
    ///
    /// - Throws: `DatasetError.malformed` naming the meta file when it is not text or does not hold ten
    ///   names; `DatasetError` when the file exists but cannot be read (a directory, say).
    public static func loadClassNames(_ directory: URL) throws -> [String] {
        let text = directory.appending(path: "batches.meta.txt")
        if exists(text) {
            return try checkedClassNames(textClassNames(text), in: text)
        }
        let pickle = directory.appending(path: "batches.meta")
        if exists(pickle) {
            return try checkedClassNames(pythonClassNames(pickle), in: pickle)
        }
        return defaultClassNames
    }

    /// The names of `batches.meta.txt`: its non-empty lines, trimmed; text that is not printable UTF-8 is an error.
    static func textClassNames(_ url: URL) throws -> [String] {
        let bytes = try FileReading.bytes(of: url, maximumSize: 64 << 10)
        guard let text = String(validating: bytes, as: UTF8.self),
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !"\n\r\t".unicodeScalars.contains($0) })
        else {
            throw DatasetError.malformed(url, reason: "not a list of class names (the file is not printable UTF-8 text)")
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func checkedClassNames(_ names: [String], in url: URL) throws -> [String] {
        guard names.count == classCount else {
            throw DatasetError.malformed(url, reason: "it names \(names.count) classes; CIFAR-10 has \(classCount)")
        }
        return names
    }

    /// Whether something exists at `url` (a file, or a directory that the reader then names as such).
    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }
}
