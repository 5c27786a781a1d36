import Backprop
import Testing

@Suite struct ConfusionMatrixTests {
    // Three classes; true 0 0 0 1 1 2, predicted 0 0 1 1 2 2.
    let matrix = ConfusionMatrix(labels: [0, 0, 0, 1, 1, 2], predictions: [0, 0, 1, 1, 2, 2], classCount: 3)

    @Test func countsTrueAgainstPredicted() {
        #expect(matrix.counts == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(matrix.total == 6)
        #expect(matrix.accuracy == 4.0 / 6.0)
    }

    @Test func perClassFiguresFollowTheirDefinitions() {
        // Class 1: TP 1, FP 1 (a 0 predicted as 1), FN 1 (a 1 predicted as 2), TN 3.
        #expect(matrix.precision(1) == 0.5)
        #expect(matrix.recall(1) == 0.5)
        #expect(matrix.accuracy(1) == 4.0 / 6.0)
        #expect(matrix.precision(0) == 1 && matrix.recall(0) == 2.0 / 3.0)
        #expect(matrix.precision(2) == 0.5 && matrix.recall(2) == 1)
        #expect(matrix.support(0) == 3)
    }

    @Test func undefinedRatiosAreNil() {
        let never = ConfusionMatrix(labels: [0, 0], predictions: [0, 0], classCount: 2)
        #expect(never.precision(1) == nil)   // class 1 was never predicted
        #expect(never.recall(1) == nil)      // and never occurs
        #expect(never.accuracy(1) == 1)
        #expect(ConfusionMatrix(labels: [], predictions: [], classCount: 2).accuracy == nil)
    }
}
