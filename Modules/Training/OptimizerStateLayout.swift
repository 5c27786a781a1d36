import BackpropLayers
import BackpropTensor

/// How a `ResumableOptimizer`'s `state` is laid out, so that a checkpoint can be checked against the
/// model before any optimiser sees it.
///
/// Semantics:
/// - A state is empty (no step taken, or an optimiser without buffers), or one or more blocks of one
///   tensor per parameter, each shaped as its parameter and in the parameters' order, followed by any
///   number of one-element tensors of shape `[1]` (counters).
/// - `SGD` with momentum keeps one block (the velocities); `Adam` two (the first and second moments)
///   and one counter (the step count t).
/// - A checkpoint whose optimiser state does not fit this layout is reported as damaged
///   (`TrainingState.check(against:trainCount:steps:)`); an optimiser given a state that fits the
///   layout but not itself (another number of blocks) must not trap: the built-ins start afresh.
public enum OptimizerStateLayout {
    /// Whether `state` fits the layout for `parameters`.
    ///
    /// - Parameters:
    ///   - state: an optimiser's state, as read from a checkpoint.
    ///   - parameters: the model's parameters, in order.
    public static func fits<Scalar: TensorScalar>(_ state: [Tensor<Scalar>], parameters: [Parameter<Scalar>]) -> Bool {
        guard !state.isEmpty else { return true }
        let n = parameters.count
        var start = 0
        var blocks = 0
        while n > 0, start + n <= state.count,
              zip(parameters, state[start..<(start + n)]).allSatisfy({ $0.value.shape == $1.shape }) {
            start += n
            blocks += 1
        }
        return (blocks >= 1 || n == 0) && state[start...].allSatisfy { $0.shape == [1] }
    }
}
