import BackpropLayers
import BackpropRegistry
import BackpropTensor

/// A layer that can write itself as entries of a model's `layers` list, so that a trained model can be
/// saved and built again (`model.json` in a run directory).
///
/// The entries are the JSON an experiment file would give for the layer, plus `layer_name`, the name
/// its parameters carry; a `Registry<any LayerSpec>` that knows the entries' `name`s builds the layer
/// again. A user's layer kind adopts this and registers a `LayerSpec` under the same name.
///
/// Semantics:
/// - Building the entries with the layer registry gives a layer with the same structure and parameter
///   names; the parameters' values are stored apart (`.npy`).
/// - A container lists the entries of its layers in order (a `Sequential` is flattened: nested
///   sequences compute the same function as one).
public protocol ConfigurableLayer {
    /// The layer's entries in a model's `layers` list, or nil when it cannot describe itself (a
    /// container holding a layer that cannot).
    var layerEntries: [JSONValue]? { get }
}

extension Linear: ConfigurableLayer {
    public var layerEntries: [JSONValue]? {
        let name = weight.name.hasSuffix(".weight") ? String(weight.name.dropLast(".weight".count)) : weight.name
        return [[
            "name": "linear", "inputs": .number(Double(inputs)), "outputs": .number(Double(outputs)),
            "layer_name": .string(name),
        ]]
    }
}

extension ReLU: ConfigurableLayer {
    public var layerEntries: [JSONValue]? { ["relu"] }
}

extension Dropout: ConfigurableLayer {
    public var layerEntries: [JSONValue]? { [["name": "dropout", "rate": .number(rate)]] }
}

extension BatchNorm: ConfigurableLayer {
    public var layerEntries: [JSONValue]? {
        [[
            "name": "batch_norm", "inputs": .number(Double(features)), "momentum": .number(momentum),
            "epsilon": .number(epsilon), "layer_name": .string(name),
        ]]
    }
}

extension Sequential: ConfigurableLayer {
    /// The entries of every layer in order, or nil when some layer cannot describe itself.
    public var layerEntries: [JSONValue]? {
        var entries: [JSONValue] = []
        for layer in layers {
            guard let inner = (layer as? any ConfigurableLayer)?.layerEntries else { return nil }
            entries += inner
        }
        return entries
    }

    /// The first layer that cannot describe itself (a nested sequence is named whole), for messages.
    public var firstUnconfigurableLayer: (any Layer<Scalar>)? {
        layers.first { (($0 as? any ConfigurableLayer)?.layerEntries) == nil }
    }
}
