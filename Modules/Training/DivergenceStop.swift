import BackpropLayers
import BackpropTensor

/// Stops a run whose training loss or parameters are no longer finite, as Keras's `TerminateOnNaN`:
/// nothing after it can be learned. Every `Trainer` run has one.
///
/// The parameters are checked too (at each evaluation, one pass over them): a loss can stay finite for
/// a while after a weight has become infinite or NaN.
public final class DivergenceStop<Scalar: TensorScalar>: TrainingObserver {
    public init() {}

    public func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Scalar>]) -> TrainingDecision {
        guard record.train.loss.isFinite else {
            return .stop(StopReason("the training loss is not finite (\(record.train.loss))", diverged: true))
        }
        if let parameter = parameters.first(where: { !$0.value.sumOfSquares().isFinite }) {
            return .stop(StopReason("the parameter \(parameter.name) is not finite", diverged: true))
        }
        return .continue
    }
}
