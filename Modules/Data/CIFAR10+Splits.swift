import Foundation

extension CIFAR10 {
    /// The two distributions of the files.
    public enum Layout: Sendable, Equatable {
        /// `data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`, `batches.meta.txt`.
        case binary
        /// The pickles `data_batch_1` … `data_batch_5`, `test_batch`, `batches.meta`.
        case python
    }

    /// Finds the CIFAR-10 files in `directory` or in its `cifar-10-batches-bin` / `cifar-10-batches-py`
    /// folder (the names the official archives unpack to).
    ///
    /// - Returns: the folder that holds the batches and which version they are.
    /// - Throws: `DatasetError.unrecognizedLayout` naming what was looked for.
    public static func locate(_ directory: URL) throws -> (directory: URL, layout: Layout) {
        let candidates: [(URL, Layout)] = [
            (directory, .binary), (directory.appending(path: "cifar-10-batches-bin"), .binary),
            (directory, .python), (directory.appending(path: "cifar-10-batches-py"), .python),
        ]
        for (folder, layout) in candidates where exists(batchURL(folder, "data_batch_1", layout)) {
            // Something by that name that is not a file (a directory, a socket) is named, not skipped.
            _ = try FileReading.size(of: batchURL(folder, "data_batch_1", layout))
            return (folder, layout)
        }
        throw DatasetError.unrecognizedLayout(directory, reason: "no CIFAR-10 batches found: looked for "
            + "data_batch_1.bin (binary version) and data_batch_1 (Python version) here and in its "
            + "cifar-10-batches-bin and cifar-10-batches-py folders")
    }

    /// Loads the training, validation and test sets of `split` from a CIFAR-10 directory of either version.
    ///
    /// - Parameters:
    ///   - directory: the folder holding the batches of either version, or a folder holding
    ///     `cifar-10-batches-bin` or `cifar-10-batches-py` (see `locate(_:)`).
    ///   - split: which batches become the training, validation and test sets.
    ///   - trainingLimit: when given, only the first `trainingLimit` training images are kept (after the
    ///     validation images were set aside), as in the course's 10,000-image experiments.
    ///   - cache: keeps the files read for later loads of the same process (see `DataFileCache`).
    /// - Returns: the splits, with `notes` saying when the files are a partial copy (fewer than 10000
    ///   images per batch), when the validation set was shrunk, or when the limit exceeds the data.
    /// - Throws: `DatasetError` for a missing or damaged file.
    public static func load(
        directory: URL, split: CIFARSplit, trainingLimit: Int? = nil, cache: DataFileCache? = nil
    ) throws -> DataSplits {
        let (folder, layout) = try locate(directory)
        let classNames = try loadClassNames(folder)
        var notes: [String] = []
        var fileCounts: [(name: String, count: Int)] = []
        func batches(_ names: [String]) throws -> Dataset {
            let urls = names.map { batchURL(folder, $0, layout) }
            switch layout {
            case .binary:
                let data = try loadBinaryBatches(urls, classNames: classNames, cache: cache)
                for (name, url) in zip(names, urls) {
                    fileCounts.append((name, try FileReading.size(of: url) / recordSize))
                }
                return data
            case .python:
                let parts = try urls.map { try loadPythonBatch($0, classNames: classNames, cache: cache) }
                fileCounts += zip(names, parts).map { ($0, $1.count) }
                return try Dataset.concatenate(parts)
            }
        }
        let train: Dataset, validation: Dataset
        switch split {
        case .batch1Batch2Test:
            let first = try batches(["data_batch_1"])
            validation = try batches(["data_batch_2"])
            if let limit = trainingLimit {
                train = DataSplits.limitTraining(consume first, to: limit, notes: &notes)
            } else {
                train = first
            }
        case .allBatches(let validationCount):
            let pool = try batches((1...5).map { "data_batch_\($0)" })
            (train, validation) = DataSplits.holdOut(
                consume pool, validationCount: validationCount, trainingLimit: trainingLimit,
                poolName: "training images", notes: &notes)
        }
        let test = try batches(["test_batch"])
        if fileCounts.contains(where: { $0.count != officialImagesPerBatch }) {
            let listing = fileCounts.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
            notes.insert("partial CIFAR-10: the official batch files hold \(officialImagesPerBatch) images each, "
                + "these hold \(listing)", at: 0)
        }
        return DataSplits(train: train, validation: validation, test: test, notes: notes)
    }

    static func batchURL(_ folder: URL, _ name: String, _ layout: Layout) -> URL {
        folder.appending(path: layout == .binary ? name + ".bin" : name)
    }
}
