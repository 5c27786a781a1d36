import BackpropLayers
import BackpropRegistry
import BackpropTensor

/// The shape of a fully connected classifier: input → hidden layers with ReLU → classes.
///
/// `hidden: []` is the softmax linear classifier of Assignment 1, `hidden: [50]` the 2-layer network
/// of Assignment 2. JSON: `{"hidden": [50], "initializer": "lecun_normal"}`; the initializer is one of
/// `lecun_normal` (N(0, 1/fan-in), the course's), `he_normal`, `xavier_uniform`, `xavier_normal`, or
/// `{"name": "normal", "std": 0.01}`.
public struct ModelSpec: Sendable, Equatable {
    public var hidden: [Int]
    public var initializer: Initializer

    public init(hidden: [Int] = [], initializer: Initializer = .lecunNormal) {
        self.hidden = hidden
        self.initializer = initializer
    }

    /// Reads the spec from the `model` object of an experiment file.
    public init(options: inout Options) throws {
        hidden = try options.optional("hidden") ?? []
        for (i, width) in hidden.enumerated() where width < 1 {
            throw ConfigurationError.invalidValue(
                path: "\(options.path).hidden[\(i)]", reason: "must be a positive layer width, found \(width)")
        }
        initializer = .lecunNormal
        if let raw = options.raw("initializer") {
            initializer = try ModelSpec.initializer(raw, path: "\(options.path).initializer")
        }
        try options.finish()
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

    /// Builds the model for `inputs` features and `classes` outputs; layers are named `fc1`, `fc2`, ….
    public func makeModel<Scalar: TensorScalar>(
        inputs: Int, classes: Int, generator: inout SeededGenerator, as _: Scalar.Type = Scalar.self
    ) -> Sequential<Scalar> {
        var layers: [any Layer<Scalar>] = []
        var width = inputs
        for (i, next) in (hidden + [classes]).enumerated() {
            layers.append(Linear<Scalar>(width, next, initializer: initializer, generator: &generator, name: "fc\(i + 1)"))
            if i < hidden.count { layers.append(ReLU<Scalar>()) }
            width = next
        }
        return Sequential(layers)
    }
}
