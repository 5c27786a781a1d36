import BackpropTensor

// MARK: - Mini-batches

extension Dataset {
    /// Copies the examples at `indices` into `features` (`[indices.count, featureCount]`) and `labels`.
    ///
    /// The output buffers are reused: once they have held a batch of this size, gathering another one
    /// allocates nothing, which keeps the training loop free of per-step allocations. Rows are copied
    /// whole by `Tensor.gatherRows` (on both cores for large batches).
    ///
    /// ```swift
    /// var x = Tensor<Float>(zeros: [0, 0]), y = [Int]()
    /// for batch in sampler.batches(epoch: epoch) {
    ///     train.gatherBatch(batch, into: &x, labels: &y)
    /// }
    /// ```
    public func gatherBatch(_ indices: ArraySlice<Int>, into features: inout Tensor<Float>, labels: inout [Int]) {
        features.gatherRows(of: self.features, at: indices)
        gatherLabels(indices, into: &labels)
    }

    /// Copies the examples at `indices` into reused buffers; see the `ArraySlice` version.
    public func gatherBatch(_ indices: [Int], into features: inout Tensor<Float>, labels: inout [Int]) {
        gatherBatch(indices[...], into: &features, labels: &labels)
    }

    /// Copies the examples at `indices` into reused buffers, converting them to `S` (for example
    /// `Double`, for gradient checks).
    public func gatherBatch<S: TensorScalar>(
        _ indices: ArraySlice<Int>, into features: inout Tensor<S>, labels: inout [Int]
    ) {
        // Through the scalar's own conversion: Float copies whole rows, on both cores for a large batch.
        features.gatherRows(convertingFrom: self.features, at: indices)
        gatherLabels(indices, into: &labels)
    }

    /// Copies the examples at `indices` into reused buffers of scalar type `S`.
    public func gatherBatch<S: TensorScalar>(_ indices: [Int], into features: inout Tensor<S>, labels: inout [Int]) {
        gatherBatch(indices[...], into: &features, labels: &labels)
    }

    /// Copies the labels of the examples at `indices` into `labels`, reusing its storage: for a batch whose
    /// features are read in place (`IndexedRows`) rather than gathered.
    public func gatherLabels(_ indices: ArraySlice<Int>, into labels: inout [Int]) {
        labels.removeAll(keepingCapacity: true)
        for row in indices { labels.append(self.labels[row]) }
    }
}

// MARK: - One-hot targets

extension Dataset {
    /// The labels as one-hot rows: `[count, classCount]`, 1 at each example's class and 0 elsewhere.
    public func oneHot() -> Tensor<Float> {
        BackpropData.oneHot(labels: labels, classes: classCount)
    }
}

/// One-hot rows for `labels`: `[labels.count, classes]`, 1 at each label's column and 0 elsewhere.
///
/// The course's `Y` matrix is this tensor transposed (one column per example).
public func oneHot<S: TensorScalar>(labels: some Collection<Int>, classes: Int, as _: S.Type = S.self) -> Tensor<S> {
    var result = Tensor<S>(zeros: [labels.count, classes])
    for (i, label) in labels.enumerated() {
        precondition(label >= 0 && label < classes, "oneHot: label \(label) outside 0..<\(classes)")
        result.scalars[i * classes + label] = 1
    }
    return result
}
