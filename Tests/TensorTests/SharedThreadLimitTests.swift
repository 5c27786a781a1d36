import BackpropTensor
import Dispatch
import Foundation
import Testing

@Suite("SharedThreadLimit")
struct SharedThreadLimitTests {
    @Test("Threads following a shared limit see its changes; a thread's own limit wins; leaving restores")
    func followersSeeChanges() {
        let outside = MatrixProductKernel.threadLimit
        let share = SharedThreadLimit(1)
        let seen = Seen()
        let changed = DispatchSemaphore(value: 0), read = DispatchSemaphore(value: 0), firstRead = DispatchSemaphore(value: 0)
        let follower = Thread {
            MatrixProductKernel.following(share) {
                seen.values.append(MatrixProductKernel.threadLimit)
                firstRead.signal()
                changed.wait()
                seen.values.append(MatrixProductKernel.threadLimit)
                MatrixProductKernel.withThreadLimit(1) { seen.values.append(MatrixProductKernel.threadLimit) }
            }
            seen.values.append(MatrixProductKernel.threadLimit)
            read.signal()
        }
        follower.start()
        firstRead.wait()
        share.limit = 2
        changed.signal()
        read.wait()
        #expect(seen.values == [1, 2, 1, outside])
        #expect(MatrixProductKernel.threadLimit == outside, "the calling thread never followed the share")
        share.limit = 7
        #expect(share.limit == 2, "clamped to 1…2")
    }

    @Test("A product rounds the same whether the shared limit says one thread or two")
    func productDoesNotDependOnShare() {
        var rng = SeededGenerator(seed: 3)
        let a = Tensor<Float>(shape: [300, 700], scalars: (0..<210_000).map { _ in Float(rng.nextUniform(in: -1, 1)) })
        let b = Tensor<Float>(shape: [700, 90], scalars: (0..<63_000).map { _ in Float(rng.nextUniform(in: -1, 1)) })
        var results: [[Float]] = []
        for limit in [1, 2] {
            var c = Tensor<Float>(zeros: [0, 0])
            MatrixProductKernel.following(SharedThreadLimit(limit)) { Tensor.matmul(a, false, b, false, into: &c) }
            results.append(c.scalars)
        }
        #expect(results[0] == results[1])
    }

    private final class Seen: @unchecked Sendable {
        var values: [Int] = []
    }
}
