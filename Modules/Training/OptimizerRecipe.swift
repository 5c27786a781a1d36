import BackpropTensor

/// A recipe for an optimiser, in either precision: what an experiment file's `training.optimizer`
/// becomes, through the optimiser registry of `PluginRegistries`.
///
/// An experiment is read before its precision is known to the code that runs it, and each run needs
/// an optimiser with fresh state, so the file yields a recipe, not an optimiser. A user's own optimiser
/// plugs in with a recipe and a registry entry:
///
/// ```swift
/// struct SignDescentRecipe: OptimizerRecipe {
///     var description: String { "sign descent" }
///     func make<Scalar: TensorScalar>(_: Scalar.Type) -> any Optimizer<Scalar> & Sendable { SignDescent<Scalar>() }
/// }
/// var registries = PluginRegistries.standard
/// registries.optimizers.register("sign_descent") { options in
///     try options.declare()
///     return SignDescentRecipe()
/// }
/// ```
///
/// Semantics: `make` returns a new optimiser, with no state, every time; equal recipes make optimisers
/// that take equal steps.
public protocol OptimizerRecipe: Sendable, CustomStringConvertible {
    /// A new optimiser in the precision `Scalar`.
    func make<Scalar: TensorScalar>(_ scalar: Scalar.Type) -> any Optimizer<Scalar> & Sendable
}

/// The recipe of an `SGD` (JSON name `sgd`): `momentum`, `convention`, `nesterov`.
public struct SGDRecipe: OptimizerRecipe, Equatable {
    public var momentum: Double
    public var convention: MomentumConvention
    public var nesterov: Bool

    /// The recipe of `SGD(momentum:convention:nesterov:)`.
    public init(momentum: Double = 0, convention: MomentumConvention = .pytorch, nesterov: Bool = false) {
        self.momentum = momentum
        self.convention = convention
        self.nesterov = nesterov
    }

    public func make<Scalar: TensorScalar>(_ scalar: Scalar.Type) -> any Optimizer<Scalar> & Sendable {
        SGD<Scalar>(momentum: momentum, convention: convention, nesterov: nesterov)
    }

    public var description: String { SGD<Double>(momentum: momentum, convention: convention, nesterov: nesterov).description }
}

/// The recipe of an `Adam` (JSON names `adam` and `adamw`): `beta1`, `beta2`, `eps`, `weight_decay`.
public struct AdamRecipe: OptimizerRecipe, Equatable {
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    public var decoupledWeightDecay: Bool

    /// The recipe of `Adam(beta1:beta2:epsilon:weightDecay:decoupledWeightDecay:)`.
    public init(
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0,
        decoupledWeightDecay: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public func make<Scalar: TensorScalar>(_ scalar: Scalar.Type) -> any Optimizer<Scalar> & Sendable {
        Adam<Scalar>(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                     decoupledWeightDecay: decoupledWeightDecay)
    }

    public var description: String {
        Adam<Double>(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                     decoupledWeightDecay: decoupledWeightDecay).description
    }
}
