/// What the data tell a plug-in when it is built: facts a configuration cannot know by itself.
///
/// A plug-in reads its parameters from `Options`; some parameters only make sense against the data,
/// such as a step count given in epochs (which needs the batches per epoch) or a flip (which needs the
/// image layout). `Registry.make(_:path:context:)` hands the context to the factory through
/// `Options.context`, and nested options inherit it.
///
/// ```swift
/// let context = PluginContext(batchesPerEpoch: 450, imageShape: .cifar)
/// let schedule = try schedules.make(["name": "triangular", "eta_min": 1e-5, "eta_max": 0.1,
///                                    "step_size": ["epochs": 2]], path: "schedule", context: context)
/// // step_size == 900
/// ```
///
/// Semantics:
/// - A configuration may be built twice: once to check it before any data is loaded (an empty
///   context, every field `nil`) and once to run (the fields the data determine are set). A reader must
///   accept the empty context and report only what it can know without the data; see
///   `Options.steps(_:minimum:)` for how step counts in epochs are checked then.
/// - A field that is set is a fact about the training data; a plug-in whose parameters contradict it
///   throws a `ConfigurationError` naming its key, never traps later.
public struct PluginContext: Sendable, Equatable {
    /// Update steps per epoch once the training set is known; nil while a configuration is only checked.
    public var batchesPerEpoch: Int?
    /// The layout of one example when the data are images (channels, height, width); nil when unknown.
    public var imageShape: ImageShape?

    /// A context; the default, empty one is the context of a configuration that is only being checked.
    public init(batchesPerEpoch: Int? = nil, imageShape: ImageShape? = nil) {
        self.batchesPerEpoch = batchesPerEpoch
        self.imageShape = imageShape
    }
}
