import BackpropTensor
import Testing

/// Tests of `sumOverRows(into:)`, the reused-storage column sums behind the bias gradient.
@Suite("Column sums into a buffer")
struct SumOverRowsIntoTests {
    @Test("Matches sumOverRows(), overwrites the old contents and takes the new shape")
    func matchesAllocatingVersion() {
        let m = Tensor<Float>(shape: [3, 4], scalars: [1, 2, 3, 4, 10, 20, 30, 40, -5, 0.5, 7, 2])
        var out = Tensor<Float>(repeating: 99, shape: [1, 4])
        m.sumOverRows(into: &out)
        #expect(out == m.sumOverRows())
        #expect(out.scalars == [6, 22.5, 40, 46])
        let narrow = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        narrow.sumOverRows(into: &out)
        #expect(out.shape == [1, 2] && out.scalars == [4, 6])
        let empty = Tensor<Float>(zeros: [0, 3])
        empty.sumOverRows(into: &out)
        #expect(out.scalars == [0, 0, 0])
    }
}
