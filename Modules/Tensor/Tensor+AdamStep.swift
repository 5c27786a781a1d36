extension Tensor {
    /// One Adam (or AdamW) step of `value` from `gradient`, updating the moments `m` and `v` in place,
    /// in one pass through `OptimizerKernelScalar.adamStep`; `gradient` is only read.
    ///
    /// - Parameters:
    ///   - value: the parameter θ, changed in place.
    ///   - gradient: the loss gradient of θ (without a coupled weight-decay term: the kernel adds it).
    ///   - m: the first moment, changed in place.
    ///   - v: the second moment, changed in place.
    ///   - coefficients: the step's constants.
    @inlinable
    public static func adamStep(
        value: inout Tensor, gradient: Tensor, m: inout Tensor, v: inout Tensor, coefficients: AdamCoefficients<Scalar>
    ) {
        let n = value.count
        precondition(gradient.count == n && m.count == n && v.count == n,
                     "shapes differ: \(value.shape), \(gradient.shape), \(m.shape), \(v.shape)")
        guard n > 0 else { return }
        value.scalars.withUnsafeMutableBufferPointer { w in
            gradient.scalars.withUnsafeBufferPointer { g in
                m.scalars.withUnsafeMutableBufferPointer { mb in
                    v.scalars.withUnsafeMutableBufferPointer { vb in
                        Scalar.adamStep(count: n, value: w.baseAddress!, gradient: g.baseAddress!,
                                        m: mb.baseAddress!, v: vb.baseAddress!, coefficients: coefficients)
                    }
                }
            }
        }
    }
}
