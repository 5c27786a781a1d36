import BackpropData
import BackpropTensor
import Testing

@Suite("Dataset")
struct DatasetTests {
    /// Five examples of three features; row i holds 10i, 10i+1, 10i+2 and has label i % 3.
    let data = Dataset(
        features: Tensor(shape: [5, 3], scalars: (0..<5).flatMap { i in (0..<3).map { Float(10 * i + $0) } }),
        labels: [0, 1, 2, 0, 1], classNames: ["a", "b", "c"])

    @Test func countsAndShape() {
        #expect(data.count == 5)
        #expect(data.featureCount == 3)
        #expect(data.classCount == 3)
        #expect(data.classCounts == [2, 2, 1])
    }

    @Test func subsetCopiesTheRowsInOrder() {
        let picked = data.subset([4, 0, 4])
        #expect(picked.features.shape == [3, 3])
        #expect(picked.features.scalars == [40, 41, 42, 0, 1, 2, 40, 41, 42])
        #expect(picked.labels == [1, 0, 1])
        #expect(picked.classNames == data.classNames)
        #expect(data.subset([Int]()).count == 0)
    }

    @Test func prefixClampsToTheCount() {
        #expect(data.prefix(2).labels == [0, 1])
        #expect(data.prefix(2).features.scalars == [0, 1, 2, 10, 11, 12])
        #expect(data.prefix(99) == data)
        #expect(data.prefix(0).count == 0)
    }

    @Test func truncateKeepsTheFirstRowsInPlace() {
        var copy = data
        copy.truncate(to: 3)
        #expect(copy == data.prefix(3))
        copy.truncate(to: 10)
        #expect(copy.count == 3)
        #expect(data.count == 5)
    }

    @Test func concatenateAppendsInOrder() throws {
        let joined = try Dataset.concatenate([data.prefix(2), data.subset([4])])
        #expect(joined.labels == [0, 1, 1])
        #expect(joined.features.scalars == [0, 1, 2, 10, 11, 12, 40, 41, 42])
    }

    @Test func concatenateRejectsMismatchedParts() {
        let other = Dataset(features: Tensor(zeros: [1, 4]), labels: [0], classNames: ["a", "b", "c"])
        #expect(throws: DatasetError.self) { try Dataset.concatenate([data, other]) }
        let renamed = Dataset(features: Tensor(zeros: [1, 3]), labels: [0], classNames: ["x", "y", "z"])
        #expect(throws: DatasetError.self) { try Dataset.concatenate([data, renamed]) }
        #expect(throws: DatasetError.self) { try Dataset.concatenate([]) }
    }

    @Test func oneHotMarksEachLabel() {
        let y = data.oneHot()
        #expect(y.shape == [5, 3])
        #expect(y.scalars == [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0])
        let d: Tensor<Double> = oneHot(labels: [2, 0], classes: 4)
        #expect(d.scalars == [0, 0, 1, 0, 1, 0, 0, 0])
    }

    @Test func gatherBatchCopiesTheRightRows() {
        var x = Tensor<Float>(zeros: [0, 0]), y = [Int]()
        data.gatherBatch([3, 1], into: &x, labels: &y)
        #expect(x.shape == [2, 3])
        #expect(x.scalars == [30, 31, 32, 10, 11, 12])
        #expect(y == [0, 1])
        let order = [4, 2, 0, 1]
        data.gatherBatch(order[1..<3], into: &x, labels: &y)
        #expect(x.scalars == [20, 21, 22, 0, 1, 2])
        #expect(y == [2, 0])
    }

    @Test func gatherBatchReusesItsBuffers() {
        var x = Tensor<Float>(zeros: [0, 0]), y = [Int]()
        data.gatherBatch([0, 1], into: &x, labels: &y)
        let storage = x.scalars.withUnsafeBufferPointer { $0.baseAddress }
        let labelStorage = y.withUnsafeBufferPointer { $0.baseAddress }
        data.gatherBatch([4, 3], into: &x, labels: &y)
        #expect(x.scalars.withUnsafeBufferPointer { $0.baseAddress } == storage)
        #expect(y.withUnsafeBufferPointer { $0.baseAddress } == labelStorage)
        #expect(x.scalars == [40, 41, 42, 30, 31, 32])
    }

    @Test func gatherBatchConvertsToDouble() {
        var x = Tensor<Double>(zeros: [0, 0]), y = [Int]()
        data.gatherBatch([2], into: &x, labels: &y)
        #expect(x.scalars == [20, 21, 22])
        #expect(y == [2])
    }

    @Test func descriptionNamesTheSizes() {
        #expect(data.description == "Dataset(5 examples × 3 features, 3 classes)")
    }
}
