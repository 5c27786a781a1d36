import CBackpropKernels

/// A scalar that `Float` storage (the way data sets keep their features) converts into.
///
/// Data sets keep their features as `Float`; a model may train in another scalar (`Double` for
/// gradient checks). These two requirements are the seam between the two: code generic over the
/// scalar asks the scalar (through ``Tensor/sharingStorage(of:)`` and
/// ``Tensor/gatherRows(convertingFrom:at:)``), never casts a tensor.
///
/// Semantics:
/// - `sharingStorage(of:)` returns the same array, storage shared and nothing copied, when the scalar is
///   `Float`, and `nil` for any other scalar (which needs a converted copy);
/// - `copyRows(of:columns:at:into:)` writes row `indices[i]` of the row-major `source` (rows of
///   `columns` elements), converted exactly (`Self(float)`), as row i of `target`, which already holds
///   `indices.count · columns` elements; the indices are checked by the caller.
public protocol FloatStorageConvertible: BinaryFloatingPoint {
    /// `floats` itself when `Self` is `Float`, else `nil`.
    static func sharingStorage(of floats: [Float]) -> [Self]?

    /// The rows `indices` of `source`, converted, into `target`.
    static func copyRows(of source: [Float], columns: Int, at indices: ArraySlice<Int>, into target: inout [Self])
}

extension Float: FloatStorageConvertible {
    public static func sharingStorage(of floats: [Float]) -> [Float]? { floats }

    /// Whole rows copied by `bp_gather_rows`, on both cores for a large batch.
    public static func copyRows(of source: [Float], columns: Int, at indices: ArraySlice<Int>, into target: inout [Float]) {
        guard columns > 0, !indices.isEmpty else { return }
        source.withUnsafeBytes { from in
            target.withUnsafeMutableBytes { to in
                indices.withUnsafeBufferPointer { rows in
                    bp_gather_rows(
                        to.baseAddress!, from.baseAddress!, columns * MemoryLayout<Float>.stride, rows.baseAddress!,
                        rows.count)
                }
            }
        }
    }
}

extension Double: FloatStorageConvertible {
    public static func sharingStorage(of floats: [Float]) -> [Double]? { nil }

    public static func copyRows(of source: [Float], columns: Int, at indices: ArraySlice<Int>, into target: inout [Double]) {
        source.withUnsafeBufferPointer { from in
            target.withUnsafeMutableBufferPointer { to in
                for (i, row) in indices.enumerated() {
                    let input = from.baseAddress! + row * columns, output = to.baseAddress! + i * columns
                    for j in 0..<columns { output[j] = Double(input[j]) }
                }
            }
        }
    }
}

extension Tensor {
    /// `floats` itself, storage shared, when `Scalar` is `Float`; `nil` for another scalar.
    public static func sharingStorage(of floats: Tensor<Float>) -> Tensor? {
        Scalar.sharingStorage(of: floats.scalars).map { Tensor(shape: floats.shape, scalars: $0) }
    }

    /// Makes this tensor `[indices.count, source.columns]`, row i row `indices[i]` of `source` converted
    /// to `Scalar`: ``gatherRows(of:at:)`` across scalar types. Every index must lie in `0..<source.rows`.
    public mutating func gatherRows(convertingFrom source: Tensor<Float>, at indices: ArraySlice<Int>) {
        Tensor<Float>.checkRows(indices, of: source, in: "gatherRows")
        let columns = source.shape[1]
        resize(to: [indices.count, columns])
        Scalar.copyRows(of: source.scalars, columns: columns, at: indices, into: &scalars)
    }
}
