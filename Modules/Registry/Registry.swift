/// A set of named factories that build plug-ins of one kind from their JSON parameters.
///
/// A registry is a value: build it, extend it, pass it in. Nothing registers itself behind the user's
/// back, so the set of plug-ins a run can use is always visible at the call site.
///
/// ```swift
/// var schedules = Registry<any LearningRateSchedule>(kind: "schedule")
/// schedules.register("constant") { options in
///     try options.declare("eta")
///     return ConstantSchedule(rate: try options.required("eta", .nonNegative))
/// }
/// let schedule = try schedules.make(["name": "constant", "eta": 0.01], path: "schedule")
/// ```
///
/// Semantics:
/// - `make` hands the factory an `Options` holding every key (`name` counts as read) and the
///   `PluginContext`. The options are *declaring*: the factory must `declare` its keys before reading
///   any, and `declare` rejects every other key at once, so an unknown key is always reported before a
///   missing one or a bad value (see `Options`).
/// - After the factory returns, a key it did not read is an error naming that key (`Options.finish()`),
///   so nothing in a configuration is silently ignored.
/// - An unknown name is an error listing the registered names (and the nearest one, for typos).
/// - Registering a name again replaces the earlier factory, so a user module can override a built-in.
/// - `make` may be called twice for one configuration: with an empty context to check it, then with
///   the data's context to run. A factory is a pure function of its options and context.
public struct Registry<Product>: Sendable {
    /// Builds a product from its parameters: it declares its keys, then reads and checks them.
    public typealias Factory = @Sendable (inout Options) throws -> Product

    /// What the registry builds, for messages: "schedule", "regularizer", "augmentation".
    public let kind: String
    private var factories: [String: Factory] = [:]

    /// An empty registry of plug-ins of one kind.
    public init(kind: String) { self.kind = kind }

    /// The registered names, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Adds (or replaces) the factory for `name`.
    public mutating func register(_ name: String, factory: @escaping Factory) {
        factories[name] = factory
    }

    /// Whether a factory is registered under `name`.
    public func contains(_ name: String) -> Bool { factories[name] != nil }

    /// The keys the plug-in `name` declares, in its order, or nil when no plug-in has that name: what a
    /// help text or an editor lists as the plug-in's parameters.
    ///
    /// The factory is run once on empty options (a factory is a pure function of its options) and stops
    /// at its first missing key, after its declaration.
    ///
    /// ```swift
    /// Registry<any LearningRateSchedule>.standardSchedules.parameters(of: "triangular")
    /// // ["eta_min", "eta_max", .steps("step_size"), "cycles"]
    /// ```
    public func parameters(of name: String) -> [OptionKey]? {
        guard let factory = factories[name] else { return nil }
        var options = Options(path: name)
        options.isDeclaring = true
        _ = try? factory(&options)
        return options.declarations
    }

    /// Builds the plug-in described by `value`: `{"name": "...", <parameters>}`, or just a name string.
    ///
    /// - Parameters:
    ///   - value: the plug-in's JSON: an object with `name` and the parameters, or a name alone.
    ///   - path: where `value` sits in the document (`schedule`, `augmentations[0]`), for messages.
    ///   - context: what the data tell the plug-in; the default, empty context is the one of a
    ///     configuration that is only being checked.
    /// - Throws: `ConfigurationError` naming the unknown plug-in, an unknown, missing or mistyped
    ///   parameter, or an impossible value.
    public func make(_ value: JSONValue, path: String, context: PluginContext = PluginContext()) throws -> Product {
        if case .string(let name) = value {
            return try make(name: name, options: Options(path: path, context: context))
        }
        var options = try Options(value, path: path, context: context)
        let name: String = try options.required("name")
        return try make(name: name, options: options)
    }

    /// Builds the plug-in `name` from already separated options (which may still hold a `name` key),
    /// with the options' context.
    public func make(name: String, options: Options) throws -> Product {
        guard let factory = factories[name] else {
            throw ConfigurationError.unknownName(kind: kind, name: name, registered: names)
        }
        var options = options
        _ = options.raw("name")
        options.isDeclaring = true
        let product = try factory(&options)
        try options.finish()
        return product
    }
}
