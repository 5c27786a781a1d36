import BackpropTensor
import Testing

@Suite struct SeededGeneratorTests {
    @Test func sameSeedSameNumbers() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
    }

    @Test func knownFirstValuesPinTheAlgorithm() {
        // Pinned so that a change of algorithm (and so of every seeded run) cannot pass unnoticed.
        var rng = SeededGenerator(seed: 0)
        let first = rng.next()
        var again = SeededGenerator(seed: 0)
        #expect(again.next() == first)
        #expect(first == 0x99EC_5F36_CB75_F2B4)
    }

    @Test func uniformAndNormalMoments() {
        var rng = SeededGenerator(seed: 1)
        let n = 200_000
        let u = (0..<n).map { _ in rng.nextUniform() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(u.reduce(0, +) / Double(n) - 0.5) < 0.005)
        let z = (0..<n).map { _ in rng.nextNormal() }
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.02)
    }

    @Test func permutationIsAPermutation() {
        var rng = SeededGenerator(seed: 5)
        let p = rng.permutation(1000)
        #expect(p.sorted() == Array(0..<1000))
        #expect(p != Array(0..<1000))
    }

    @Test func indexBelowStaysInRange() {
        var rng = SeededGenerator(seed: 9)
        var seen = Set<Int>()
        for _ in 0..<1000 { let i = rng.nextIndex(below: 3); #expect(i >= 0 && i < 3); seen.insert(i) }
        #expect(seen == [0, 1, 2])
    }

    @Test func initializersHaveTheRightScale() {
        var rng = SeededGenerator(seed: 2)
        let w: Tensor<Double> = Initializer.lecunNormal.make(fanIn: 400, fanOut: 100, using: &rng)
        let variance = w.sumOfSquares() / Double(w.count)
        #expect(abs(variance - 1.0 / 400) < 0.1 / 400)
        let x: Tensor<Double> = Initializer.xavierUniform.make(fanIn: 10, fanOut: 20, using: &rng)
        #expect(x.maxAbsolute() <= (6.0 / 30).squareRoot())
    }
}
