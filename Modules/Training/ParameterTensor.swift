import BackpropTensor

/// A trained parameter tensor in the precision it was trained in.
public enum ParameterTensor: Sendable {
    case float32(Tensor<Float>)
    case float64(Tensor<Double>)

    /// The tensor's shape.
    public var shape: [Int] {
        switch self {
        case .float32(let t): t.shape
        case .float64(let t): t.shape
        }
    }

    /// The values in Double (exact for both precisions).
    public var doubles: Tensor<Double> {
        switch self {
        case .float32(let t): t.converted(to: Double.self)
        case .float64(let t): t
        }
    }

    /// The tensor of a parameter of a Float or Double model.
    /// Whether every element is finite (no NaN or infinity): a diverged model is not.
    public var isFinite: Bool {
        switch self {
        case .float32(let t): t.sumOfSquares().isFinite
        case .float64(let t): t.sumOfSquares().isFinite
        }
    }

    public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        // Not a downcast to take a faster path: a run's result records its precision, and only these
        // two exist.
        if let t = tensor as? Tensor<Float> {
            self = .float32(t)
        } else {
            self = .float64(tensor.converted(to: Double.self))
        }
    }
}
