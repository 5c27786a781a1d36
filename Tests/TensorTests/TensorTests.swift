import BackpropTensor
import Testing

@Suite struct TensorTests {
    @Test func shapeAndIndexing() {
        var t = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.rows == 2 && t.columns == 3 && t[1, 2] == 6)
        t[0, 1] = 9
        #expect(t.scalars == [1, 9, 3, 4, 5, 6])
        #expect(t.transposed.scalars == [1, 4, 9, 5, 3, 6])
        #expect(t.rows(1..<2).scalars == [4, 5, 6])
    }

    @Test func resizeKeepsStorageAndZeroFills() {
        var t = Tensor<Float>(shape: [1, 2], scalars: [1, 2])
        t.resize(to: [2, 2])
        #expect(t.shape == [2, 2] && t.scalars == [1, 2, 0, 0])
        t.resize(to: [1, 1])
        #expect(t.scalars == [1])
    }

    @Test func axpyBiasAndColumnSums() {
        var t = Tensor<Double>([[1, 2], [3, 4]])
        t.addRowVector(Tensor(shape: [2], scalars: [10, 20]))
        #expect(t.scalars == [11, 22, 13, 24])
        #expect(t.sumOverRows().scalars == [24, 46])
        #expect(t.sumOverColumns().scalars == [33, 37])
        t.add(Tensor([[1, 1], [1, 1]]), scaledBy: -1)
        #expect(t.scalars == [10, 21, 12, 23])
        t.scale(by: 0.5)
        #expect(t.scalars == [5, 10.5, 6, 11.5])
        #expect(t.sumOfSquares() == 25 + 110.25 + 36 + 132.25)
    }

    @Test func softmaxIsStableForHugeLogits() {
        let t = Tensor<Float>([[1000, 1000], [0, -1000]])
        let p = t.softmaxRows()
        #expect(p.scalars == [0.5, 0.5, 1, 0])
        let lse = t.logSumExpRows()
        #expect(abs(lse.scalars[0] - (1000 + Float(0.6931472))) < 1e-3)
        #expect(lse.scalars[1] == 0)
    }

    @Test func softmaxRowsSumToOne() {
        var rng = SeededGenerator(seed: 3)
        let p = Tensor<Double>.normal(shape: [5, 7], standardDeviation: 3, using: &rng).softmaxRows()
        for row in 0..<5 {
            #expect(abs((0..<7).reduce(0.0) { $0 + p[row, $1] } - 1) < 1e-12)
        }
    }

    @Test func argmaxTakesTheFirstOnTies() {
        #expect(Tensor<Float>([[1, 3, 3], [5, 0, 1]]).argmaxPerRow() == [1, 0])
    }

    @Test func convertsPrecision() {
        let t = Tensor<Float>([[0.5, 1.5]]).converted(to: Double.self)
        #expect(t.scalars == [0.5, 1.5])
    }
}
