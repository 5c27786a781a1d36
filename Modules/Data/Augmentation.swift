import BackpropTensor

/// A random transformation of training batches (data augmentation), as a plug-in.
///
/// The trainer calls `apply` on each training mini-batch after it was gathered and standardised, just
/// before the forward pass. Augmentations are listed in an experiment file by name and built through a
/// `Registry<any Augmentation>`; see `registerStandardAugmentations(in:)`.
///
/// ```swift
/// struct Scale: Augmentation {
///     var factor: Double
///     var description: String { "Scale(\(factor))" }
///     func apply<S: TensorScalar>(to batch: inout Tensor<S>, generator: inout SeededGenerator) {
///         batch.scale(by: S(factor))
///     }
/// }
/// ```
///
/// Semantics:
/// - Applied to training batches only, never to validation or test data, and after normalisation, so
///   parameters such as a noise level are in units of standardised features.
/// - `batch` is `[batchSize, featureCount]`, one example per row; the shape must not change.
/// - All randomness comes from `generator`, so a run is reproducible from its seed; an augmentation
///   keeps no state between calls.
/// - Several augmentations are applied in the order the experiment lists them.
/// - `apply` is generic over the scalar the model trains in, so the trainer augments its batch buffer
///   in place whatever that scalar is; given the same random draws, a `Float` batch and a `Double` one
///   differ only by the rounding of their scalar.
public protocol Augmentation: Sendable, CustomStringConvertible {
    /// Transforms `batch` in place, drawing any random numbers from `generator`.
    func apply<S: TensorScalar>(to batch: inout Tensor<S>, generator: inout SeededGenerator)
}
