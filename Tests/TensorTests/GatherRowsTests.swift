import BackpropTensor
import Testing

/// Tests of `Tensor.gatherRows`, the mini-batch gather (small ones on one thread, large ones split
/// with the product helper thread).
@Suite("Row gather")
struct GatherRowsTests {
    /// A `[rows, columns]` tensor whose element (r, c) is r·columns + c, so every copy is checkable.
    private func numbered<S: TensorScalar>(_ rows: Int, _ columns: Int, as _: S.Type) -> Tensor<S> {
        Tensor(shape: [rows, columns], scalars: (0..<rows * columns).map { S(Double($0)) })
    }

    private func expectRows<S: TensorScalar>(_ out: Tensor<S>, of source: Tensor<S>, _ indices: [Int]) {
        let columns = source.columns
        #expect(out.shape == [indices.count, columns])
        for (i, row) in indices.enumerated() {
            #expect(Array(out.scalars[i * columns..<(i + 1) * columns])
                == Array(source.scalars[row * columns..<(row + 1) * columns]), "row \(i) = source row \(row)")
        }
    }

    @Test("Small gathers copy the selected rows in order, repeats included")
    func small() {
        let source = numbered(7, 5, as: Float.self)
        var out = Tensor<Float>(zeros: [0, 0])
        let indices = [6, 0, 3, 3, 1]
        out.gatherRows(of: source, at: indices[...])
        expectRows(out, of: source, indices)
        out.gatherRows(of: source, at: [][...])
        #expect(out.shape == [0, 5])
    }

    @Test("Large gathers (split over two threads) match the row-by-row copy, in Float and Double")
    func large() {
        var rng = SeededGenerator(seed: 3)
        let floats = numbered(500, 3072, as: Float.self)
        let indices = Array(rng.permutation(500).prefix(101))
        var out = Tensor<Float>(zeros: [0, 0])
        out.gatherRows(of: floats, at: indices[...])
        expectRows(out, of: floats, indices)
        // Reused storage: a second, different batch overwrites every row.
        let other = Array(indices.reversed())
        out.gatherRows(of: floats, at: other[...])
        expectRows(out, of: floats, other)

        let doubles = numbered(200, 1000, as: Double.self)
        var doubleOut = Tensor<Double>(zeros: [0, 0])
        doubleOut.gatherRows(of: doubles, at: indices.filter { $0 < 200 }[...])
        expectRows(doubleOut, of: doubles, indices.filter { $0 < 200 })

        // Short rows (400 bytes) are split by rows rather than by columns; still 280 KB, so two threads.
        let narrow = numbered(1000, 100, as: Float.self)
        let many = Array(rng.permutation(1000).prefix(700))
        var narrowOut = Tensor<Float>(zeros: [0, 0])
        narrowOut.gatherRows(of: narrow, at: many[...])
        expectRows(narrowOut, of: narrow, many)
    }
}
