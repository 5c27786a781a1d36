import BackpropData
import BackpropRegistry
import BackpropRegularizers
import BackpropSchedules

/// The registries an experiment file draws its plug-ins from: schedules, regularisers, augmentations
/// and the layer kinds its model section may list.
///
/// A value, built and passed in: a user module extends a copy with its own factories
/// (`registries.schedules.register("cosine_restarts") { … }`) and hands it to `ExperimentConfig`.
public struct PluginRegistries: Sendable {
    public var schedules: Registry<any LearningRateSchedule>
    public var regularizers: Registry<any Regularizer>
    public var augmentations: Registry<any Augmentation>
    public var layers: Registry<any LayerSpec>

    public init(
        schedules: Registry<any LearningRateSchedule>, regularizers: Registry<any Regularizer>,
        augmentations: Registry<any Augmentation>, layers: Registry<any LayerSpec> = .standardLayers
    ) {
        self.schedules = schedules
        self.regularizers = regularizers
        self.augmentations = augmentations
        self.layers = layers
    }

    /// Every built-in plug-in of every kind.
    public static var standard: PluginRegistries {
        PluginRegistries(
            schedules: .standardSchedules, regularizers: .standardRegularizers,
            augmentations: .standardAugmentations)
    }
}
