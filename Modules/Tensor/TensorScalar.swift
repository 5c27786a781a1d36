/// A floating-point type that tensors can hold: `Float` for speed, `Double` for gradient checks.
///
/// Composed, as swift-numerics composes `Real`, from one small protocol per concern, each in a file of
/// its own:
/// - ``MatrixProductScalar``: the matrix product, the bulk of every training step;
/// - ``VectorKernelScalar``: element-wise and row-wise passes (axpy, scaling, sums, the bias broadcast);
/// - ``OptimizerKernelScalar``: the fused element-wise pass of Adam and AdamW;
/// - ``ActivationKernelScalar``: the ReLU and the fused softmax cross-entropy;
/// - ``ScalarElementaryFunctions``: `exp` and `log` for generic code;
/// - ``NumpyStorable``: how `.npy` files name the type;
/// - ``FloatStorageConvertible``: how `Float` features (a data set's) become tensors of the scalar.
///
/// The kernels are requirements rather than generic functions so that code generic over the scalar (a
/// layer written once for `Float` and `Double`) still runs concrete, vectorised loops: one dynamic call
/// per operation, never one per element. Code that needs only one concern can constrain to that
/// protocol alone.
///
/// Semantics: every kernel works on dense buffers of `count` elements; the buffers of one call may not
/// overlap unless the documentation says so.
public protocol TensorScalar:
    MatrixProductScalar, VectorKernelScalar, OptimizerKernelScalar, ActivationKernelScalar, NormalizationKernelScalar,
    ScalarElementaryFunctions,
    NumpyStorable, FloatStorageConvertible,
    Sendable, Codable, CustomStringConvertible
where RawSignificand: FixedWidthInteger {}
