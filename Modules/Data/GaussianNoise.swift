import BackpropTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adds independent N(0, σ²) noise to every feature of a training batch, or of a random `fraction` of
/// its examples (the course report's "noise on a random 10% of each batch").
///
/// The normal draws use Marsaglia's polar method in `Float` with two 24-bit uniforms per 64-bit draw:
/// no trigonometry, one logarithm per pair of values, which keeps the noise cheaper than the forward
/// pass it precedes.
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
            Self.addNoise(to: &batch, rows: 0..<batch.rows, sigma: Float(standardDeviation), generator: &generator)
            return
        }
        // The rows: the first k of a partial Fisher–Yates shuffle, in increasing order.
        let rows = batch.rows
        let chosen = Int((fraction * Double(rows) + 0.5).rounded(.down))
        var order = Array(0..<rows)
        for i in 0..<chosen { order.swapAt(i, i + generator.nextIndex(below: rows - i)) }
        let sigma = Float(standardDeviation)
        for row in order[..<chosen].sorted() {
            Self.addNoise(to: &batch, rows: row..<(row + 1), sigma: sigma, generator: &generator)
        }
    }

    /// Adds N(0, σ²) draws to every element of `rows` of `batch`, in order: the draws are made in
    /// `Float` by concrete code (`fill`), then added by the scalar's axpy (`x + 1·d`, the same sum as
    /// `x + d`), so that no generic element access is left in the loop.
    private static func addNoise<S: TensorScalar>(
        to batch: inout Tensor<S>, rows: Range<Int>, sigma: Float, generator: inout SeededGenerator
    ) {
        let columns = batch.columns, count = rows.count * columns
        guard count > 0 else { return }
        var draws = [Float](repeating: 0, count: count)
        draws.withUnsafeMutableBufferPointer { fill($0, sigma: sigma, generator: &generator) }
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

    /// Fills `x` with N(0, σ²) draws by the polar method, two per accepted pair of uniforms.
    ///
    /// The stream: each attempt takes one `generator.next()`, whose low and high 32-bit halves give the
    /// uniforms u and v in [−1, 1) from their top 24 bits; a pair with s = u² + v² outside (0, 1) is
    /// drawn again; an accepted pair gives u·f and v·f with f = σ·√(−2 ln s / s), in that order (the
    /// second dropped after an odd count's last element). All in `Float`.
    static func fill(_ x: UnsafeMutableBufferPointer<Float>, sigma: Float, generator: inout SeededGenerator) {
        let n = x.count
        var i = 0
        while i < n {
            var u: Float, v: Float, s: Float
            repeat {
                let bits = generator.next()
                u = Float(UInt32(truncatingIfNeeded: bits) >> 8) * 0x1p-23 - 1
                v = Float(UInt32(truncatingIfNeeded: bits >> 32) >> 8) * 0x1p-23 - 1
                s = u * u + v * v
            } while s >= 1 || s == 0
            let factor = sigma * (-2 * logf(s) / s).squareRoot()
            x[i] = u * factor
            if i + 1 < n { x[i + 1] = v * factor }
            i += 2
        }
    }
}
