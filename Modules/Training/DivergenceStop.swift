import BackpropLayers
import BackpropTensor

/// Stops a run whose training loss is no longer finite, as Keras's `TerminateOnNaN`: nothing after it
/// can be learned. Every `Trainer` run has one.
public final class DivergenceStop<Scalar: TensorScalar>: TrainingObserver {
    public init() {}

    public func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Scalar>]) -> TrainingDecision {
        record.train.loss.isFinite
            ? .continue : .stop(StopReason("the training loss is not finite (\(record.train.loss))", diverged: true))
    }
}
