import BackpropTensor
import Foundation

/// A labelled set of examples held in memory: one example per row of `features`, its class in `labels`.
///
/// Pixel values come from the readers as `Float` in 0...255; `Standardizer` turns them into zero-mean,
/// unit-variance features. A data set is a value, so a subset or a standardised copy never changes the
/// original.
///
/// ```swift
/// let batch1 = try CIFAR10.loadBinaryBatch(url, classNames: CIFAR10.defaultClassNames)
/// let small = batch1.prefix(1000)          // the first 1000 images
/// let y = small.oneHot()                   // 1000 × 10
/// ```
///
/// Mismatched sizes passed to `init` are programming errors (a precondition); data read from files is
/// checked by the readers, which throw `DatasetError` first.
public struct Dataset: Sendable, Equatable {
    /// `[count, featureCount]`, one example per row.
    public var features: Tensor<Float>
    /// The class index of each example, in `0..<classCount`.
    public var labels: [Int]
    /// The name of each class, indexed by label.
    public var classNames: [String]
    /// The layout of one example when it is an image, `nil` for plain feature vectors.
    public var imageShape: ImageShape?

    /// A data set from its parts; `features` must have one row per label.
    public init(features: Tensor<Float>, labels: [Int], classNames: [String], imageShape: ImageShape? = nil) {
        precondition(features.rank == 2, "Dataset features must be [count, featureCount], got \(features.shape)")
        precondition(features.rows == labels.count,
                     "Dataset: \(labels.count) labels for \(features.rows) feature rows")
        precondition(imageShape.map { $0.featureCount == features.columns } ?? true,
                     "Dataset: image shape \(imageShape.map(\.description) ?? "") does not fit \(features.columns) features")
        self.features = features
        self.labels = labels
        self.classNames = classNames
        self.imageShape = imageShape
    }

    /// The number of examples.
    public var count: Int { labels.count }
    /// The number of features of one example.
    public var featureCount: Int { features.shape[1] }
    /// The number of classes.
    public var classCount: Int { classNames.count }

    /// How many examples of each class, indexed by label.
    public var classCounts: [Int] {
        var counts = Array(repeating: 0, count: classCount)
        for label in labels where label >= 0 && label < classCount { counts[label] += 1 }
        return counts
    }

    // MARK: - Subsets

    /// The examples at `indices`, in that order (an index may repeat).
    ///
    /// - Complexity: O(indices.count · featureCount), one row copy per index.
    public func subset(_ indices: some Collection<Int>) -> Dataset {
        let columns = featureCount
        let rows = Array(indices)
        precondition(rows.allSatisfy { $0 >= 0 && $0 < count }, "Dataset.subset: index outside 0..<\(count)")
        let scalars = [Float](unsafeUninitializedCapacity: rows.count * columns) { out, initialized in
            features.scalars.withUnsafeBufferPointer { source in
                for (i, row) in rows.enumerated() {
                    (out.baseAddress! + i * columns).initialize(
                        from: source.baseAddress! + row * columns, count: columns)
                }
            }
            initialized = rows.count * columns
        }
        return Dataset(features: Tensor(shape: [rows.count, columns], scalars: scalars),
                       labels: rows.map { labels[$0] }, classNames: classNames, imageShape: imageShape)
    }

    /// The first `n` examples (all of them when `n >= count`).
    public func prefix(_ n: Int) -> Dataset {
        let n = max(0, min(n, count))
        return Dataset(features: features.rows(0..<n), labels: Array(labels[0..<n]),
                       classNames: classNames, imageShape: imageShape)
    }

    /// Keeps only the first `n` examples, in place: the storage is kept, nothing is copied.
    public mutating func truncate(to n: Int) {
        let n = max(0, min(n, count))
        features.resize(to: [n, featureCount])
        labels.removeLast(count - n)
    }

    /// The examples `range`, copied.
    public func slice(_ range: Range<Int>) -> Dataset {
        Dataset(features: features.rows(range), labels: Array(labels[range]),
                classNames: classNames, imageShape: imageShape)
    }

    /// The examples of `parts` one after the other.
    ///
    /// - Throws: `DatasetError.incompatible` when `parts` is empty or the parts differ in feature count,
    ///   class names or image shape.
    public static func concatenate(_ parts: [Dataset]) throws -> Dataset {
        guard let first = parts.first else {
            throw DatasetError.incompatible(reason: "cannot concatenate an empty list of data sets")
        }
        for (i, part) in parts.enumerated().dropFirst() {
            guard part.featureCount == first.featureCount else {
                throw DatasetError.incompatible(reason: "cannot concatenate data sets: part \(i) has "
                    + "\(part.featureCount) features, part 0 has \(first.featureCount)")
            }
            guard part.classNames == first.classNames, part.imageShape == first.imageShape else {
                throw DatasetError.incompatible(reason: "cannot concatenate data sets: part \(i) has other "
                    + "class names or image shape than part 0")
            }
        }
        var scalars = [Float]()
        scalars.reserveCapacity(parts.reduce(0) { $0 + $1.features.count })
        var labels = [Int]()
        labels.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts {
            scalars.append(contentsOf: part.features.scalars)
            labels.append(contentsOf: part.labels)
        }
        return Dataset(features: Tensor(shape: [labels.count, first.featureCount], scalars: scalars),
                       labels: labels, classNames: first.classNames, imageShape: first.imageShape)
    }
}

extension Dataset: CustomStringConvertible {
    public var description: String {
        "Dataset(\(count) examples × \(featureCount) features"
            + (imageShape.map { " (\($0))" } ?? "") + ", \(classCount) classes)"
    }
}
