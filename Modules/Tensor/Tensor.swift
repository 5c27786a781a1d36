/// A dense, row-major array of scalars with a shape, batch-first like PyTorch and MLX.
///
/// A tensor is a value: copies share storage until one of them is written (copy-on-write through
/// `Array`). Rank 2 (`[rows, columns]`, one example per row) is what the layers use; any rank can be
/// stored, read and written.
///
/// ```swift
/// let x = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = x.matmul(x, transposeOther: true)   // 2 × 2
/// ```
///
/// Shape mismatches between tensors are programming errors and stop the program with a message naming
/// both shapes; data read from files is checked with thrown errors before it becomes a tensor.
public struct Tensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// The extent of each axis.
    @inlinable public var shape: [Int] { storedShape }
    @usableFromInline var storedShape: [Int]
    /// The elements in row-major order; `scalars.count` is the product of `shape`.
    public var scalars: [Scalar]

    /// A tensor of the given shape holding `scalars` in row-major order.
    @inlinable
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.storedShape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape with every element equal to `value`.
    @inlinable
    public init(repeating value: Scalar, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of zeros.
    @inlinable
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A rank-2 tensor from nested rows; every row must have the same length.
    @inlinable
    public init(_ rows: [[Scalar]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// The number of axes.
    @inlinable public var rank: Int { shape.count }
    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The first axis: the batch, for the layers.
    @inlinable public var rows: Int { shape.first ?? 1 }
    /// The product of every axis but the first: the features of one example.
    @inlinable public var columns: Int { shape.count <= 1 ? (shape.first ?? 1) : shape.dropFirst().reduce(1, *) }

    /// The element at row `row` and column `column` of a rank-2 tensor.
    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get { scalars[row * columns + column] }
        set { scalars[row * columns + column] = newValue }
    }

    /// The same elements seen with another shape of equal element count.
    @inlinable
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Changes the shape in place, reusing storage; the element count may change (new elements are 0).
    ///
    /// Used by layers to keep one output buffer across batches of different sizes without allocating.
    @inlinable
    public mutating func resize(to newShape: [Int]) {
        let needed = newShape.reduce(1, *)
        // Through the scalar's own (concrete) kernel: this runs inside code generic over the scalar, where
        // an inlined append would move one element at a time through value witnesses.
        if needed != scalars.count { Scalar.resize(&scalars, to: needed) }
        storedShape = newShape
    }

    /// Rows `range` of a rank-2 tensor, copied.
    @inlinable
    public func rows(_ range: Range<Int>) -> Tensor {
        let c = columns
        return Tensor(shape: [range.count] + shape.dropFirst(),
                      scalars: Array(scalars[(range.lowerBound * c)..<(range.upperBound * c)]))
    }

    /// The same values converted to another precision.
    @inlinable
    public func converted<Other: TensorScalar>(to _: Other.Type = Other.self) -> Tensor<Other> {
        Tensor<Other>(shape: shape, scalars: scalars.map { Other($0) })
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor<\(Scalar.self)>(shape: \(shape), [\(preview)\(scalars.count > 8 ? ", …" : "")])"
    }
}
