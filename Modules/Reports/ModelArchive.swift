import BackpropData
import BackpropRegistry
import BackpropTraining
import Foundation

/// `model.json`: what a run directory needs, besides the parameters' `.npy` files, to be a model that
/// can be loaded again — its layers, precision, input width, classes and pre-processing.
///
/// ```json
/// {
///   "format": "backprop-model", "version": 1, "precision": "float32",
///   "inputs": 3072, "class_names": ["airplane", …], "image_shape": [3, 32, 32],
///   "layers": [{"name": "linear", "inputs": 3072, "outputs": 50, "layer_name": "fc1"}, "relu", …],
///   "parameters": [{"name": "fc1.weight", "file": "fc1.weight.npy", "shape": [3072, 50]}, …],
///   "standardizer": {"mean": "standardizer_mean.npy", "std": "standardizer_std.npy"}
/// }
/// ```
///
/// Semantics:
/// - `layers` uses the entries of an experiment file's `layers` list, so the layer registry that reads
///   experiment files builds the model again; a user's layer kind loads once registered.
/// - `version` is checked on reading: a newer or unknown format is refused with a message naming the
///   file, never guessed at.
public struct ModelArchive: Sendable, Equatable {
    /// The `format` every archive carries.
    public static let format = "backprop-model"
    /// The version this code writes and reads.
    public static let version = 1
    /// The archive's file name in a run directory.
    public static let fileName = "model.json"

    public var precision: String
    public var inputs: Int
    public var classNames: [String]
    public var imageShape: ImageShape?
    public var layers: [JSONValue]
    /// Parameter names and shapes, in the model's order, then its buffers' (running statistics); each is
    /// stored as `<name>.npy`.
    public var parameters: [(name: String, shape: [Int])]

    public init(
        precision: String, inputs: Int, classNames: [String], imageShape: ImageShape?, layers: [JSONValue],
        parameters: [(name: String, shape: [Int])]
    ) {
        self.precision = precision
        self.inputs = inputs
        self.classNames = classNames
        self.imageShape = imageShape
        self.layers = layers
        self.parameters = parameters
    }

    /// The archive of a finished run, or nil when its model cannot describe itself.
    public init?(_ result: RunResult) {
        guard let layers = result.architecture else { return nil }
        self.init(
            precision: result.precision, inputs: result.standardizer.featureCount, classNames: result.classNames,
            imageShape: result.imageShape, layers: layers,
            parameters: result.parameters.map { (name: $0.name, shape: $0.value.shape) })
    }

    public static func == (a: ModelArchive, b: ModelArchive) -> Bool {
        a.json == b.json
    }

    /// The archive as JSON.
    public var json: JSONValue {
        func numbers(_ values: [Int]) -> JSONValue { .array(values.map { .number(Double($0)) }) }
        return [
            "format": .string(Self.format), "version": .number(Double(Self.version)),
            "precision": .string(precision), "inputs": .number(Double(inputs)),
            "class_names": .array(classNames.map(JSONValue.string)),
            "image_shape": imageShape.map { numbers([$0.channels, $0.height, $0.width]) } ?? .null,
            "layers": .array(layers),
            "parameters": .array(parameters.map {
                ["name": .string($0.name), "file": .string("\($0.name).npy"), "shape": numbers($0.shape)]
            }),
            "standardizer": ["mean": "standardizer_mean.npy", "std": "standardizer_std.npy"],
        ]
    }

    /// Reads `model.json` from `url`.
    ///
    /// - Throws: `ReportFileError.cannotRead` naming the file when it is missing or unreadable,
    ///   `ConfigurationError.malformedJSON` when it is not JSON, and `ConfigurationError` naming the file
    ///   and key for another format, an unknown version or a damaged entry.
    public init(contentsOf url: URL) throws {
        // A regular file of at most 16 MiB (a model.json is a few KB): a link to /dev/zero is an error.
        let data = try InputFile.data(of: url, maximumSize: 16 << 20)
        var root = try Options(JSONValue(parsing: data, source: url.path), path: url.path)
        let format: String = try root.required("format")
        try root.check(format == Self.format, "format", "must be \"\(Self.format)\", found \"\(format)\"")
        let version: Int = try root.required("version")
        try root.check(version == Self.version, "version",
                       "is \(version); this Backprop reads version \(Self.version) model archives")
        precision = try root.required("precision")
        try root.check(["float32", "float64"].contains(precision), "precision", "must be float32 or float64")
        inputs = try root.required("inputs")
        try root.check(inputs >= 1, "inputs", "must be at least 1, found \(inputs)")
        classNames = try root.required("class_names")
        try root.check(classNames.count >= 2, "class_names", "must name at least two classes")
        let shape: [Int]? = try root.optional("image_shape")
        if let shape {
            try root.check(shape.count == 3 && shape.allSatisfy { $0 >= 1 } && shape.reduce(1, *) == inputs,
                           "image_shape", "must be [channels, height, width] of \(inputs) features")
        }
        imageShape = shape.map { ImageShape(channels: $0[0], height: $0[1], width: $0[2]) }
        layers = try root.required("layers")
        let entries: [JSONValue] = try root.required("parameters")
        parameters = try entries.enumerated().map { index, entry in
            var options = try Options(entry, path: "\(url.path): parameters[\(index)]")
            let name: String = try options.required("name")
            let shape: [Int] = try options.required("shape")
            _ = options.raw("file")
            try options.finish()
            return (name: name, shape: shape)
        }
        _ = root.raw("standardizer")
        try root.finish()
    }
}
