import BackpropTensor
import Foundation
import Testing

/// Tests of packing ahead (`MatrixProductKernel.prepareGemm`, `Tensor.prepareMatmul`): the helper thread
/// packs its share of A before the product comes, and the product must round exactly as without it,
/// whether the preparation is used, replaced, left unused or made for another product.
@Suite("Prepared products")
struct PreparedProductTests {
    /// A product on rows picked from a larger matrix, prepared first when `prepare` is set.
    private struct Case<T: TensorScalar> {
        var kernel: MatrixProductKernel
        var transposeA: Bool, m: Int, n: Int, k: Int
        var source: [T], columns: Int, indices: [Int], b: [T]

        init(_ kernel: MatrixProductKernel, transposeA: Bool, _ m: Int, _ n: Int, _ k: Int,
             _ generator: inout SeededGenerator) {
            (self.kernel, self.transposeA, self.m, self.n, self.k) = (kernel, transposeA, m, n, k)
            let aRows = transposeA ? k : m
            columns = transposeA ? m : k
            let sourceRows = 2 * aRows + 3
            source = randomScalars(sourceRows * columns, &generator)
            indices = Array(generator.permutation(sourceRows).prefix(aRows))
            b = randomScalars(k * n, &generator)
        }

        func prepare() {
            source.withUnsafeBufferPointer { a in
                indices.withUnsafeBufferPointer { rows in
                    kernel.prepareGemm(
                        transposeA: transposeA, transposeB: false, m: m, n: n, k: k, a: a.baseAddress!,
                        lda: columns, aRows: rows.baseAddress!)
                }
            }
        }

        func run(alpha: T = 1, beta: T = 0, into c: [T]? = nil) -> [T] {
            var c = c ?? [T](repeating: .nan, count: m * n)
            source.withUnsafeBufferPointer { a in
                indices.withUnsafeBufferPointer { rows in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            kernel.gemm(
                                transposeA: transposeA, transposeB: false, m: m, n: n, k: k, alpha: alpha,
                                a: a.baseAddress!, lda: columns, aRows: rows.baseAddress!, b: b.baseAddress!, ldb: n,
                                beta: beta, c: c.baseAddress!, ldc: n)
                        }
                    }
                }
            }
            return c
        }
    }

    /// Runs `body` until a product used a preparation (other tests may hold the helper for a while),
    /// at most 50 times; returns whether one did.
    private func untilPrepared(_ body: () -> Void) -> Bool {
        for _ in 0..<50 {
            let before = MatrixProductKernel.preparedProducts
            body()
            if MatrixProductKernel.preparedProducts > before { return true }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return false
    }

    private static let kernels = MatrixProductKernel.allCases.filter(\.isSupported)

    @Test("A prepared product rounds exactly as an unprepared one: the A2 weight gradient and odd shapes",
          arguments: kernels)
    func sameNumbers(kernel: MatrixProductKernel) {
        var generator = SeededGenerator(seed: 41)
        // The A2 weight gradient, a shape whose last piece ends off a tile (613 = 102·6 + 1), and NN (A
        // read in place: nothing to prepare).
        let shapes: [(Bool, Int, Int, Int)] = [(true, 3072, 50, 100), (true, 613, 50, 90), (false, 1000, 20, 128)]
        for (transposeA, m, n, k) in shapes {
            let usedFloat = check(Float.self, kernel, transposeA, m, n, k, &generator)
            let usedDouble = check(Double.self, kernel, transposeA, m, n, k, &generator)
            // The transposed-A product is cut by rows with A packed: there the preparation must be used.
            if transposeA && MatrixProductKernel.threadLimit > 1 {
                #expect(usedFloat && usedDouble, "\(kernel) \(m)×\(n)×\(k): no product used its preparation")
            }
        }
    }

    /// Compares, bit for bit, the prepared product with the unprepared one, with alpha and beta too, and
    /// returns whether a preparation was used.
    private func check<T: TensorScalar>(
        _: T.Type, _ kernel: MatrixProductKernel, _ transposeA: Bool, _ m: Int, _ n: Int, _ k: Int,
        _ generator: inout SeededGenerator
    ) -> Bool {
        let product = Case<T>(kernel, transposeA: transposeA, m, n, k, &generator)
        let expected = product.run()
        var prepared: [T] = []
        let used = untilPrepared {
            product.prepare()
            prepared = product.run()
        }
        #expect(prepared == expected, "\(kernel) \(T.self) \(m)×\(n)×\(k) tA \(transposeA)")
        // Alpha and beta go through the same pieces.
        let start = randomScalars(m * n, &generator) as [T]
        let scaled = product.run(alpha: -0.5, beta: 2, into: start)
        product.prepare()
        #expect(product.run(alpha: -0.5, beta: 2, into: start) == scaled, "\(kernel) \(T.self) alpha and beta")
        return used
    }

    @Test("A preparation for another product, other rows, or left unused changes nothing")
    func mismatchesAreIgnored() {
        var generator = SeededGenerator(seed: 43)
        let kernel = MatrixProductKernel.active
        let a = Case<Float>(kernel, transposeA: true, 3072, 50, 100, &generator)
        var other = a
        other.indices.swapAt(0, 1)
        let expected = a.run(), expectedOther = other.run()
        // Prepared for `a`, used by `other` (same matrix and extents, two rows swapped).
        a.prepare()
        #expect(other.run() == expectedOther)
        // Another product in between (the layers above), then the one prepared for.
        let small = Case<Float>(kernel, transposeA: false, 100, 10, 50, &generator)
        let smallExpected = small.run()
        a.prepare()
        #expect(small.run() == smallExpected)
        #expect(a.run() == expected)
        // Prepared twice, and prepared but never used before the next preparation.
        a.prepare()
        other.prepare()
        #expect(other.run() == expectedOther)
        a.prepare()
        a.prepare()
        #expect(a.run() == expected)
        #expect(a.run() == expected)
    }

    @Test("Threads preparing and multiplying at once each get their own numbers")
    func concurrentCallers() async {
        var generator = SeededGenerator(seed: 47)
        let cases = (0..<4).map { _ in Case<Float>(.active, transposeA: true, 1536, 50, 100, &generator) }
        let expected = cases.map { $0.run() }
        await withTaskGroup(of: Bool.self) { group in
            for (index, product) in cases.enumerated() {
                group.addTask {
                    (0..<20).allSatisfy { _ in
                        product.prepare()
                        return product.run() == expected[index]
                    }
                }
            }
            for await agreed in group { #expect(agreed) }
        }
    }

    @Test("Tensor.prepareMatmul before the weight gradient of indexed rows leaves it unchanged")
    func tensorLevel() {
        var generator = SeededGenerator(seed: 53)
        let source = Tensor<Float>(shape: [400, 3072], scalars: randomScalars(400 * 3072, &generator))
        let rows = IndexedRows(of: source, at: generator.permutation(400).prefix(100))
        let g = Tensor<Float>(shape: [100, 50], scalars: randomScalars(100 * 50, &generator))
        var expected = Tensor<Float>(zeros: [0, 0]), prepared = Tensor<Float>(zeros: [0, 0])
        Tensor.matmul(rows, true, g, false, into: &expected)
        Tensor.prepareMatmul(rows, true, false, columns: 50)
        Tensor.matmul(rows, true, g, false, into: &prepared)
        #expect(prepared.shape == [3072, 50])
        #expect(prepared.scalars == expected.scalars)
    }
}
