import BackpropLayers
import BackpropTensor

/// Keeps the parameters of the best evaluation of a run and restores them when it ends, so the run's
/// final model is its best one (the course's "keep the best model on validation").
///
/// The buffers (batch normalisation's running statistics) are kept and restored with them: the trainer
/// gives observers both, and weights without the statistics they were evaluated with would be another
/// model.
///
/// The note it returns says which step's parameters were kept. Ties keep the earlier step.
public final class KeepBest<Scalar: TensorScalar>: ResumableObserver {
    public let metric: MonitoredMetric
    private var best: Double?
    private var bestStep = 0
    private var snapshot: [Tensor<Scalar>] = []

    public init(metric: MonitoredMetric = .validationAccuracy) {
        self.metric = metric
    }

    /// The best value (NaN for none yet), its step, and the snapshot of its parameters.
    public var state: ObserverState<Scalar> {
        get { ObserverState(numbers: [best ?? .nan, Double(bestStep)], tensors: snapshot) }
        set {
            best = newValue.numbers.first.flatMap { $0.isNaN ? nil : $0 }
            bestStep = newValue.numbers.dropFirst().first.flatMap { Int(exactly: $0) } ?? 0
            snapshot = newValue.tensors
        }
    }

    public func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Scalar>]) -> TrainingDecision {
        guard let value = metric.value(in: record), metric.improves(value, on: best) else { return .continue }
        best = value
        bestStep = record.step
        snapshot = parameters.map(\.value)   // copies on the next write to a parameter
        return .continue
    }

    public func didEnd(step: Int, parameters: [Parameter<Scalar>]) -> String? {
        guard let best, snapshot.count == parameters.count else { return nil }
        guard bestStep != step else { return "keep-best: the last step, \(step), was the best (\(metric.words) \(best))" }
        for (parameter, value) in zip(parameters, snapshot) { parameter.value = value }
        return "keep-best: restored the parameters of step \(bestStep) (\(metric.words) \(best)), not those of step \(step)"
    }
}
