import BackpropRegistry

/// Registers the built-in regularisers under their configuration names: `"l2"` (`lambda`) and
/// `"dropout"` (`rate`).
///
/// ```swift
/// var regularizers = Registry<any Regularizer>.standardRegularizers
/// let l2 = try regularizers.make(["name": "l2", "lambda": 0.01], path: "regularizers[0]")
/// ```
public func registerStandardRegularizers(in registry: inout Registry<any Regularizer>) {
    registry.register("l2") { options in try L2Regularizer(options: &options) }
    registry.register("dropout") { options in try DropoutRegularizer(options: &options) }
}

extension Registry where Product == any Regularizer {
    /// A regulariser registry (kind `"regularizer"`) holding the built-in regularisers.
    public static var standardRegularizers: Self {
        var registry = Self(kind: "regularizer")
        registerStandardRegularizers(in: &registry)
        return registry
    }
}
