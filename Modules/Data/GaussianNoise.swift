import BackpropTensor

/// Adds independent N(0, σ²) noise to every feature of a training batch, or of a random `fraction` of
/// its examples (the course report's "noise on a random 10% of each batch").
///
/// The normal draws come in bulk from a `PhiloxStream` (Box–Muller in `Float`, eight blocks at a time
/// with AVX2, about 1 ns per value): one stream per batch, keyed by the run's generator, whose element
/// `r·columns + j` is the noise of row r's feature j.
public struct GaussianNoise: Augmentation, Equatable {
    /// σ, in units of the (standardised) features.
    public let standardDeviation: Double
    /// The share of each batch's examples that get noise, in [0, 1]: ⌊fraction · rows + ½⌋ rows, drawn
    /// at random for each batch.
    public let fraction: Double

    /// Noise with standard deviation `standardDeviation` (at least 0; 0 leaves batches unchanged) on a
    /// `fraction` of each batch's examples (in [0, 1]; 1, every example, draws nothing but the noise).
    public init(standardDeviation: Double, fraction: Double = 1) {
        precondition(standardDeviation >= 0 && standardDeviation.isFinite,
                     "GaussianNoise: standard deviation must be a non-negative number, got \(standardDeviation)")
        precondition((0...1).contains(fraction), "GaussianNoise: fraction must be in [0, 1], got \(fraction)")
        self.standardDeviation = standardDeviation
        self.fraction = fraction
    }

    public var description: String {
        fraction == 1 ? "GaussianNoise(std: \(standardDeviation))"
            : "GaussianNoise(std: \(standardDeviation), fraction: \(fraction))"
    }

    /// The draws are made in `Float` whatever the batch's scalar, so a run's random stream does not
    /// depend on it; each value is added in the batch's scalar.
    public func apply<S: TensorScalar>(to batch: inout Tensor<S>, generator: inout SeededGenerator) {
        guard standardDeviation > 0, fraction > 0, batch.count > 0 else { return }
        guard fraction < 1 else {
            Self.addNoise(to: &batch, rows: 0..<batch.rows, sigma: Float(standardDeviation), stream: generator.nextStream())
            return
        }
        // The rows: the first k of a partial Fisher–Yates shuffle, in increasing order.
        let rows = batch.rows
        let chosen = Int((fraction * Double(rows) + 0.5).rounded(.down))
        var order = Array(0..<rows)
        for i in 0..<chosen { order.swapAt(i, i + generator.nextIndex(below: rows - i)) }
        let sigma = Float(standardDeviation), stream = generator.nextStream()
        for row in order[..<chosen].sorted() {
            Self.addNoise(to: &batch, rows: row..<(row + 1), sigma: sigma, stream: stream)
        }
    }

    /// Adds N(0, σ²) draws to every element of `rows` of `batch`: element `i` of the batch gets element
    /// `i` of `stream`'s normal draws, made in `Float` in bulk, then added by the scalar's axpy
    /// (`x + 1·d`, the same sum as `x + d`).
    private static func addNoise<S: TensorScalar>(
        to batch: inout Tensor<S>, rows: Range<Int>, sigma: Float, stream: PhiloxStream
    ) {
        let columns = batch.columns, count = rows.count * columns
        guard count > 0 else { return }
        var draws = [Float](repeating: 0, count: count)
        draws.withUnsafeMutableBufferPointer {
            stream.normals(from: UInt64(rows.lowerBound * columns), standardDeviation: sigma, into: $0)
        }
        let noise = S.sharingStorage(of: draws) ?? {
            var converted = [S](repeating: 0, count: count)
            S.copyRows(of: draws, columns: count, at: [0], into: &converted)
            return converted
        }()
        noise.withUnsafeBufferPointer { d in
            batch.scalars.withUnsafeMutableBufferPointer { x in
                S.axpy(count: count, alpha: 1, x: d.baseAddress!, y: x.baseAddress! + rows.lowerBound * columns)
            }
        }
    }
}
