/// A scalar with the column-wise passes of batch normalisation: one dynamic call per layer and pass, a
/// concrete loop over the `rows × columns` batch (row-major, one column per feature).
///
/// Semantics: buffers do not overlap (except where said); each pass rounds as its plain loop written
/// in the order documented, rows outer and columns inner, so that results do not depend on how a pass
/// is vectorised.
public protocol NormalizationKernelScalar: BinaryFloatingPoint {
    /// Each column's mean, then its biased variance `Σ (x − mean)² / rows`, summed in row order into
    /// `mean` and `variance` (which start at 0).
    static func columnStatistics(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, mean: UnsafeMutablePointer<Self>,
        variance: UnsafeMutablePointer<Self>)

    /// `xHat = (x − mean[j]) · inverseDeviation[j]` and `y = gamma[j] · xHat + beta[j]` for each
    /// element of column j.
    static func normalize(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, mean: UnsafePointer<Self>,
        inverseDeviation: UnsafePointer<Self>, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
        xHat: UnsafeMutablePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// `shift[j] += g`, `scale[j] += g · xHat` over the rows, in row order (`shift` and `scale` start at 0).
    static func normalizationParameterGradients(
        _ g: UnsafePointer<Self>, xHat: UnsafePointer<Self>, rows: Int, columns: Int,
        shift: UnsafeMutablePointer<Self>, scale: UnsafeMutablePointer<Self>)

    /// `dx = factor[j] · (g − batchTerms · (shift[j] + xHat · scale[j]))` for each element of column j.
    static func normalizationInputGradient(
        _ g: UnsafePointer<Self>, xHat: UnsafePointer<Self>, rows: Int, columns: Int, shift: UnsafePointer<Self>,
        scale: UnsafePointer<Self>, factor: UnsafePointer<Self>, batchTerms: Self, dx: UnsafeMutablePointer<Self>)
}

/// The loops of `NormalizationKernelScalar`, specialised in each conformance.
@usableFromInline
enum NormalizationKernels {
    @inlinable
    static func columnStatistics<T: BinaryFloatingPoint>(
        _ x: UnsafePointer<T>, rows n: Int, columns c: Int, mean: UnsafeMutablePointer<T>, variance: UnsafeMutablePointer<T>
    ) {
        for row in 0..<n {
            for j in 0..<c { mean[j] += x[row * c + j] }
        }
        for j in 0..<c { mean[j] /= T(n) }
        for row in 0..<n {
            for j in 0..<c {
                let d = x[row * c + j] - mean[j]
                variance[j] += d * d
            }
        }
        for j in 0..<c { variance[j] /= T(n) }
    }

    @inlinable
    static func normalize<T: BinaryFloatingPoint>(
        _ x: UnsafePointer<T>, rows n: Int, columns c: Int, mean: UnsafePointer<T>, inverseDeviation: UnsafePointer<T>,
        gamma: UnsafePointer<T>, beta: UnsafePointer<T>, xHat: UnsafeMutablePointer<T>, y: UnsafeMutablePointer<T>
    ) {
        for row in 0..<n {
            let base = row * c
            for j in 0..<c {
                let value = (x[base + j] - mean[j]) * inverseDeviation[j]
                xHat[base + j] = value
                y[base + j] = gamma[j] * value + beta[j]
            }
        }
    }

    @inlinable
    static func parameterGradients<T: BinaryFloatingPoint>(
        _ g: UnsafePointer<T>, xHat: UnsafePointer<T>, rows n: Int, columns c: Int, shift: UnsafeMutablePointer<T>,
        scale: UnsafeMutablePointer<T>
    ) {
        for row in 0..<n {
            let base = row * c
            for j in 0..<c {
                shift[j] += g[base + j]
                scale[j] += g[base + j] * xHat[base + j]
            }
        }
    }

    @inlinable
    static func inputGradient<T: BinaryFloatingPoint>(
        _ g: UnsafePointer<T>, xHat: UnsafePointer<T>, rows n: Int, columns c: Int, shift: UnsafePointer<T>,
        scale: UnsafePointer<T>, factor: UnsafePointer<T>, batchTerms: T, dx: UnsafeMutablePointer<T>
    ) {
        for row in 0..<n {
            let base = row * c
            for j in 0..<c {
                let centred = g[base + j] - batchTerms * (shift[j] + xHat[base + j] * scale[j])
                dx[base + j] = factor[j] * centred
            }
        }
    }
}
