// MARK: - Element-wise arithmetic

extension Tensor {
    /// Applies `transform` to every element.
    @inlinable
    public func map(_ transform: (Scalar) -> Scalar) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map(transform))
    }

    /// Combines two tensors of the same shape element by element.
    @inlinable
    public func zip(_ other: Tensor, _ combine: (Scalar, Scalar) -> Scalar) -> Tensor {
        precondition(shape == other.shape, "shapes differ: \(shape) and \(other.shape)")
        var out = scalars
        for i in out.indices { out[i] = combine(scalars[i], other.scalars[i]) }
        return Tensor(shape: shape, scalars: out)
    }

    @inlinable public static func + (a: Tensor, b: Tensor) -> Tensor { a.zip(b, +) }
    @inlinable public static func - (a: Tensor, b: Tensor) -> Tensor { a.zip(b, -) }
    @inlinable public static func * (a: Tensor, b: Tensor) -> Tensor { a.zip(b, *) }
    @inlinable public static func * (a: Tensor, s: Scalar) -> Tensor { a.map { $0 * s } }
    @inlinable public static func * (s: Scalar, a: Tensor) -> Tensor { a.map { s * $0 } }

    /// `self += alpha · other`, through the vector kernel.
    @inlinable
    public mutating func add(_ other: Tensor, scaledBy alpha: Scalar = 1) {
        precondition(count == other.count, "shapes differ: \(shape) and \(other.shape)")
        let n = count
        other.scalars.withUnsafeBufferPointer { x in
            scalars.withUnsafeMutableBufferPointer { y in
                guard n > 0 else { return }
                Scalar.axpy(count: n, alpha: alpha, x: x.baseAddress!, y: y.baseAddress!)
            }
        }
    }

    /// `value += rate · (gradient + decay · value)` in one pass (weight decay folded into a gradient
    /// step): `value` ends with the same numbers as `gradient.add(value, scaledBy: decay)` followed by
    /// `value.add(gradient, scaledBy: rate)`, but `gradient` is only read, so the pass reads each tensor
    /// once and writes only `value`.
    @inlinable
    public static func decayAndStep(value: inout Tensor, gradient: Tensor, decay: Scalar, rate: Scalar) {
        precondition(value.count == gradient.count, "shapes differ: \(value.shape) and \(gradient.shape)")
        let n = value.count
        value.scalars.withUnsafeMutableBufferPointer { w in
            gradient.scalars.withUnsafeBufferPointer { g in
                guard n > 0 else { return }
                Scalar.decayAndStep(count: n, decay: decay, rate: rate, value: w.baseAddress!, gradient: g.baseAddress!)
            }
        }
    }

    /// `self *= alpha`, through the vector kernel.
    @inlinable
    public mutating func scale(by alpha: Scalar) {
        let n = count
        scalars.withUnsafeMutableBufferPointer { x in
            if n > 0 { Scalar.scale(x.baseAddress!, count: n, by: alpha) }
        }
    }

    /// Adds a row vector (shape `[columns]` or `[1, columns]`) to every row: the bias broadcast.
    @inlinable
    public mutating func addRowVector(_ row: Tensor) {
        precondition(row.count == columns, "bias of \(row.count) elements for \(columns) columns")
        let (r, c) = (rows, columns)
        row.scalars.withUnsafeBufferPointer { b in
            scalars.withUnsafeMutableBufferPointer { m in
                guard r * c > 0 else { return }
                Scalar.addRow(b.baseAddress!, to: m.baseAddress!, rows: r, columns: c)
            }
        }
    }

    /// Sets every element to zero, keeping the shape and storage.
    @inlinable
    public mutating func zero() {
        scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
