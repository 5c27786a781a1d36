import BackpropTensor

/// The mini-batches of one epoch: lists of example indices, shuffled per epoch or in order.
///
/// Shuffling permutes indices, never the data, so a batch is gathered from the unchanged data set with
/// `Dataset.gatherBatch`. The last batch keeps the remainder when `count` is not a multiple of
/// `batchSize` (10000 examples in batches of 128 give 78 full batches and one of 16), so every example is
/// seen exactly once per epoch.
///
/// ```swift
/// let sampler = BatchSampler(count: train.count, batchSize: 100, seed: 7)
/// for epoch in 0..<epochs {
///     for batch in sampler.batches(epoch: epoch) { … }
/// }
/// ```
///
/// `batches(epoch:)` is a pure function of the seed and the epoch, so a run resumed from a checkpoint at
/// epoch `e` sees the same batches as the original run; `batches(using:)` draws from a caller's generator.
public struct BatchSampler: Sendable, Equatable {
    /// The number of examples.
    public let count: Int
    /// The number of examples per batch (the last batch may be smaller).
    public let batchSize: Int
    /// Whether each epoch visits the examples in a new random order.
    public let shuffle: Bool
    /// The seed from which each epoch's order is derived.
    public let seed: UInt64

    /// A sampler over `count` examples.
    public init(count: Int, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0) {
        precondition(count >= 0, "BatchSampler: negative count \(count)")
        precondition(batchSize > 0, "BatchSampler: batch size must be positive, got \(batchSize)")
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
    }

    /// The number of batches in one epoch, the last partial batch included: ⌈count / batchSize⌉.
    public var batchesPerEpoch: Int { (count + batchSize - 1) / batchSize }

    /// The order in which epoch `epoch` visits the examples: a permutation of `0..<count`.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<count) }
        // Each epoch gets its own generator, seeded by mixing the epoch into the seed (SplitMix64 inside
        // SeededGenerator spreads nearby seeds apart).
        var generator = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15))
        return generator.permutation(count)
    }

    /// The batches of epoch `epoch`, as slices of one index array.
    public func batches(epoch: Int) -> [ArraySlice<Int>] {
        split(order(epoch: epoch))
    }

    /// The batches of one epoch, shuffled with `generator` when `shuffle` is true.
    public func batches(using generator: inout SeededGenerator) -> [ArraySlice<Int>] {
        split(shuffle ? generator.permutation(count) : Array(0..<count))
    }

    private func split(_ order: [Int]) -> [ArraySlice<Int>] {
        stride(from: 0, to: count, by: batchSize).map { order[$0..<min($0 + batchSize, count)] }
    }
}
