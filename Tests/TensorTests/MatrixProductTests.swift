import BackpropTensor
import Dispatch
import Testing

/// Differential tests of the matrix product: every result is compared with a plain triple loop
/// accumulated in Double, relative to the scale Σ|a·b| of each element (Float 1e-5, Double 1e-12).
@Suite("Matrix product")
struct MatrixProductTests {
    /// Odd and edge shapes; 3072×50×100 in TN is the A2 weight gradient xᵀ·g. The last three leave 1, 4
    /// and 2 columns past the last full tile with a long inner dimension: the right edge is then computed
    /// by dot products (with tails in k and in rows).
    static let shapes: [ProductShape] = [
        ProductShape(1, 1, 1), ProductShape(7, 13, 5), ProductShape(65, 33, 17), ProductShape(1, 3072, 50),
        ProductShape(3072, 50, 100), ProductShape(17, 1, 9), ProductShape(100, 50, 300), ProductShape(6, 16, 8),
        ProductShape(13, 40, 257), ProductShape(9, 17, 77), ProductShape(14, 20, 130), ProductShape(7, 34, 64),
    ]
    static let transposes: [(Bool, Bool)] = [(false, false), (false, true), (true, false), (true, true)]

    // MARK: - Tensor.matmul

    @Test("Tensor.matmul matches the reference", arguments: shapes, [0, 1, 2, 3])
    func tensorProduct(shape: ProductShape, ops: Int) {
        let (transposeA, transposeB) = Self.transposes[ops]
        checkTensorProduct(Float.self, shape, transposeA, transposeB, tolerance: 1e-5)
        checkTensorProduct(Double.self, shape, transposeA, transposeB, tolerance: 1e-12)
    }

    @Test("matmul(into:) reuses the result, accumulates with beta 1 and ignores NaN with beta 0")
    func intoAccumulates() {
        let a = Tensor<Double>([[1, 2], [3, 4], [5, 6]])
        let b = Tensor<Double>([[1, 0, 2], [0, 1, 3]])
        var c = Tensor<Double>(repeating: .nan, shape: [3, 3])
        Tensor.matmul(a, false, b, false, into: &c)
        #expect(c == Tensor([[1, 2, 8], [3, 4, 18], [5, 6, 28]]))
        Tensor.matmul(a, false, b, false, into: &c, alpha: 2, beta: 1)
        #expect(c == Tensor([[3, 6, 24], [9, 12, 54], [15, 18, 84]]))
        var resized = Tensor<Double>(zeros: [1, 1])
        Tensor.matmul(b, true, a, true, into: &resized)
        #expect(resized == Tensor([[1, 3, 5], [2, 4, 6], [8, 18, 28]]))
    }

    @Test("An empty inner dimension gives beta·C (zeros for beta 0, even over NaN)")
    func emptyInnerDimension() {
        let a = Tensor<Float>(zeros: [3, 0])
        let b = Tensor<Float>(zeros: [0, 4])
        #expect(a.matmul(b) == Tensor(zeros: [3, 4]))
        var c = Tensor<Float>(repeating: .nan, shape: [3, 4])
        Tensor.matmul(a, false, b, false, into: &c)
        #expect(c == Tensor(zeros: [3, 4]))
        var d = Tensor<Float>(repeating: 2, shape: [3, 4])
        Tensor.matmul(a, false, b, false, into: &d, beta: 0.5)
        #expect(d == Tensor(repeating: 1, shape: [3, 4]))
        let sum = MatrixProductKernel.active
        var e = [Float](repeating: 3, count: 12)
        [Float(1)].withUnsafeBufferPointer { one in
            e.withUnsafeMutableBufferPointer { c in
                sum.gemm(
                    transposeA: false, transposeB: false, m: 3, n: 4, k: 0, alpha: 1, a: one.baseAddress!,
                    lda: 1, b: one.baseAddress!, ldb: 4, beta: 1, c: c.baseAddress!, ldc: 4)
            }
        }
        #expect(e == [Float](repeating: 3, count: 12))
    }

    @Test("transposed swaps rows and columns")
    func transposedTensor() {
        let a = Tensor<Float>([[1, 2, 3], [4, 5, 6]])
        #expect(a.transposed == Tensor([[1, 4], [2, 5], [3, 6]]))
        #expect(a.transposed.transposed == a)
    }

    // MARK: - Strides, alpha and beta

    @Test("Row strides larger than the width, every alpha/beta and transpose", arguments: [0, 1, 2, 3])
    func stridesAlphaBeta(ops: Int) {
        let (transposeA, transposeB) = Self.transposes[ops]
        for (alpha, beta) in [(1.0, 0.0), (1.0, 1.0), (-0.5, 0.25), (2.0, 0.0), (0.0, 0.5)] {
            for shape in [ProductShape(7, 13, 5), ProductShape(65, 33, 17), ProductShape(17, 1, 9)] {
                let product = ProductCase(
                    shape: shape, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta,
                    padding: 3)
                checkStrided(Float.self, product, kernel: nil, tolerance: 1e-5)
                checkStrided(Double.self, product, kernel: nil, tolerance: 1e-12)
            }
        }
    }

    // MARK: - Kernel families and threads

    @Test("Every supported kernel family matches the reference", arguments: MatrixProductKernel.allCases)
    func kernelFamilies(kernel: MatrixProductKernel) {
        // Where the CPU lacks AVX2 the family falls back to the portable kernel, still correct.
        for ops in 0..<4 {
            let (transposeA, transposeB) = Self.transposes[ops]
            for shape in [
                ProductShape(1, 1, 1), ProductShape(65, 33, 17), ProductShape(100, 50, 300),
                ProductShape(300, 50, 100), ProductShape(31, 70, 600), ProductShape(9, 17, 77),
            ] {
                let product = ProductCase(
                    shape: shape, transposeA: transposeA, transposeB: transposeB, alpha: 0.75, beta: 0.5,
                    padding: 2)
                checkStrided(Float.self, product, kernel: kernel, tolerance: 1e-5)
                checkStrided(Double.self, product, kernel: kernel, tolerance: 1e-12)
            }
        }
    }

    @Test(
        "Random small shapes, transposes, strides and scalars, for every family",
        arguments: MatrixProductKernel.allCases)
    func randomProducts(kernel: MatrixProductKernel) {
        var generator = SeededGenerator(seed: kernel == .avx2 ? 21 : 22)
        for trial in 0..<120 {
            // Deep k for every third trial, to cross the kc blocks and the packing's step groups.
            let k = 1 + generator.nextIndex(below: trial % 3 == 0 ? 300 : 24)
            let shape = ProductShape(1 + generator.nextIndex(below: 40), 1 + generator.nextIndex(below: 40), k)
            let product = ProductCase(
                shape: shape, transposeA: generator.nextIndex(below: 2) == 1,
                transposeB: generator.nextIndex(below: 2) == 1, alpha: [1, -0.5, 2][generator.nextIndex(below: 3)],
                beta: [0, 1, 0.25][generator.nextIndex(below: 3)], padding: generator.nextIndex(below: 3))
            checkStrided(Float.self, product, kernel: kernel, tolerance: 1e-5)
            checkStrided(Double.self, product, kernel: kernel, tolerance: 1e-12)
        }
    }

    @Test("The AVX2 and portable paths agree", .enabled(if: MatrixProductKernel.avx2.isSupported))
    func avx2AgreesWithPortable() {
        var generator = SeededGenerator(seed: 11)
        for (m, n, k) in [(100, 50, 3072), (3072, 50, 100), (100, 3072, 50), (100, 10, 50), (37, 29, 41)] {
            for ops in 0..<4 {
                let (transposeA, transposeB) = Self.transposes[ops]
                let a = randomScalars(m * k, &generator) as [Float]
                let b = randomScalars(k * n, &generator) as [Float]
                let fast = run(.avx2, transposeA, transposeB, m, n, k, a, b, threads: 1)
                let portable = run(.portable, transposeA, transposeB, m, n, k, a, b, threads: 1)
                // Σ|a·b| per element, itself a product.
                let scale = run(.portable, transposeA, transposeB, m, n, k, a.map(abs), b.map(abs), threads: 1)
                let worst =
                    zip(zip(fast, portable), scale).map { abs(Double($0.0) - Double($0.1)) / Double($1) }.max() ?? 0
                #expect(worst <= 2e-5, "\(m)×\(n)×\(k) ops \(ops): AVX2 and portable differ by \(worst)")
            }
        }
    }

    @Test(
        "Two threads give bit-identical results to one", arguments: MatrixProductKernel.allCases.filter(\.isSupported))
    func threadsAgree(kernel: MatrixProductKernel) {
        var generator = SeededGenerator(seed: 3)
        // The last three are cut by columns or rows into pieces, with edge columns past the last full tile
        // (a piece's own width must not change how the edge is computed). 3066×50×100 TN puts the pieces'
        // cuts after an odd number of 6-row panels, so the edge kernel groups its panels in pairs
        // differently in the pieces than in the whole product.
        for (m, n, k, transposeA, transposeB) in [
            (100, 50, 3072, false, false), (3072, 50, 100, true, false), (3066, 50, 100, true, false),
            (100, 3072, 50, false, true),
            (257, 255, 129, true, true), (30, 1026, 300, false, false), (1698, 41, 742, true, true),
            (30, 514, 300, false, false), (30, 1042, 300, false, true),
        ] {
            let a = randomScalars(m * k, &generator) as [Double]
            let b = randomScalars(k * n, &generator) as [Double]
            let one = run(kernel, transposeA, transposeB, m, n, k, a, b, threads: 1)
            let two = run(kernel, transposeA, transposeB, m, n, k, a, b, threads: 2)
            #expect(one == two, "\(kernel) Double \(m)×\(n)×\(k)")
            let af = a.map(Float.init), bf = b.map(Float.init)
            let oneF = run(kernel, transposeA, transposeB, m, n, k, af, bf, threads: 1)
            let twoF = run(kernel, transposeA, transposeB, m, n, k, af, bf, threads: 2)
            #expect(oneF == twoF, "\(kernel) Float \(m)×\(n)×\(k)")
        }
    }

    @Test("Concurrent products on several threads give the same results as one at a time")
    func concurrentCallers() {
        var generator = SeededGenerator(seed: 9)
        let shapes = [(100, 50, 3072), (3072, 50, 100), (64, 64, 64), (100, 10, 50)]
        let inputs = shapes.map { m, n, k in
            (randomScalars(m * k, &generator) as [Float], randomScalars(k * n, &generator) as [Float])
        }
        let expected = shapes.indices.map { i in
            run(.active, false, false, shapes[i].0, shapes[i].1, shapes[i].2, inputs[i].0, inputs[i].1, threads: 1)
        }
        let results = ResultBox(count: 4 * shapes.count)
        DispatchQueue.concurrentPerform(iterations: 4 * shapes.count) { job in
            let i = job % shapes.count
            var c = [Float]()
            for _ in 0..<3 {
                c = run(
                    .active, false, false, shapes[i].0, shapes[i].1, shapes[i].2, inputs[i].0, inputs[i].1, threads: 2)
            }
            results.set(job, c)
        }
        for job in 0..<(4 * shapes.count) {
            #expect(results.get(job) == expected[job % shapes.count], "job \(job)")
        }
    }

    @Test("Kernel families have names and the active one is supported")
    func kernelNames() {
        #expect(MatrixProductKernel.portable.description == "portable")
        #expect(MatrixProductKernel.avx2.description == "avx2-fma")
        #expect(MatrixProductKernel.portable.isSupported)
        #expect(MatrixProductKernel.active.isSupported)
        #expect((1...2).contains(MatrixProductKernel.threadLimit))
        #if arch(x86_64)
            // This machine kind (and every x86-64 CPU since 2015) has AVX2 and FMA.
            if MatrixProductKernel.avx2.isSupported { #expect(MatrixProductKernel.active == .avx2) }
        #endif
    }
}
