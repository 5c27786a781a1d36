/// A scalar with the element-wise and row-wise passes of a training step.
///
/// Semantics: buffers hold `count` elements (or `rows × columns`, row-major) and do not overlap; every
/// pass rounds as its plain loop written in the order given (no multiply-add contraction), so that
/// results do not depend on how a pass is vectorised or split over threads.
public protocol VectorKernelScalar: BinaryFloatingPoint {
    /// Shortens `array` to `count` elements or lengthens it with zeros, keeping its first elements.
    static func resize(_ array: inout [Self], to count: Int)

    /// `y += alpha · x`.
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// `value += rate · (gradient + decay · value)` in one pass: a linear regulariser's gradient term and
    /// a plain gradient step (weight decay). `value` ends exactly as after the two `axpy` calls
    /// `gradient += decay · value`, `value += rate · gradient`; `gradient` is only read.
    static func decayAndStep(
        count: Int, decay: Self, rate: Self, value: UnsafeMutablePointer<Self>, gradient: UnsafePointer<Self>)

    /// `x *= alpha` in place.
    static func scale(_ x: UnsafeMutablePointer<Self>, count: Int, by alpha: Self)

    /// `Σ xᵢ · yᵢ`, accumulated in `Double`.
    static func dot(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Double

    /// Adds `row` (of `columns` elements) to each of the `rows` rows of `matrix`.
    static func addRow(_ row: UnsafePointer<Self>, to matrix: UnsafeMutablePointer<Self>, rows: Int, columns: Int)

    /// Writes the column sums of a `rows × columns` matrix to `sums`.
    static func columnSums(_ matrix: UnsafePointer<Self>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Self>)

    /// `x *= y` element-wise, in place (masks and dropout).
    static func multiplyInPlace(_ x: UnsafeMutablePointer<Self>, by y: UnsafePointer<Self>, count: Int)

    /// Fills `mask` with a dropout mask from one ``PhiloxStream``, keyed by `generator.nextStream()`:
    /// element i is 0 when the stream's word i is below `PhiloxStream.threshold(probability:
    /// dropProbability)`, `keep` otherwise. The mask is the same in every scalar type.
    static func bernoulliMask(
        _ mask: UnsafeMutablePointer<Self>, count: Int, dropProbability: Double, keep: Self,
        generator: inout SeededGenerator)
}
