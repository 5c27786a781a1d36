import BackpropTensor

/// Per-feature standardisation `x′ = (x − mean) / std`, with statistics fitted on training data only.
///
/// Fit it on the training split, then apply the same transform to validation, test and any new input,
/// so that no statistic of held-out data leaks into training. It is `Codable` so that a saved model can
/// carry the transform its inputs need.
///
/// ```swift
/// let standardizer = Standardizer(fitting: splits.train)
/// var test = splits.test
/// standardizer.apply(to: &test)
/// ```
///
/// The standard deviation is the population one (divisor n, NumPy's default). A feature whose standard
/// deviation is below `minimumStandardDeviation` (constant in the training data) is only centred: its
/// divisor is 1, as scikit-learn does, rather than a tiny number that would blow up held-out values.
public struct Standardizer: Sendable, Equatable, Codable {
    /// The divisor floor used unless another is given.
    public static let defaultMinimumStandardDeviation: Float = 1e-6

    /// The mean of each feature over the training data.
    public var mean: [Float]
    /// The divisor of each feature: its standard deviation, or 1 for a (nearly) constant feature.
    public var standardDeviation: [Float]

    /// A standardiser with given statistics.
    public init(mean: [Float], standardDeviation: [Float]) {
        precondition(mean.count == standardDeviation.count, "Standardizer: \(mean.count) means, \(standardDeviation.count) deviations")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Fits the per-feature mean and standard deviation of `data` (accumulated in `Double`).
    public init(fitting data: Dataset, minimumStandardDeviation: Float = defaultMinimumStandardDeviation) {
        self.init(fitting: data.features, minimumStandardDeviation: minimumStandardDeviation)
    }

    /// Fits the per-column mean and standard deviation of a `[count, features]` tensor.
    public init(fitting features: Tensor<Float>, minimumStandardDeviation: Float = defaultMinimumStandardDeviation) {
        let (rows, columns) = (features.rows, features.columns)
        var sums = [Double](repeating: 0, count: columns)
        var squares = [Double](repeating: 0, count: columns)
        features.scalars.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { sum in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * columns
                    for j in 0..<columns { sum[j] += Double(row[j]) }
                }
            }
            let n = Double(max(rows, 1))
            for j in 0..<columns { sums[j] /= n }
            // Two passes: the squared deviations from the mean, which stay accurate for 0...255 pixels
            // where the one-pass formula E[x²] − E[x]² would cancel.
            sums.withUnsafeBufferPointer { mean in
                squares.withUnsafeMutableBufferPointer { square in
                    for r in 0..<rows {
                        let row = x.baseAddress! + r * columns
                        for j in 0..<columns {
                            let d = Double(row[j]) - mean[j]
                            square[j] += d * d
                        }
                    }
                }
            }
            for j in 0..<columns { squares[j] = (squares[j] / n).squareRoot() }
        }
        self.init(mean: sums.map { Float($0) },
                  standardDeviation: squares.map { $0 < Double(minimumStandardDeviation) ? 1 : Float($0) })
    }

    /// The number of features the standardiser was fitted on.
    public var featureCount: Int { mean.count }

    /// Standardises every row of `features` in place.
    public func apply(to features: inout Tensor<Float>) {
        let columns = features.columns
        precondition(features.count == 0 || columns == featureCount,
                     "Standardizer fitted on \(featureCount) features applied to \(columns)")
        let rows = features.count / max(columns, 1)
        let scale = standardDeviation.map { 1 / $0 }
        mean.withUnsafeBufferPointer { mean in
            scale.withUnsafeBufferPointer { scale in
                features.scalars.withUnsafeMutableBufferPointer { x in
                    for r in 0..<rows {
                        let row = x.baseAddress! + r * columns
                        for j in 0..<columns { row[j] = (row[j] - mean[j]) * scale[j] }
                    }
                }
            }
        }
    }

    /// Standardises the features of `data` in place.
    public func apply(to data: inout Dataset) {
        apply(to: &data.features)
    }

    /// A standardised copy of `data`.
    public func applied(to data: Dataset) -> Dataset {
        var copy = data
        apply(to: &copy)
        return copy
    }

    /// Undoes the transform (to show standardised images or weights as pictures).
    public func inverted(_ features: Tensor<Float>) -> Tensor<Float> {
        var result = features
        let columns = featureCount
        for i in 0..<result.count {
            let j = i % columns
            result.scalars[i] = result.scalars[i] * standardDeviation[j] + mean[j]
        }
        return result
    }
}
