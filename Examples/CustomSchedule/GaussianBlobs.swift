import Backprop

/// A small learnable data set made in code, so that the example runs on any machine: `classes`
/// Gaussian blobs in `dimensions` dimensions, split into training, validation and test examples.
///
/// Each class has a centre drawn from N(0, spread²) per coordinate; an example is its class's centre
/// plus N(0, 1) noise per coordinate. With the default spread of 0.5 the centres of two classes are
/// about 0.5·√(2·64) ≈ 5.7 noise standard deviations apart: a linear classifier separates them well
/// but not perfectly, so the curves have something to show. Labels cycle through the classes before
/// shuffling, so every split is nearly balanced. The same seed gives the same data.
///
/// ```swift
/// let (splits, standardizer) = gaussianBlobs(seed: 42).standardized()
/// ```
func gaussianBlobs(
    classes: Int = 10, dimensions: Int = 64, train: Int = 2000, validation: Int = 500, test: Int = 500,
    spread: Double = 0.5, seed: UInt64
) -> DataSplits {
    var generator = SeededGenerator(seed: seed)
    let centres = (0..<classes).map { _ in (0..<dimensions).map { _ in spread * generator.nextNormal() } }
    var labels = (0..<(train + validation + test)).map { $0 % classes }
    generator.shuffle(&labels)
    let scalars = labels.flatMap { label in centres[label].map { Float($0 + generator.nextNormal()) } }
    let all = Dataset(features: Tensor(shape: [labels.count, dimensions], scalars: scalars), labels: labels,
                      classNames: (0..<classes).map { "blob \($0)" })
    return DataSplits(
        train: all.slice(0..<train), validation: all.slice(train..<(train + validation)),
        test: all.slice((train + validation)..<labels.count))
}
