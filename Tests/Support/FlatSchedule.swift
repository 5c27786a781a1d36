import Backprop

/// A schedule no registry knows until it is registered: a constant rate under another name, for tests
/// of commands and tools built with a user's registries.
public struct FlatSchedule: LearningRateSchedule {
    public var rate: Double
    public init(rate: Double) { self.rate = rate }
    public func learningRate(at step: Int) -> Double { rate }
    public var description: String { "flat(\(rate))" }
}

extension PluginRegistries {
    /// The standard registries plus `"flat"` (`rate`).
    public static var withFlatSchedule: PluginRegistries {
        var registries = PluginRegistries.standard
        registries.schedules.register("flat") { options in
            try options.declare("rate")
            return FlatSchedule(rate: try options.required("rate"))
        }
        return registries
    }
}
