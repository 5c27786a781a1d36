import BackpropRegistry

/// Registers the built-in optimisers under their configuration names.
///
/// | name | parameters |
/// |---|---|
/// | `sgd` | `momentum` (default 0, in [0, 1)), `convention` (`pytorch` or `course`), `nesterov` (default false; needs momentum > 0) |
/// | `adam` | `beta1` (0.9), `beta2` (0.999), `eps` (1e-8), `weight_decay` (0, added to the gradient) |
/// | `adamw` | as `adam`; `weight_decay` (default 0.01) is decoupled: θ ← θ − η·λ·θ |
///
/// In an experiment file: `"training": {"optimizer": {"name": "adam", "beta1": 0.9}}`, or a name alone
/// (`"optimizer": "adamw"`).
public func registerStandardOptimizers(in registry: inout Registry<any OptimizerRecipe>) {
    registry.register("sgd") { options in
        try options.declare("momentum", "convention", "nesterov")
        let momentum: Double = try options.optional("momentum", .probability(includingOne: false)) ?? 0
        let name: String = try options.optional("convention") ?? MomentumConvention.pytorch.rawValue
        guard let convention = MomentumConvention(rawValue: name) else {
            throw ConfigurationError.invalidValue(
                path: options.keyPath("convention"), reason: "must be pytorch or course, found '\(name)'")
        }
        let nesterov: Bool = try options.optional("nesterov") ?? false
        try options.check(!nesterov || momentum > 0, "nesterov", "needs a momentum above 0")
        return SGDRecipe(momentum: momentum, convention: convention, nesterov: nesterov)
    }
    registry.register("adam") { options in try adamRecipe(&options, decoupled: false) }
    registry.register("adamw") { options in try adamRecipe(&options, decoupled: true) }
}

/// Adam's parameters, with torch.optim.Adam's (or AdamW's) defaults.
private func adamRecipe(_ options: inout Options, decoupled: Bool) throws -> AdamRecipe {
    try options.declare("beta1", "beta2", "eps", "weight_decay")
    let beta1: Double = try options.optional("beta1", .probability(includingOne: false)) ?? 0.9
    let beta2: Double = try options.optional("beta2", .probability(includingOne: false)) ?? 0.999
    let epsilon: Double = try options.optional("eps", .positive) ?? 1e-8
    let decay: Double = try options.optional("weight_decay", .nonNegative) ?? (decoupled ? 0.01 : 0)
    return AdamRecipe(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: decay, decoupledWeightDecay: decoupled)
}

extension Registry where Product == any OptimizerRecipe {
    /// An optimiser registry (kind `"optimizer"`) holding the built-in optimisers.
    public static var standardOptimizers: Self {
        var registry = Self(kind: "optimizer")
        registerStandardOptimizers(in: &registry)
        return registry
    }
}
