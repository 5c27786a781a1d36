import BackpropTensor
import CBackpropKernels
import Foundation
import Testing

/// Tests of `bp_sexp`, the vectorised Float exponential behind the softmax: its accuracy against `exp` in
/// Double, its special values, and that a value's result does not depend on where it falls in an array
/// (the vector body and the scalar tail compute the same function).
@Suite("Float exponential")
struct ExponentialTests {
    private func exponentials(_ x: [Float]) -> [Float] {
        var y = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in bp_sexp(x.baseAddress!, y.baseAddress!, x.count) }
        }
        return y
    }

    @Test("Within 2 ulp of e^x over the softmax's range and beyond, on a fine grid")
    func accuracy() {
        // −87.3 … 88.3 in steps of about 1/1024, plus a dense stretch near 0 where softmax values bunch up.
        let grid = stride(from: Float(-87.3), through: 88.3, by: 1.0 / 1024).map { $0 }
            + stride(from: Float(-1), through: 1, by: 1.0 / 65536).map { $0 }
        let y = exponentials(grid)
        var worst = 0.0
        for (x, e) in zip(grid, y) {
            let exact = Foundation.exp(Double(x))
            let ulp = Double(Float(exact).ulp)
            worst = max(worst, abs(Double(e) - exact) / ulp)
        }
        #expect(worst <= 2, "largest error \(worst) ulp")
    }

    @Test("Exact at 0, 0 far below, +∞ far above, NaN for NaN")
    func specialValues() {
        let x: [Float] = [0, -0.0, -.infinity, .infinity, .nan, -200, 200, -87.4, 88.4, 1]
        let y = exponentials(x)
        #expect(y[0] == 1 && y[1] == 1)
        #expect(y[2] == 0 && y[3] == .infinity && y[4].isNaN)
        #expect(y[5] == 0 && y[6] == .infinity && y[7] == 0 && y[8] == .infinity)
        #expect(abs(Double(y[9]) - M_E) < 3e-7)
    }

    @Test("A value's exponential is the same at every position (vector body or scalar tail)")
    func positionIndependent() {
        var generator = SeededGenerator(seed: 61)
        let values = (0..<37).map { _ in Float(generator.nextUniform(in: -30, 5)) }
        let alone = values.map { exponentials([$0])[0] }
        for length in [1, 7, 8, 9, 15, 16, 17, 37] {
            for shift in 0..<min(8, 38 - length) {
                let slice = Array(values[shift..<shift + length])
                #expect(exponentials(slice) == Array(alone[shift..<shift + length]),
                        "length \(length) shift \(shift)")
            }
        }
    }

    @Test("Float softmax rows sum to 1 and agree with Double to 1e-6")
    func softmaxAgreesWithDouble() {
        var generator = SeededGenerator(seed: 67)
        let values = (0..<(37 * 13)).map { _ in generator.nextUniform(in: -20, 20) }
        let float = Tensor<Float>(shape: [37, 13], scalars: values.map { Float($0) }).softmaxRows()
        let double = Tensor<Double>(shape: [37, 13], scalars: values.map { Double(Float($0)) }).softmaxRows()
        for (f, d) in zip(float.scalars, double.scalars) {
            #expect(abs(Double(f) - d) <= 1e-6 * max(d, 1e-30) + 1e-12)
        }
        for r in 0..<37 {
            let sum = float.scalars[(r * 13)..<(r * 13 + 13)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-5)
        }
    }
}
