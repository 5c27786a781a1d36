import CBackpropKernels

extension Tensor {
    /// Makes this tensor `[indices.count, source.columns]`, row i a copy of row `indices[i]` of `source`.
    ///
    /// The mini-batch gather: storage is reused (no allocation once it has held a batch of this size) and
    /// large copies use both cores, which matters when `source` is a training set far larger than the
    /// caches (the copy is bound by memory reads in flight). Every index must lie in `0..<source.rows`.
    public mutating func gatherRows(of source: Tensor, at indices: ArraySlice<Int>) {
        Self.checkRows(indices, of: source, in: "gatherRows")
        let columns = source.shape[1]
        resize(to: [indices.count, columns])
        guard columns > 0, !indices.isEmpty else { return }
        let rowBytes = columns * MemoryLayout<Scalar>.stride
        source.scalars.withUnsafeBytes { from in
            scalars.withUnsafeMutableBytes { to in
                indices.withUnsafeBufferPointer { rows in
                    bp_gather_rows(to.baseAddress!, from.baseAddress!, rowBytes, rows.baseAddress!, rows.count)
                }
            }
        }
    }

    /// Stops with a message naming `caller` unless `source` is rank 2 and every index lies in
    /// `0..<source.rows`.
    static func checkRows(_ indices: ArraySlice<Int>, of source: Tensor, in caller: String) {
        precondition(source.rank == 2, "\(caller): source must be rank 2, got \(source.shape)")
        let rowCount = source.shape[0]
        for row in indices {
            precondition(row >= 0 && row < rowCount, "\(caller): index \(row) outside 0..<\(rowCount)")
        }
    }
}
