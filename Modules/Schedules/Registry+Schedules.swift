import BackpropRegistry

/// Registers the built-in schedules under their configuration names.
///
/// | name | parameters |
/// |---|---|
/// | `constant` | `eta` |
/// | `step_decay` | `eta`, `gamma`, `step_size` |
/// | `triangular`, `triangular2` | `eta_min`, `eta_max`, `step_size`, `cycles`? |
/// | `exp_range` | `eta_min`, `eta_max`, `step_size`, `cycles`?, `gamma`? (default 1) |
/// | `lr_range_test`, `linear_ramp` | `eta_min`, `eta_max`, `steps` |
/// | `exponential_ramp` | `eta_min`, `eta_max`, `steps` |
///
/// `step_size` and `steps` are step counts: a number of update steps (`500`), a number of epochs
/// (`{"epochs": 2}`), or the shorthand `step_size_epochs: 2` / `steps_epochs: 2`. Epochs are resolved
/// with the batches per epoch of the `PluginContext` given to `Registry.make(_:path:context:)`.
///
/// A module that adds schedules exports a function of the same shape, and the program calls both:
///
/// ```swift
/// var schedules = Registry<any LearningRateSchedule>.standardSchedules
/// registerMySchedules(in: &schedules)
/// ```
public func registerStandardSchedules(in registry: inout Registry<any LearningRateSchedule>) {
    registry.register("constant") { options in try ConstantSchedule(options: &options) }
    registry.register("step_decay") { options in try StepDecaySchedule(options: &options) }
    registry.register("triangular") { options in try TriangularSchedule(options: &options, mode: .triangular) }
    registry.register("triangular2") { options in try TriangularSchedule(options: &options, mode: .triangular2) }
    registry.register("exp_range") { options in
        try TriangularSchedule(options: &options, mode: .exponentialRange(gamma: 1))
    }
    registry.register("lr_range_test") { options in try LinearRampSchedule(options: &options) }
    registry.register("linear_ramp") { options in try LinearRampSchedule(options: &options) }
    registry.register("exponential_ramp") { options in try ExponentialRampSchedule(options: &options) }
}

extension Registry where Product == any LearningRateSchedule {
    /// A schedule registry (kind `"schedule"`) holding the built-in schedules.
    public static var standardSchedules: Self {
        var registry = Self(kind: "schedule")
        registerStandardSchedules(in: &registry)
        return registry
    }
}
