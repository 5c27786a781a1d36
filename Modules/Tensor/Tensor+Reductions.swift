extension Tensor {
    /// The sum of all elements, accumulated in `Double`.
    @inlinable
    public func sum() -> Double {
        scalars.reduce(0.0) { $0 + Double($1) }
    }

    /// `Σ xᵢ²`, accumulated in `Double`: the squared Frobenius norm that L2 regularisation uses.
    @inlinable
    public func sumOfSquares() -> Double {
        scalars.withUnsafeBufferPointer { x in
            guard let base = x.baseAddress else { return 0 }
            return Scalar.dot(count: x.count, base, base)
        }
    }

    /// The sums of each column of a rank-2 tensor, as a `[1, columns]` tensor (sum over the batch).
    @inlinable
    public func sumOverRows() -> Tensor {
        var out = Tensor(zeros: [1, columns])
        sumOverRows(into: &out)
        return out
    }

    /// Writes the sums of each column into `out`, made `[1, columns]`: `sumOverRows()` into reused
    /// storage, for the bias gradient of every training step.
    @inlinable
    public func sumOverRows(into out: inout Tensor) {
        out.resize(to: [1, columns])
        let (r, c) = (rows, columns)
        scalars.withUnsafeBufferPointer { m in
            out.scalars.withUnsafeMutableBufferPointer { s in
                guard c > 0 else { return }
                if r == 0 { s.update(repeating: 0); return }
                Scalar.columnSums(m.baseAddress!, rows: r, columns: c, into: s.baseAddress!)
            }
        }
    }

    /// The sums of each row of a rank-2 tensor, as a `[rows, 1]` tensor.
    @inlinable
    public func sumOverColumns() -> Tensor {
        let c = columns
        return Tensor(shape: [rows, 1], scalars: (0..<rows).map { r in
            var s: Scalar = 0
            for j in 0..<c { s += scalars[r * c + j] }
            return s
        })
    }

    /// The column index of each row's largest element (the first one on ties).
    @inlinable
    public func argmaxPerRow() -> [Int] {
        let c = columns
        return (0..<rows).map { r in
            var best = 0
            for j in 1..<max(c, 1) where scalars[r * c + j] > scalars[r * c + best] { best = j }
            return best
        }
    }

    /// The largest absolute element (0 for an empty tensor).
    @inlinable
    public func maxAbsolute() -> Scalar {
        scalars.reduce(0) { Swift.max($0, abs($1)) }
    }
}
