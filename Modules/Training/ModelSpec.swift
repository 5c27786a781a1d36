import BackpropLayers
import BackpropRegistry
import BackpropTensor

/// The model section of an experiment file: a list of layers, or the `hidden` shorthand for a fully
/// connected classifier.
///
/// ```json
/// {"hidden": [50], "initializer": "lecun_normal"}
/// {"hidden": [1024, 512], "batch_norm": true, "initializer": "he_normal"}
/// {"width": 1024, "depth": 3}
/// {"layers": [{"name": "linear", "outputs": 100}, "batch_norm", "relu", {"name": "dropout", "rate": 0.2}, "linear"]}
/// ```
///
/// `hidden: []` is the softmax linear classifier of Assignment 1, `hidden: [50]` the 2-layer network of
/// Assignment 2: each width is a linear layer and a ReLU, and a last linear layer has one output per
/// class; any number of widths makes a deeper network. `width` and `depth`, given together, are
/// `hidden` with `depth` layers of `width` units (`depth` 0 is the linear classifier): two numbers a
/// random search can draw independently. `"batch_norm": true` puts a batch normalisation
/// between each hidden linear layer and its ReLU. `layers` entries are built through the layer registry
/// (`linear`, `relu`, `dropout`, `batch_norm`, and any registered by the user); a linear layer without
/// `outputs` has one per class. The initializer, the
/// default of every linear layer, is one of `lecun_normal` (N(0, 1/fan-in), the course's), `he_normal`,
/// `xavier_uniform`, `xavier_normal`, or `{"name": "normal", "std": 0.01}`. Linear layers are named
/// `fc1`, `fc2`, … in order.
public struct ModelSpec: Sendable, CustomStringConvertible {
    public var layers: [any LayerSpec]
    public var initializer: Initializer

    /// A fully connected classifier: a linear layer and a ReLU per hidden width (with a batch
    /// normalisation between them when `batchNorm`), then a linear layer.
    public init(hidden: [Int] = [], batchNorm: Bool = false, initializer: Initializer = .lecunNormal) {
        let block: (Int) -> [any LayerSpec] = {
            batchNorm ? [LinearSpec(outputs: $0), BatchNormSpec(), ReLUSpec()] : [LinearSpec(outputs: $0), ReLUSpec()]
        }
        self.init(layers: hidden.flatMap(block) + [LinearSpec()], initializer: initializer)
    }

    public init(layers: [any LayerSpec], initializer: Initializer = .lecunNormal) {
        self.layers = layers
        self.initializer = initializer
    }

    /// Reads the spec from the `model` object of an experiment file, its layers through `registry`.
    public init(options: inout Options, layers registry: Registry<any LayerSpec> = .standardLayers) throws {
        var initializer = Initializer.lecunNormal
        if let raw = options.raw("initializer") {
            initializer = try ModelSpec.initializer(raw, path: "\(options.path).initializer")
        }
        let hidden: [Int]? = try options.optional("hidden")
        let listed: [JSONValue]? = try options.optional("layers")
        let batchNorm: Bool? = try options.optional("batch_norm")
        let width: Int? = try options.optional("width", .atLeast(1))
        let depth: Int? = try options.optional("depth", .atLeast(0))
        try options.finish()
        try options.check(hidden == nil || listed == nil, "layers", "cannot be given together with hidden")
        try options.check((width == nil) == (depth == nil), width == nil ? "depth" : "width",
                          "goes with \(width == nil ? "width" : "depth"): give both")
        try options.check(width == nil || (hidden == nil && listed == nil), "width",
                          "cannot be given together with \(hidden != nil ? "hidden" : "layers")")
        let hiddenWidths = hidden ?? width.map { Array(repeating: $0, count: depth ?? 0) }
        try options.check(batchNorm == nil || listed == nil, "batch_norm",
                          "goes with hidden; in a layers list, write \"batch_norm\" entries")
        if let listed {
            try options.check(!listed.isEmpty, "layers", "must list at least one layer")
            let specs = try listed.enumerated().map { try registry.make($1, path: "\(options.path).layers[\($0)]") }
            self.init(layers: specs, initializer: initializer)
        } else {
            for (i, width) in (hidden ?? []).enumerated() where width < 1 {
                throw ConfigurationError.invalidValue(
                    path: "\(options.path).hidden[\(i)]", reason: "must be a positive layer width, found \(width)")
            }
            self.init(hidden: hiddenWidths ?? [], batchNorm: batchNorm ?? false, initializer: initializer)
        }
    }

    public var description: String { layers.map(\.description).joined(separator: " → ") }

    /// Checks that each layer takes the width the one before gives and that the model ends in one output
    /// per class.
    ///
    /// - Throws: `ConfigurationError` naming `path.layers[i]` or `path`.
    public func check(inputs: Int, classes: Int, path: String = "model") throws {
        var width = inputs
        for (index, spec) in layers.enumerated() {
            if let reason = spec.mismatch(inputs: width) {
                throw ConfigurationError.invalidValue(path: "\(path).layers[\(index)]", reason: reason)
            }
            width = spec.outputs(inputs: width, classes: classes)
        }
        guard width == classes else {
            throw ConfigurationError.invalidValue(
                path: path, reason: "ends in \(width) outputs, but the data have \(classes) classes")
        }
    }

    /// The bytes a training of this model needs besides its data, estimated before it is built: each
    /// parameter's value, gradient and momentum, and for a batch of `batchSize` examples two input
    /// buffers and, per layer, about four activation-sized tensors (output, gradients, masks).
    public func memoryEstimate(inputs: Int, classes: Int, batchSize: Int, scalarBytes: Int) -> Double {
        Double(scalarBytes) * (3 * parameterCount(inputs: inputs, classes: classes)
            + Double(max(batchSize, 0)) * activationWidth(inputs: inputs, classes: classes))
    }

    /// The scalars of every layer's parameters for `inputs` features and `classes` outputs (in `Double`,
    /// so that huge widths cannot overflow): the size of a model before it is built.
    public func parameterCount(inputs: Int, classes: Int) -> Double {
        var width = inputs, parameters = 0.0
        for spec in layers {
            let outputs = spec.outputs(inputs: width, classes: classes)
            parameters += spec.parameterCount(inputs: width, outputs: outputs)
            width = outputs
        }
        return parameters
    }

    /// Scalars per example held while training: two input buffers and about four per layer output.
    private func activationWidth(inputs: Int, classes: Int) -> Double {
        var width = inputs, activations = 2 * Double(inputs)
        for spec in layers {
            width = spec.outputs(inputs: width, classes: classes)
            activations += 4 * Double(width)
        }
        return activations
    }

    /// Builds the model for `inputs` features and `classes` outputs.
    public func makeModel<Scalar: TensorScalar>(
        inputs: Int, classes: Int, generator: inout SeededGenerator, as _: Scalar.Type = Scalar.self
    ) -> Sequential<Scalar> {
        var built: [any Layer<Scalar>] = []
        var width = inputs
        var counts: [String: Int] = [:]
        for spec in layers {
            let outputs = spec.outputs(inputs: width, classes: classes)
            var name = spec.layerName ?? "layer\(built.count + 1)"
            if spec.layerName == nil, let prefix = spec.parameterPrefix {
                counts[prefix, default: 0] += 1
                name = "\(prefix)\(counts[prefix]!)"
            }
            let context = LayerContext(inputs: width, outputs: outputs, name: name, initializer: initializer)
            built.append(spec.makeLayer(context, generator: &generator))
            width = outputs
        }
        return Sequential(built)
    }

    /// The recipe that builds this model for the data it is given.
    public func builder<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) -> ModelBuilder<Scalar> {
        .building({ inputs, generator in
            makeModel(inputs: inputs.featureCount, classes: inputs.classCount, generator: &generator)
        })
    }

    static func initializer(_ value: JSONValue, path: String) throws -> Initializer {
        let names = ["lecun_normal", "he_normal", "xavier_uniform", "xavier_normal", "normal"]
        switch value {
        case .string("lecun_normal"): return .lecunNormal
        case .string("he_normal"): return .heNormal
        case .string("xavier_uniform"): return .xavierUniform
        case .string("xavier_normal"): return .xavierNormal
        case .string(let name): throw ConfigurationError.unknownName(kind: "initializer", name: name, registered: names)
        default:
            var options = try Options(value, path: path)
            let name: String = try options.required("name")
            guard name == "normal" else {
                throw ConfigurationError.unknownName(kind: "initializer", name: name, registered: names)
            }
            let sigma: Double = try options.required("std")
            try options.check(sigma > 0 && sigma.isFinite, "std", "must be a positive number, found \(sigma)")
            try options.finish()
            return .normal(standardDeviation: sigma)
        }
    }

    /// The initializer's JSON form, for reports.
    public var initializerDescription: String {
        switch initializer {
        case .normal(let sigma): "normal(std \(sigma))"
        case .scaledNormal(let gain) where gain == 1: "lecun_normal"
        case .scaledNormal(let gain) where gain == 2: "he_normal"
        case .scaledNormal(let gain): "scaled_normal(gain \(gain))"
        case .xavierUniform: "xavier_uniform"
        case .xavierNormal: "xavier_normal"
        case .zeros: "zeros"
        }
    }
}
