import BackpropTensor

/// A layer made of other layers applied in order, which a plug-in may extend: dropout inserts a layer
/// after each ReLU, also inside nested sequences.
///
/// `Sequential` is one; a user's own container adopts it to be prepared the same way.
///
/// Semantics:
/// - `layers` lists the layers in the order the forward pass applies them.
/// - `insert(_:at:)` adds a layer before the one at `index` (at the end for `layers.count`); the
///   container's forward and backward passes include it from then on.
public protocol LayerSequence<Scalar>: Layer {
    associatedtype Scalar

    var layers: [any Layer<Scalar>] { get }
    func insert(_ layer: any Layer<Scalar>, at index: Int)
}

extension Sequential: LayerSequence {}
