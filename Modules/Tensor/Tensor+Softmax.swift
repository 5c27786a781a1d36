extension Tensor {
    /// The softmax of each row, computed stably (the row's maximum is subtracted before `exp`).
    @inlinable
    public func softmaxRows() -> Tensor {
        var out = self
        out.applySoftmaxRows()
        return out
    }

    /// Replaces each row by its softmax, in place.
    @inlinable
    public mutating func applySoftmaxRows() {
        let (r, c) = (rows, columns)
        scalars.withUnsafeMutableBufferPointer { x in
            guard r * c > 0 else { return }
            Scalar.softmaxRows(x.baseAddress!, rows: r, columns: c)
        }
    }

    /// `log Σⱼ exp(xᵢⱼ)` of each row, computed stably, as a `[rows, 1]` tensor.
    @inlinable
    public func logSumExpRows() -> Tensor {
        let c = columns
        return Tensor(shape: [rows, 1], scalars: (0..<rows).map { r in
            let line = scalars[(r * c)..<(r * c + c)]
            guard let largest = line.max(), largest.isFinite else { return line.max() ?? -.infinity }
            let total = line.reduce(Scalar(0)) { $0 + Scalar.exponential($1 - largest) }
            return largest + Scalar.logarithm(total)
        })
    }
}
