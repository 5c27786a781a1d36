extension Tensor {
    /// The matrix product `op(self) · op(other)` of two rank-2 tensors.
    ///
    /// Transposes cost nothing extra: the kernel packs either layout into the same panels, so a layer
    /// computes its weight gradient as `x.matmul(g, transposeSelf: true)` without copying `xᵀ`.
    ///
    /// ```swift
    /// let y = x.matmul(w)                              // [batch, out] = [batch, in] · [in, out]
    /// let dW = x.matmul(g, transposeSelf: true)        // [in, out] = xᵀ · g
    /// ```
    ///
    /// - Parameters:
    ///   - other: the right operand.
    ///   - transposeSelf: use `selfᵀ` instead of `self`.
    ///   - transposeOther: use `otherᵀ` instead of `other`.
    /// - Complexity: O(m·n·k), through the packed kernels of `MatrixProductScalar.gemm` (``MatrixProductKernel``),
    ///   on both cores when m·n·k is large.
    @inlinable
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        var result = Tensor(zeros: [0, 0])
        Tensor.matmul(self, transposeSelf, other, transposeOther, into: &result)
        return result
    }

    /// Writes `alpha · op(a) · op(b) + beta · result` into `result`, resizing it to `m × n` if needed.
    ///
    /// With `beta == 0` (the default) the old contents of `result` are ignored (NaNs included); with
    /// `beta == 1` the product is added to it. The buffer is reused and the kernel's packing buffers are
    /// kept per thread, so a layer that keeps its output tensor allocates nothing in steady state, and
    /// products on different threads (two trainings at once) do not interfere.
    @inlinable
    public static func matmul(
        _ a: Tensor, _ transposeA: Bool, _ b: Tensor, _ transposeB: Bool,
        into result: inout Tensor, alpha: Scalar = 1, beta: Scalar = 0
    ) {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(a.shape) and \(b.shape)")
        let (m, n, k) = prepareProduct(a.shape[0], a.shape[1], transposeA, b, transposeB, into: &result, beta: beta)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                result.scalars.withUnsafeMutableBufferPointer { pc in
                    guard let c = pc.baseAddress else { return }
                    guard k > 0, let a0 = pa.baseAddress, let b0 = pb.baseAddress else {
                        // An empty inner dimension: the product is zero.
                        for i in 0..<pc.count { pc[i] = beta == 0 ? 0 : beta * pc[i] }
                        return
                    }
                    Scalar.gemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                        a: a0, lda: a.shape[1], b: b0, ldb: b.shape[1], beta: beta, c: c, ldc: n)
                }
            }
        }
    }

    /// The extents `m × n × k` of `op(A) · op(b)` for A stored as `aRows × aColumns`, after checking that
    /// they fit; makes `result` `m × n` (it must already be, when `beta` asks to accumulate into it).
    @inlinable
    static func prepareProduct(
        _ aRows: Int, _ aColumns: Int, _ transposeA: Bool, _ b: Tensor, _ transposeB: Bool,
        into result: inout Tensor, beta: Scalar
    ) -> (m: Int, n: Int, k: Int) {
        precondition(b.rank == 2, "matmul needs a rank-2 right operand, got \(b.shape)")
        let m = transposeA ? aColumns : aRows
        let k = transposeA ? aRows : aColumns
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(
            k == kb,
            "matmul inner extents differ: [\(aRows), \(aColumns)]\(transposeA ? "ᵀ" : "") · \(b.shape)"
                + (transposeB ? "ᵀ" : ""))
        // Compared element by element: an `[m, n]` literal would allocate on every call.
        if result.rank != 2 || result.shape[0] != m || result.shape[1] != n {
            precondition(beta == 0, "matmul accumulation into a tensor of shape \(result.shape), need [\(m), \(n)]")
            result.resize(to: [m, n])
        }
        return (m, n, k)
    }

    /// The transpose of a rank-2 tensor.
    @inlinable
    public var transposed: Tensor {
        precondition(rank == 2, "transpose needs a rank-2 tensor, got \(shape)")
        let (r, c) = (shape[0], shape[1])
        var out = [Scalar](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for i in 0..<r { for j in 0..<c { target[j &* r &+ i] = source[i &* c &+ j] } }
            }
        }
        return Tensor(shape: [c, r], scalars: out)
    }
}
