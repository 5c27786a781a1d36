import Foundation

/// MNIST (LeCun et al., 1998): 28 × 28 grey images of handwritten digits, read from IDX files.
///
/// The directory holds the four standard files, gzip-compressed (`train-images-idx3-ubyte.gz`, …) or
/// not (`train-images-idx3-ubyte`, …). The 60000 training images are split into training data and the
/// last `validationCount` images for validation; the 10000 `t10k` images are the test set.
///
/// ```swift
/// let splits = try MNIST.load(directory: URL(filePath: "/data/mnist"), validationCount: 5000)
/// ```
public enum MNIST {
    /// The digits "0" … "9".
    public static let classNames = (0...9).map(String.init)

    /// Loads the training (minus validation), validation and test sets; with a `cache`, each file is
    /// read and gunzipped once per process (see `DataFileCache`).
    public static func load(
        directory: URL, validationCount: Int = 5000, trainingLimit: Int? = nil, cache: DataFileCache? = nil
    ) throws -> DataSplits {
        try loadIDXDirectory(directory, classNames: classNames, validationCount: validationCount,
                             trainingLimit: trainingLimit, cache: cache)
    }
}

/// Fashion-MNIST (Xiao et al., 2017): 28 × 28 grey images of clothing in ten classes, in MNIST's format.
///
/// Debian's `dataset-fashion-mnist` package installs it in `/usr/share/datasets/fashion-mnist`.
public enum FashionMNIST {
    /// The ten class names in label order.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// Loads the training (minus validation), validation and test sets; see `MNIST.load`.
    public static func load(
        directory: URL, validationCount: Int = 5000, trainingLimit: Int? = nil, cache: DataFileCache? = nil
    ) throws -> DataSplits {
        try loadIDXDirectory(directory, classNames: classNames, validationCount: validationCount,
                             trainingLimit: trainingLimit, cache: cache)
    }
}

/// Reads the four standard IDX files of an MNIST-style directory.
func loadIDXDirectory(
    _ directory: URL, classNames: [String], validationCount: Int, trainingLimit: Int?, cache: DataFileCache?
) throws -> DataSplits {
    func file(_ stem: String) -> URL {
        let compressed = directory.appending(path: stem + ".gz")
        let raw = directory.appending(path: stem)
        return FileReading.exists(compressed) || !FileReading.exists(raw) ? compressed : raw
    }
    let trainImages = file("train-images-idx3-ubyte"), testImages = file("t10k-images-idx3-ubyte")
    let pool = try IDX.load(images: trainImages, labels: file("train-labels-idx1-ubyte"), classNames: classNames,
                            cache: cache)
    let test = try IDX.load(images: testImages, labels: file("t10k-labels-idx1-ubyte"), classNames: classNames,
                            cache: cache)
    // A model is built for the training images' shape; test images of another shape cannot be evaluated.
    guard pool.imageShape == test.imageShape else {
        func size(_ shape: ImageShape?) -> String { shape.map { "\($0.height) × \($0.width)" } ?? "unknown" }
        throw DatasetError.shapeMismatch(trainImages, testImages, reason: "the training images are "
            + "\(size(pool.imageShape)) pixels but the test images are \(size(test.imageShape))")
    }
    var notes: [String] = []
    let (train, validation) = DataSplits.holdOut(
        consume pool, validationCount: validationCount, trainingLimit: trainingLimit, poolName: "training images",
        notes: &notes)
    return DataSplits(train: train, validation: validation, test: test, notes: notes)
}
