/// A key a plug-in declares it reads, with `Options.declare(_:)`.
///
/// Most keys are plain names, written as string literals. A step count declared with `.steps("name")`
/// also accepts its shorthand `name_epochs` (see `Options.steps(_:minimum:)`).
///
/// ```swift
/// try options.declare("eta_min", "eta_max", .steps("period"), "cycles")
/// ```
public struct OptionKey: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The key as written in JSON.
    public let name: String
    /// Whether the key is a step count, which also accepts `<name>_epochs`.
    public let isStepCount: Bool

    /// A plain key.
    public init(_ name: String) {
        self.name = name
        self.isStepCount = false
    }

    public init(stringLiteral name: String) { self.init(name) }

    private init(stepCount name: String) {
        self.name = name
        self.isStepCount = true
    }

    /// A step count: `name` (`500`, `{"epochs": 2}`) or its shorthand `name_epochs`.
    public static func steps(_ name: String) -> OptionKey { OptionKey(stepCount: name) }

    /// The JSON keys this declaration admits.
    public var names: [String] { isStepCount ? [name, OptionKey.epochsKey(name)] : [name] }

    /// `name_epochs`, the shorthand of a step count given in epochs.
    static func epochsKey(_ name: String) -> String { "\(name)_epochs" }

    public var description: String { isStepCount ? ".steps(\(name))" : name }
}
