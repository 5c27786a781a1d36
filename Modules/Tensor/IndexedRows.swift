/// Rows of a matrix picked by index, to be read in place: a mini-batch of a training set without the copy.
///
/// A batch of 100 CIFAR-10 images is 1.2 MB that a gather would copy out of the training set on every
/// step, only for the first layer's two products to read it again. Products take an `IndexedRows` as
/// their left operand instead and read the chosen rows where they are, rounding exactly as on a gathered
/// copy (`Tensor.matmul(_:_:_:_:into:alpha:beta:)` with an `IndexedRows` first).
///
/// ```swift
/// let batch = IndexedRows(of: train.features, at: indices)   // [indices.count, 3072], nothing copied
/// Tensor.matmul(batch, false, weight, false, into: &output)  // batch · W
/// ```
///
/// The value holds its matrix and indices (sharing their storage, so making one allocates nothing).
public struct IndexedRows<Scalar: TensorScalar>: Sendable {
    /// The matrix the rows come from.
    public let source: Tensor<Scalar>
    /// The rows of `source`, in the order they stand in the batch.
    public let indices: ArraySlice<Int>

    /// The rows `indices` of the rank-2 `source`; every index must lie in `0..<source.rows`.
    public init(of source: Tensor<Scalar>, at indices: ArraySlice<Int>) {
        Tensor.checkRows(indices, of: source, in: "IndexedRows")
        self.source = source
        self.indices = indices
    }

    /// The shape of the matrix these rows make: `[indices.count, source.columns]`.
    public var shape: [Int] { [indices.count, source.shape[1]] }

    /// The number of rows.
    public var rows: Int { indices.count }

    /// The length of each row.
    public var columns: Int { source.shape[1] }

    /// The rows copied into a tensor of their own.
    public func gathered() -> Tensor<Scalar> {
        var copy = Tensor<Scalar>(zeros: [0, 0])
        copy.gatherRows(of: source, at: indices)
        return copy
    }
}

extension Tensor {
    /// Writes `alpha · op(a) · op(b) + beta · result` into `result`, with `a` the rows it picks out of its
    /// matrix, read in place; the same numbers as the product of `a.gathered()`.
    ///
    /// The first layer of a model reads its mini-batch this way in both of its products: `x · W` forward
    /// and `xᵀ · g` for the weight gradient.
    @inlinable
    public static func matmul(
        _ a: IndexedRows<Scalar>, _ transposeA: Bool, _ b: Tensor, _ transposeB: Bool,
        into result: inout Tensor, alpha: Scalar = 1, beta: Scalar = 0
    ) {
        let (m, n, k) = prepareProduct(a.rows, a.columns, transposeA, b, transposeB, into: &result, beta: beta)
        a.source.scalars.withUnsafeBufferPointer { pa in
            a.indices.withUnsafeBufferPointer { rows in
                b.scalars.withUnsafeBufferPointer { pb in
                    result.scalars.withUnsafeMutableBufferPointer { pc in
                        guard let c = pc.baseAddress else { return }
                        guard k > 0, let a0 = pa.baseAddress, let r0 = rows.baseAddress, let b0 = pb.baseAddress
                        else {
                            for i in 0..<pc.count { pc[i] = beta == 0 ? 0 : beta * pc[i] }
                            return
                        }
                        Scalar.gemm(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                            a: a0, lda: a.columns, aRows: r0, b: b0, ldb: b.shape[1], beta: beta, c: c, ldc: n)
                    }
                }
            }
        }
    }
}
