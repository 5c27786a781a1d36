import BackpropTensor
import BackpropTestSupport
import Foundation
import Testing

/// Tests of `Tensor.add(_:scaledBy:)` (axpy, on both cores for long arrays) and of the per-thread limit
/// on the threads a product, gather or axpy may use.
@Suite("Axpy and thread limits")
struct AxpyTests {
    private func check<S: TensorScalar>(_: S.Type, count: Int) {
        var generator = SeededGenerator(seed: 31)
        let x = Tensor<S>(shape: [count], scalars: (0..<count).map { _ in S(generator.nextNormal()) })
        let y = Tensor<S>(shape: [count], scalars: (0..<count).map { _ in S(generator.nextNormal()) })
        let alpha = S(-0.037)
        // The plain loop, rounded as written: a product, then a sum.
        var expected = y.scalars
        for i in 0..<count {
            let product = alpha * x.scalars[i]
            expected[i] = expected[i] + product
        }
        var twoCores = y
        twoCores.add(x, scaledBy: alpha)
        #expect(twoCores.scalars == expected, "\(S.self), \(count) elements")
        var oneCore = y
        MatrixProductKernel.withThreadLimit(1) { oneCore.add(x, scaledBy: alpha) }
        #expect(oneCore.scalars == expected, "\(S.self), \(count) elements, one thread")
    }

    @Test("axpy rounds as the plain loop, short or split over both cores, in Float and Double",
          arguments: [1, 17, 65_535, 77_057, 153_600])
    func matchesPlainLoop(count: Int) {
        check(Float.self, count: count)
        check(Double.self, count: count)
    }

    @Test("A thread limit holds on its own thread only, and is restored after")
    func threadLimitIsPerThread() {
        let outside = MatrixProductKernel.threadLimit
        let (inside, otherThread) = MatrixProductKernel.withThreadLimit(1) { () -> (Int, Int) in
            let seen = Seen(), done = DispatchSemaphore(value: 0)
            Thread {
                seen.value = MatrixProductKernel.threadLimit
                done.signal()
            }.start()
            done.wait()
            return (MatrixProductKernel.threadLimit, seen.value)
        }
        #expect(inside == 1)
        #expect(otherThread == outside)
        #expect(MatrixProductKernel.threadLimit == outside)
        // Nested limits restore the outer one.
        MatrixProductKernel.withThreadLimit(1) {
            MatrixProductKernel.withThreadLimit(2) { #expect(MatrixProductKernel.threadLimit == 2) }
            #expect(MatrixProductKernel.threadLimit == 1)
        }
    }

    private final class Seen: @unchecked Sendable {
        var value = 0
    }
}
