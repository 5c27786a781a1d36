import BackpropTensor
import BackpropTestSupport
import Foundation
import Testing

/// Tests of packing ahead (`MatrixProductKernel.prepareGemm`, `Tensor.prepareMatmul`): the helper thread
/// packs its share of A before the product comes, and the product must round exactly as without it,
/// whether the preparation is used, replaced, left unused or made for another product.
@Suite("Prepared products")
struct PreparedProductTests {
    /// A product on rows picked from a larger matrix (or, not `indexed`, on a plain matrix), prepared
    /// first when `prepare` is called.
    private struct Case<T: TensorScalar> {
        var kernel: MatrixProductKernel
        var transposeA: Bool, m: Int, n: Int, k: Int
        var source: [T], columns: Int, indices: [Int], b: [T]
        var indexed = true

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

        /// Whether the helper took the job.
        @discardableResult
        func prepare() -> Bool {
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
                                a: a.baseAddress!, lda: columns, aRows: indexed ? rows.baseAddress! : nil,
                                b: b.baseAddress!, ldb: n, beta: beta, c: c.baseAddress!, ldc: n)
                        }
                    }
                }
            }
            return c
        }
    }

    /// Runs `body` until a product of this thread's used a preparation (`retrying`); whether one did.
    private func untilPrepared(_ body: () -> Void) -> Bool {
        retrying {
            let before = MatrixProductKernel.preparedProducts
            body()
            return MatrixProductKernel.preparedProducts > before
        }
    }

    /// Calls `prepare` until the helper takes its job (`retrying`); whether it did. With one thread it
    /// never does, and the result is true.
    private func untilPosted(_ prepare: () -> Bool) -> Bool {
        MatrixProductKernel.threadLimit < 2 || retrying(prepare)
    }

    /// Whether `body` ran a product that used a preparation (on this thread).
    private func usesPreparation(_ body: () -> Void) -> Bool {
        let before = MatrixProductKernel.preparedProducts
        body()
        return MatrixProductKernel.preparedProducts > before
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
            // The transposed-A product is cut by rows with A packed: there the preparation must be used.
            let mustUse = transposeA && MatrixProductKernel.threadLimit > 1
            let usedFloat = check(Float.self, kernel, transposeA, m, n, k, retrying: mustUse, &generator)
            let usedDouble = check(Double.self, kernel, transposeA, m, n, k, retrying: mustUse, &generator)
            if mustUse {
                #expect(usedFloat && usedDouble, "\(kernel) \(m)×\(n)×\(k): no product used its preparation")
            }
        }
    }

    /// Compares, bit for bit, the prepared product with the unprepared one, with alpha and beta too, and
    /// returns whether a preparation was used (`retrying`: until one is).
    private func check<T: TensorScalar>(
        _: T.Type, _ kernel: MatrixProductKernel, _ transposeA: Bool, _ m: Int, _ n: Int, _ k: Int,
        retrying: Bool, _ generator: inout SeededGenerator
    ) -> Bool {
        let product = Case<T>(kernel, transposeA: transposeA, m, n, k, &generator)
        let expected = product.run()
        var prepared: [T] = []
        let run = {
            product.prepare()
            prepared = product.run()
        }
        let used = retrying ? untilPrepared(run) : usesPreparation(run)
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
        // Prepared for `a`, used by `other` (same matrix and extents, two rows swapped): not used, and
        // ended by it.
        var result: [Float] = []
        #expect(untilPosted { a.prepare() })
        #expect(!usesPreparation { result = other.run() })
        #expect(result == expectedOther)
        #expect(!usesPreparation { result = a.run() })
        #expect(result == expected)
        // A plain product in between (the layers above), then the one prepared for: used.
        var small = Case<Float>(kernel, transposeA: false, 100, 10, 50, &generator)
        small.indexed = false
        let smallExpected = small.run()
        var smallResult: [Float] = []
        let used = untilPrepared {
            a.prepare()
            smallResult = small.run()
            result = a.run()
        }
        #expect(used || MatrixProductKernel.threadLimit < 2)
        #expect(smallResult == smallExpected)
        #expect(result == expected)
        // A product on other indexed rows in between ends it.
        var smallIndexed = small
        smallIndexed.indexed = true
        let smallIndexedExpected = smallIndexed.run()
        #expect(untilPosted { a.prepare() })
        #expect(smallIndexed.run() == smallIndexedExpected)
        #expect(!usesPreparation { result = a.run() })
        #expect(result == expected)
        // Forgotten (its rows' owner let them go): not used.
        #expect(untilPosted { a.prepare() })
        MatrixProductKernel.forgetPreparations()
        #expect(!usesPreparation { result = a.run() })
        #expect(result == expected)
        // Prepared twice, and prepared but never used before the next preparation.
        a.prepare()
        other.prepare()
        #expect(other.run() == expectedOther)
        a.prepare()
        a.prepare()
        #expect(a.run() == expected)
        #expect(a.run() == expected)
    }

    @Test("A preparation left unused on one thread does not keep another thread from preparing")
    func abandonedOnAnotherThread() {
        guard MatrixProductKernel.threadLimit > 1 else { return }
        var generator = SeededGenerator(seed: 59)
        let left = Case<Float>(.active, transposeA: true, 3072, 50, 100, &generator)
        let product = Case<Float>(.active, transposeA: true, 3072, 50, 100, &generator)
        let expected = product.run()
        // A thread that prepares and ends at once, perhaps while the helper still packs into its
        // preparation (the thread's exit frees it once that job has ended: AddressSanitizer checks).
        let exited = DispatchSemaphore(value: 0)
        Thread {
            left.prepare()
            exited.signal()
        }.start()
        exited.wait()
        // A thread that prepares and waits, never running the product, until this test is done.
        let prepared = DispatchSemaphore(value: 0), finish = DispatchSemaphore(value: 0)
        Thread {
            _ = retrying { left.prepare() }
            prepared.signal()
            finish.wait()
        }.start()
        prepared.wait()
        defer { finish.signal() }
        var result: [Float] = []
        #expect(untilPrepared {
            product.prepare()
            result = product.run()
        })
        #expect(result == expected)
    }

    @Test("Threads preparing and multiplying at once, in both precisions, each get their own numbers")
    func concurrentCallers() {
        var generator = SeededGenerator(seed: 47)
        let floats = (0..<3).map { _ in Case<Float>(.active, transposeA: true, 1536, 50, 100, &generator) }
        let doubles = (0..<3).map { _ in Case<Double>(.active, transposeA: true, 1536, 50, 100, &generator) }
        let expectedFloats = floats.map { $0.run() }, expectedDoubles = doubles.map { $0.run() }
        // Threads of their own rather than tasks, and a time limit: a lost wake-up between callers and
        // the helper (a caller waiting for a job that has ended) then fails this test instead of
        // holding a thread of the test runner's pool for ever.
        let outcomes = Outcomes(), finished = DispatchGroup()
        func start(_ agrees: @escaping @Sendable () -> Bool) {
            finished.enter()
            Thread {
                outcomes.append((0..<500).allSatisfy { _ in agrees() })
                finished.leave()
            }.start()
        }
        for index in 0..<3 {
            start {
                floats[index].prepare()
                return floats[index].run() == expectedFloats[index]
            }
            start {
                doubles[index].prepare()
                return doubles[index].run() == expectedDoubles[index]
            }
        }
        let ended = finished.wait(timeout: .now() + 120) == .success
        #expect(ended, "six threads did not finish 500 products each in 2 minutes")
        #expect(outcomes.values == [Bool](repeating: true, count: 6))
    }

    /// What the threads of `concurrentCallers` found, behind a lock.
    private final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var found: [Bool] = []

        func append(_ agreed: Bool) {
            lock.lock()
            defer { lock.unlock() }
            found.append(agreed)
        }

        var values: [Bool] {
            lock.lock()
            defer { lock.unlock() }
            return found
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
