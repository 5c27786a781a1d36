import BackpropData
import BackpropTensor
import Testing

@Suite("BatchSampler")
struct BatchSamplerTests {
    @Test func everyIndexExactlyOncePerEpoch() {
        let sampler = BatchSampler(count: 103, batchSize: 10, seed: 42)
        #expect(sampler.batchesPerEpoch == 11)
        for epoch in 0..<3 {
            let batches = sampler.batches(epoch: epoch)
            #expect(batches.count == 11)
            #expect(batches.dropLast().allSatisfy { $0.count == 10 })
            #expect(batches.last?.count == 3)
            #expect(batches.flatMap { $0 }.sorted() == Array(0..<103))
        }
    }

    @Test func reproducibleForASeedAndDifferentAcrossEpochs() {
        let a = BatchSampler(count: 50, batchSize: 8, seed: 7)
        let b = BatchSampler(count: 50, batchSize: 8, seed: 7)
        #expect(a.order(epoch: 3) == b.order(epoch: 3))
        #expect(a.order(epoch: 0) != a.order(epoch: 1))
        #expect(a.order(epoch: 0) != BatchSampler(count: 50, batchSize: 8, seed: 8).order(epoch: 0))
        #expect(a.order(epoch: 0) != Array(0..<50))
    }

    @Test func inOrderWithoutShuffle() {
        let sampler = BatchSampler(count: 7, batchSize: 3, shuffle: false)
        #expect(sampler.batches(epoch: 5).map(Array.init) == [[0, 1, 2], [3, 4, 5], [6]])
        var generator = SeededGenerator(seed: 1)
        #expect(sampler.batches(using: &generator).map(Array.init) == [[0, 1, 2], [3, 4, 5], [6]])
    }

    @Test func drawsFromTheCallersGenerator() {
        let sampler = BatchSampler(count: 20, batchSize: 6)
        var g1 = SeededGenerator(seed: 9), g2 = SeededGenerator(seed: 9)
        let first = sampler.batches(using: &g1).flatMap { $0 }
        #expect(first == sampler.batches(using: &g2).flatMap { $0 })
        #expect(first.sorted() == Array(0..<20))
        #expect(sampler.batches(using: &g1).flatMap { $0 } != first)
    }

    @Test func emptyAndExactCounts() {
        #expect(BatchSampler(count: 0, batchSize: 4).batches(epoch: 0).isEmpty)
        #expect(BatchSampler(count: 0, batchSize: 4).batchesPerEpoch == 0)
        #expect(BatchSampler(count: 12, batchSize: 4).batches(epoch: 0).map(\.count) == [4, 4, 4])
    }
}
