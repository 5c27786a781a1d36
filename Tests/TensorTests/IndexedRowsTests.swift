import BackpropTensor
import Testing

/// Tests of products whose left operand is rows picked by index out of a larger matrix (`IndexedRows`,
/// `bp_sgemm_rows_using`): the first layer's products reading a mini-batch straight out of the training set.
@Suite("Indexed rows")
struct IndexedRowsTests {
    /// `op(A)·op(B)` with stored row r of A at row `indices[r]` of `source`, through `kernel`.
    private func runRows<T: TensorScalar>(
        _ kernel: MatrixProductKernel, _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
        source: [T], columns: Int, indices: [Int], _ b: [T], threads: Int
    ) -> [T] {
        var c = [T](repeating: .nan, count: m * n)
        source.withUnsafeBufferPointer { pa in
            indices.withUnsafeBufferPointer { rows in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        kernel.gemm(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                            a: pa.baseAddress!, lda: columns, aRows: rows.baseAddress!, b: pb.baseAddress!,
                            ldb: transposeB ? k : n, beta: 0, c: pc.baseAddress!, ldc: n, threads: threads)
                    }
                }
            }
        }
        return c
    }

    /// Compares, bit for bit, the product on indexed rows with the product on a gathered copy of them.
    private func check<T: TensorScalar>(
        _: T.Type, kernel: MatrixProductKernel, threads: Int, _ m: Int, _ n: Int, _ k: Int, _ transposeA: Bool,
        _ transposeB: Bool, _ generator: inout SeededGenerator
    ) {
        // Stored A is aRows × aColumns; the source holds three times as many rows, and the batch picks
        // some of them in a shuffled order, one of them twice.
        let aRows = transposeA ? k : m, aColumns = transposeA ? m : k
        let sourceRows = 3 * aRows + 5
        let source = randomScalars(sourceRows * aColumns, &generator) as [T]
        var indices = Array(generator.permutation(sourceRows).prefix(aRows))
        if aRows > 2 { indices[aRows - 1] = indices[1] }
        let gathered = indices.flatMap { source[$0 * aColumns..<($0 + 1) * aColumns] }
        let b = randomScalars(k * n, &generator) as [T]
        let expected = run(kernel, transposeA, transposeB, m, n, k, gathered, b, threads: threads)
        let indexed = runRows(
            kernel, transposeA, transposeB, m, n, k, source: source, columns: aColumns, indices: indices, b,
            threads: threads)
        #expect(
            indexed == expected,
            "\(kernel) \(T.self) \(m)×\(n)×\(k) tA \(transposeA) tB \(transposeB) threads \(threads)")
    }

    @Test(
        "Products on indexed rows round exactly as on a gathered copy, in every family, precision and thread count",
        arguments: MatrixProductKernel.allCases.filter(\.isSupported))
    func matchesGatheredCopy(kernel: MatrixProductKernel) {
        var generator = SeededGenerator(seed: 17)
        // The A2 first layer's forward and weight-gradient products, edge columns (50 = 3·16 + 2), pieces
        // cut by rows, columns and depth, and odd small shapes.
        let shapes: [(Int, Int, Int, Bool, Bool)] = [
            (100, 50, 3072, false, false), (3072, 50, 100, true, false), (100, 3072, 50, false, true),
            (1, 1, 1, false, false), (7, 13, 5, true, true), (65, 33, 70, false, true), (30, 1026, 300, false, false),
            (257, 255, 129, true, true), (1698, 41, 742, true, false),
        ]
        for threads in [1, 2] {
            for (m, n, k, transposeA, transposeB) in shapes {
                check(Float.self, kernel: kernel, threads: threads, m, n, k, transposeA, transposeB, &generator)
                check(Double.self, kernel: kernel, threads: threads, m, n, k, transposeA, transposeB, &generator)
            }
        }
    }

    @Test("Tensor.matmul on IndexedRows equals matmul on the gathered rows, alpha and beta included")
    func tensorProduct() {
        var generator = SeededGenerator(seed: 5)
        let source = Tensor<Float>(shape: [40, 24], scalars: randomScalars(40 * 24, &generator))
        let weight = Tensor<Float>(shape: [24, 9], scalars: randomScalars(24 * 9, &generator))
        let indices = [39, 0, 7, 7, 12, 3][...]
        let rows = IndexedRows(of: source, at: indices)
        #expect(rows.shape == [6, 24])
        let gathered = rows.gathered()
        #expect(gathered.scalars == indices.flatMap { source.scalars[$0 * 24..<($0 + 1) * 24] })

        var viaRows = Tensor<Float>(zeros: [0, 0]), viaCopy = Tensor<Float>(zeros: [0, 0])
        Tensor.matmul(rows, false, weight, false, into: &viaRows)
        Tensor.matmul(gathered, false, weight, false, into: &viaCopy)
        #expect(viaRows.shape == [6, 9] && viaRows == viaCopy)

        let g = Tensor<Float>(shape: [6, 9], scalars: randomScalars(54, &generator))
        var gradient = Tensor<Float>(shape: [24, 9], scalars: randomScalars(24 * 9, &generator))
        var expected = gradient
        Tensor.matmul(rows, true, g, false, into: &gradient, alpha: 0.5, beta: 1)
        Tensor.matmul(gathered, true, g, false, into: &expected, alpha: 0.5, beta: 1)
        #expect(gradient == expected)

        // No rows: an empty product.
        var empty = Tensor<Float>(zeros: [0, 0])
        Tensor.matmul(IndexedRows(of: source, at: [][...]), false, weight, false, into: &empty)
        #expect(empty.shape == [0, 9])
    }
}
