import BackpropLayers
import BackpropTensor

/// Stops a run when a metric has not improved for `patience` evaluations, as Keras's `EarlyStopping`.
///
/// An evaluation improves when its value beats the best so far by more than `minimumChange` (up for
/// accuracy, down for loss and cost). The evaluation before training sets the first best.
public final class EarlyStopping<Scalar: TensorScalar>: ResumableObserver {
    public let metric: MonitoredMetric
    public let patience: Int
    public let minimumChange: Double
    private var best: Double?
    private var bestStep = 0
    private var waited = 0

    public init(metric: MonitoredMetric = .validationAccuracy, patience: Int, minimumChange: Double = 0) {
        precondition(patience >= 1 && minimumChange >= 0, "EarlyStopping: patience ≥ 1 and minimumChange ≥ 0")
        self.metric = metric
        self.patience = patience
        self.minimumChange = minimumChange
    }

    /// The best value (NaN for none yet), its step, and the evaluations waited since.
    public var state: ObserverState<Scalar> {
        get { ObserverState(numbers: [best ?? .nan, Double(bestStep), Double(waited)]) }
        set {
            let numbers = newValue.numbers + [.nan, 0, 0].dropFirst(newValue.numbers.count)
            best = numbers[0].isNaN ? nil : numbers[0]
            (bestStep, waited) = (Int(exactly: numbers[1]) ?? 0, Int(exactly: numbers[2]) ?? 0)
        }
    }

    public func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Scalar>]) -> TrainingDecision {
        guard let value = metric.value(in: record) else { return .continue }
        if metric.improves(value, on: best, by: minimumChange) {
            (best, bestStep, waited) = (value, record.step, 0)
            return .continue
        }
        waited += 1
        guard waited >= patience else { return .continue }
        return .stop(StopReason(
            "early stopping: \(metric.words) has not improved by more than \(minimumChange) for \(patience) "
                + "evaluation(s) (best \(best.map { "\($0)" } ?? "none") at step \(bestStep))"))
    }
}
