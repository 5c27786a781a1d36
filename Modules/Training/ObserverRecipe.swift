import BackpropTensor

/// A recipe for an observer: each run of an experiment makes its own, since observers keep state.
///
/// ```swift
/// experiment.observers = [.earlyStopping(.init(metric: .validationLoss, patience: 3)), .keepBest(.validationAccuracy)]
/// experiment.observers.append(ObserverRecipe { MyLivePlot() })
/// ```
public struct ObserverRecipe<Scalar: TensorScalar>: Sendable {
    private let make: @Sendable () -> any TrainingObserver<Scalar>

    public init(_ make: @escaping @Sendable () -> any TrainingObserver<Scalar>) {
        self.make = make
    }

    /// A new observer.
    public func callAsFunction() -> any TrainingObserver<Scalar> { make() }

    /// Early stopping by `rule`.
    public static func earlyStopping(_ rule: EarlyStoppingRule) -> Self {
        Self { EarlyStopping<Scalar>(metric: rule.metric, patience: rule.patience, minimumChange: rule.minimumChange) }
    }

    /// Keep-best on `metric`.
    public static func keepBest(_ metric: MonitoredMetric) -> Self {
        Self { KeepBest<Scalar>(metric: metric) }
    }
}

/// When early stopping ends a run: no improvement of `metric` by more than `minimumChange` for
/// `patience` evaluations.
///
/// JSON (in `training`): `"early_stopping": {"metric": "validation_loss", "patience": 5, "min_delta": 0.001}`.
public struct EarlyStoppingRule: Sendable, Equatable {
    public var metric: MonitoredMetric
    public var patience: Int
    public var minimumChange: Double

    public init(metric: MonitoredMetric = .validationAccuracy, patience: Int, minimumChange: Double = 0) {
        self.metric = metric
        self.patience = patience
        self.minimumChange = minimumChange
    }
}
