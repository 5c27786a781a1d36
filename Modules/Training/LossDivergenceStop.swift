import BackpropLayers
import BackpropTensor
import Foundation

/// Stops a run once its training loss has risen to `factor` times the lowest seen (or is no longer
/// finite), at an evaluation: the end of a learning-rate range test, where the rising rate has made
/// training fail (fastai's `lr_find` stops at 4×).
///
/// Semantics: only `didEvaluate` decides; the stop is not marked `diverged` (the test ending so is its
/// normal course), and its reason gives both losses.
public final class LossDivergenceStop<Scalar: TensorScalar>: TrainingObserver {
    /// How many times the lowest loss ends the run.
    public let factor: Double
    private var lowest = Double.infinity

    public init(factor: Double = 4) {
        precondition(factor > 1, "LossDivergenceStop: factor must be above 1")
        self.factor = factor
    }

    public func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Scalar>]) -> TrainingDecision {
        let loss = record.train.loss
        guard loss.isFinite else {
            return .stop(StopReason(String(format: "the loss is no longer finite at η = %.3g (the range test's end)",
                                           record.learningRate)))
        }
        lowest = Swift.min(lowest, loss)
        guard loss > factor * lowest else { return .continue }
        return .stop(StopReason(String(format: "the loss rose to %.4g, over %g × its lowest %.4g, at η = %.3g (the range "
            + "test's end)", loss, factor, lowest, record.learningRate)))
    }
}
