import BackpropTensor
import Foundation

extension CIFAR10 {
    /// Reads one batch of the Python version (`data_batch_N` or `test_batch`) without Python.
    ///
    /// Each file is a pickled dictionary with the keys `batch_label`, `labels` (a list of ints),
    /// `data` (a NumPy `uint8` array of shape `[n, 3072]`, rows in the same planar order as the binary
    /// version) and `filenames`. The official files are protocol 2 pickles written by Python 2's
    /// `cPickle`; protocol 2 to 5 pickles written by Python 3 are read as well. See `PickleReader`.
    ///
    /// - Throws: `DatasetError.missingFile`, `.truncated`, `.corruptPickle` (with the byte offset), or
    ///   `.malformed` when the dictionary lacks a key or the array is not `uint8` of shape `[n, 3072]`
    ///   with one label per row, or `.labelOutOfRange`.
    public static func loadPythonBatch(
        _ url: URL, classNames: [String] = defaultClassNames, cache: DataFileCache? = nil
    ) throws -> Dataset {
        let bytes = try cache.contents(of: url) { try FileReading.bytes(of: $0) }
        let root = try PickleReader.decode(bytes, url: url)
        guard case .dict(let dict) = root else {
            throw DatasetError.malformed(url, reason: "the pickle holds a \(root.typeName), not a dict")
        }
        func entry(_ key: String) throws -> PickleValue {
            guard let value = dict[key] else {
                throw DatasetError.malformed(url, reason: "the dict has no key '\(key)' (keys: \(dict.stringKeys.joined(separator: ", ")))")
            }
            return value
        }
        guard let labelValues = try entry("labels").elements else {
            throw DatasetError.malformed(url, reason: "'labels' is not a list")
        }
        guard case .array(let array) = try entry("data"), array.isBuilt else {
            throw DatasetError.malformed(url, reason: "'data' is not a NumPy array")
        }
        guard ["u1", "|u1", "uint8"].contains(array.descriptor) else {
            throw DatasetError.malformed(url, reason: "'data' has dtype \(array.descriptor), expected uint8 (u1)")
        }
        guard array.shape.count == 2, array.shape[1] == featureCount, !array.fortranOrder else {
            throw DatasetError.malformed(url, reason: "'data' has shape \(array.shape)\(array.fortranOrder ? " in Fortran order" : ""), expected [n, \(featureCount)] in C order")
        }
        let count = array.shape[0]
        guard array.data.count == count * featureCount else {
            throw DatasetError.malformed(url, reason: "'data' holds \(array.data.count) bytes, its shape \(array.shape) needs \(count * featureCount)")
        }
        guard labelValues.count == count else {
            throw DatasetError.malformed(url, reason: "\(labelValues.count) labels for \(count) images")
        }
        var labels = [Int](repeating: 0, count: count)
        for (i, value) in labelValues.enumerated() {
            guard case .int(let label) = value else {
                throw DatasetError.malformed(url, reason: "label \(i) is a \(value.typeName), not an int")
            }
            guard label >= 0 && label < classNames.count else {
                throw DatasetError.labelOutOfRange(url, record: i, label: label, classCount: classNames.count)
            }
            labels[i] = label
        }
        let scalars = floats(from: array.data)
        return Dataset(features: Tensor(shape: [count, featureCount], scalars: scalars), labels: labels,
                       classNames: classNames, imageShape: imageShape)
    }

    /// The `label_names` list of a Python-version `batches.meta` pickle.
    static func pythonClassNames(_ url: URL) throws -> [String] {
        let root = try PickleReader.decode(try FileReading.bytes(of: url, maximumSize: 1 << 20), url: url)
        guard case .dict(let dict) = root, let names = dict["label_names"]?.elements else {
            throw DatasetError.malformed(url, reason: "no 'label_names' list")
        }
        return try names.map {
            guard let name = $0.string else { throw DatasetError.malformed(url, reason: "a label name is not a string") }
            return name
        }
    }
}
