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
            batch.scalars.withUnsafeMutableBufferPointer { Self.addNoise(to: $0, sigma: Float(standardDeviation), generator: &generator) }
            return
        }
        // The rows: the first k of a partial Fisher–Yates shuffle, in increasing order.
        let rows = batch.rows, columns = batch.columns
        let chosen = Int((fraction * Double(rows) + 0.5).rounded(.down))
        var order = Array(0..<rows)
        for i in 0..<chosen { order.swapAt(i, i + generator.nextIndex(below: rows - i)) }
        let sigma = Float(standardDeviation)
        batch.scalars.withUnsafeMutableBufferPointer { x in
            for row in order[..<chosen].sorted() {
                Self.addNoise(to: UnsafeMutableBufferPointer(rebasing: x[row * columns..<(row + 1) * columns]),
                              sigma: sigma, generator: &generator)
            }
        }
    }

    /// Adds N(0, σ²) draws to every element of `x`.
    private static func addNoise<S: TensorScalar>(
        to x: UnsafeMutableBufferPointer<S>, sigma: Float, generator: inout SeededGenerator
    ) {
        let n = x.count
        var i = 0
        while i < n {
            var u: Float, v: Float, s: Float
            repeat {
                // Two uniforms in [-1, 1) from the high 24 bits of each half of one draw.
                let bits = generator.next()
                u = Float(UInt32(truncatingIfNeeded: bits) >> 8) * 0x1p-23 - 1
                v = Float(UInt32(truncatingIfNeeded: bits >> 32) >> 8) * 0x1p-23 - 1
                s = u * u + v * v
            } while s >= 1 || s == 0
            let factor = sigma * (-2 * logf(s) / s).squareRoot()
            x[i] += S(u * factor)
            if i + 1 < n { x[i + 1] += S(v * factor) }
            i += 2
        }
    }
}
