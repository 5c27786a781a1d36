import BackpropTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adds independent N(0, σ²) noise to every feature of a training batch.
///
/// The normal draws use Marsaglia's polar method in `Float` with two 24-bit uniforms per 64-bit draw:
/// no trigonometry, one logarithm per pair of values, which keeps the noise cheaper than the forward
/// pass it precedes.
public struct GaussianNoise: Augmentation, Equatable {
    /// σ, in units of the (standardised) features.
    public let standardDeviation: Double

    /// Noise with standard deviation `standardDeviation` (at least 0; 0 leaves batches unchanged).
    public init(standardDeviation: Double) {
        precondition(standardDeviation >= 0 && standardDeviation.isFinite,
                     "GaussianNoise: standard deviation must be a non-negative number, got \(standardDeviation)")
        self.standardDeviation = standardDeviation
    }

    public var description: String { "GaussianNoise(std: \(standardDeviation))" }

    /// The draws are made in `Float` whatever the batch's scalar, so a run's random stream does not
    /// depend on it; each value is added in the batch's scalar.
    public func apply<S: TensorScalar>(to batch: inout Tensor<S>, generator: inout SeededGenerator) {
        guard standardDeviation > 0 else { return }
        let sigma = Float(standardDeviation)
        batch.scalars.withUnsafeMutableBufferPointer { x in
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
}
