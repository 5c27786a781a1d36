import BackpropTensor
import CBackpropKernels
import Foundation
import Testing

@Suite struct PhiloxStreamTests {
    /// Random123's known answers for Philox4x32-10 (kat_vectors): counter, key, output.
    @Test func knownAnswersPinTheBlockFunction() {
        let cases: [([UInt32], [UInt32], [UInt32])] = [
            ([0, 0, 0, 0], [0, 0], [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8]),
            ([.max, .max, .max, .max], [.max, .max], [0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD]),
            ([0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344], [0xA409_3822, 0x299F_31D0],
             [0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1]),
        ]
        for (counter, key, expected) in cases {
            var out = [UInt32](repeating: 0, count: 4)
            bp_philox4x32_10(counter, key, &out)
            #expect(out == expected)
        }
        // The stream of key 0 starts with the block of counter 0.
        #expect(words(PhiloxStream(key: 0), from: 0, count: 4) == cases[0].2)
    }

    /// Word i is word i mod 4 of the block of counter i/4 (high half included), under the key's halves.
    @Test func wordsAreTheBlocksOfTheirIndex() {
        let key: UInt64 = 0x0123_4567_89AB_CDEF
        // Across the wrap of the counter's low 32 bits.
        let start: UInt64 = (1 << 32 - 5) * 4 + 3
        let stream = words(PhiloxStream(key: key), from: start, count: 100)
        for (offset, word) in stream.enumerated() {
            let index = start + UInt64(offset), block = index / 4
            var out = [UInt32](repeating: 0, count: 4)
            bp_philox4x32_10([UInt32(truncatingIfNeeded: block), UInt32(block >> 32), 0, 0],
                             [UInt32(truncatingIfNeeded: key), UInt32(key >> 32)], &out)
            #expect(word == out[Int(index % 4)], "word \(index)")
        }
    }

    /// Any part of a stream computed alone equals that part of a longer pass: scalar heads and tails
    /// against the vector body, at every offset in a block and every length around eight blocks.
    @Test func partsEqualTheWhole() {
        let stream = PhiloxStream(key: 42)
        let allWords = words(stream, from: 0, count: 400)
        let allNormals = normals(stream, from: 0, count: 400, sigma: 0.5)
        for start in 0..<37 {
            for count in [1, 3, 4, 31, 32, 33, 64, 65, 97] {
                #expect(words(stream, from: UInt64(start), count: count) == Array(allWords[start..<(start + count)]))
                let part = normals(stream, from: UInt64(start), count: count, sigma: 0.5)
                #expect(part.map(\.bitPattern) == allNormals[start..<(start + count)].map(\.bitPattern),
                        "normals \(start) ..< \(start + count)")
            }
        }
    }

    @Test func longPassesAreTheSameOnOneThreadOrTwo() {
        let stream = PhiloxStream(key: 7), count = 300_001
        let both = normals(stream, from: 5, count: count, sigma: 1)
        let one = MatrixProductKernel.withThreadLimit(1) { normals(stream, from: 5, count: count, sigma: 1) }
        #expect(both.map(\.bitPattern) == one.map(\.bitPattern))
        var maskBoth = [Float](repeating: 0, count: count), maskOne = maskBoth
        var g1 = SeededGenerator(seed: 3), g2 = g1
        Float.bernoulliMask(&maskBoth, count: count, dropProbability: 0.3, keep: 2, generator: &g1)
        MatrixProductKernel.withThreadLimit(1) {
            Float.bernoulliMask(&maskOne, count: count, dropProbability: 0.3, keep: 2, generator: &g2)
        }
        #expect(maskBoth == maskOne)
    }

    /// Box–Muller as documented, against the same formula in Double from the same words.
    @Test func normalsFollowTheDocumentedFormula() {
        let stream = PhiloxStream(key: 99), count = 200_000
        let w = words(stream, from: 0, count: count)
        let z = normals(stream, from: 0, count: count, sigma: 1)
        var largestError = 0.0
        for pair in stride(from: 0, to: count, by: 2) {
            let u = Double((w[pair] >> 8) + 1) * 0x1p-24
            let theta = 2 * Double.pi * Double(w[pair + 1] >> 8) * 0x1p-24
            let r = (-2 * log(u)).squareRoot()
            largestError = max(largestError, abs(r * cos(theta) - Double(z[pair])),
                               abs(r * sin(theta) - Double(z[pair + 1])))
        }
        #expect(largestError < 2e-6)
        let scaled = normals(stream, from: 0, count: 8, sigma: 3)
        #expect(zip(scaled, z).allSatisfy { abs($0 - 3 * $1) <= 1e-6 * max(1, abs($0)) })
    }

    @Test func normalMoments() {
        let z = normals(PhiloxStream(key: 5), from: 0, count: 1_000_000, sigma: 1).map(Double.init)
        let n = Double(z.count)
        let mean = z.reduce(0, +) / n
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let kurtosis = z.reduce(0) { $0 + pow($1 - mean, 4) } / n / (variance * variance)
        #expect(abs(mean) < 0.005)
        #expect(abs(variance - 1) < 0.01)
        #expect(abs(kurtosis - 3) < 0.05)
        #expect(z.allSatisfy { abs($0) <= 5.8 })
    }

    @Test func thresholdsAndMasks() {
        #expect(PhiloxStream.threshold(probability: 0) == 0)
        #expect(PhiloxStream.threshold(probability: 0.5) == 1 << 31)
        #expect(PhiloxStream.threshold(probability: 1) == 1 << 32)
        #expect(PhiloxStream.threshold(probability: -1) == 0)

        let count = 100_003
        var generator = SeededGenerator(seed: 11), copy = generator
        var floats = [Float](repeating: 9, count: count), doubles = [Double](repeating: 9, count: count)
        Float.bernoulliMask(&floats, count: count, dropProbability: 0.25, keep: 4, generator: &generator)
        Double.bernoulliMask(&doubles, count: count, dropProbability: 0.25, keep: 4, generator: &copy)
        // One key per mask, the same mask in either scalar, and the stream's words decide it.
        #expect(generator == copy)
        var keyed = SeededGenerator(seed: 11)
        let drops = keyed.nextStream().bernoulli(count, threshold: PhiloxStream.threshold(probability: 0.25))
        #expect(floats.map { $0 == 0 } == drops)
        #expect(doubles.map { $0 == 0 } == drops)
        #expect(floats.allSatisfy { $0 == 0 || $0 == 4 })
        let dropped = Double(drops.filter { $0 }.count) / Double(count)
        #expect(abs(dropped - 0.25) < 0.01)
    }

    private func words(_ stream: PhiloxStream, from start: UInt64, count: Int) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { stream.words(from: start, into: $0) }
        return out
    }

    private func normals(_ stream: PhiloxStream, from start: UInt64, count: Int, sigma: Float) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { stream.normals(from: start, standardDeviation: sigma, into: $0) }
        return out
    }
}
