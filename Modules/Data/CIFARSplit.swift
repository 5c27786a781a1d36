/// Which CIFAR-10 batches become the training, validation and test sets, as in the course's reports.
public enum CIFARSplit: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Train on `data_batch_1`, validate on `data_batch_2`, test on `test_batch` (Assignment 1, and the
    /// first experiments of Assignment 2).
    case batch1Batch2Test
    /// Train on all five training batches except their last `validationCount` images, which are the
    /// validation set (Assignment 2 uses 5000, then 1000); test on `test_batch`.
    case allBatches(validationCount: Int)

    public var description: String {
        switch self {
        case .batch1Batch2Test: "batch 1 / batch 2 / test"
        case .allBatches(let count): "all batches, last \(count) for validation / test"
        }
    }
}
