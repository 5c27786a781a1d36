import BackpropData
import BackpropRegistry
import BackpropRegularizers
import BackpropSchedules

/// The registries an experiment file draws its plug-ins from: schedules, regularisers, augmentations,
/// the layer kinds its model section may list and the optimisers `training.optimizer` may name.
///
/// A value, built and passed in: a user module extends a copy with its own factories
/// (`registries.schedules.register("cosine_restarts") { … }`) and hands it to `ExperimentConfig`.
public struct PluginRegistries: Sendable {
    public var schedules: Registry<any LearningRateSchedule>
    public var regularizers: Registry<any Regularizer>
    public var augmentations: Registry<any Augmentation>
    public var layers: Registry<any LayerSpec>
    /// `training.optimizer`: recipes that make an optimiser in either precision.
    public var optimizers: Registry<any OptimizerRecipe>

    public init(
        schedules: Registry<any LearningRateSchedule>, regularizers: Registry<any Regularizer>,
        augmentations: Registry<any Augmentation>, layers: Registry<any LayerSpec> = .standardLayers,
        optimizers: Registry<any OptimizerRecipe> = .standardOptimizers
    ) {
        self.schedules = schedules
        self.regularizers = regularizers
        self.augmentations = augmentations
        self.layers = layers
        self.optimizers = optimizers
    }

    /// Every built-in plug-in of every kind.
    public static var standard: PluginRegistries {
        PluginRegistries(
            schedules: .standardSchedules, regularizers: .standardRegularizers,
            augmentations: .standardAugmentations)
    }
}
