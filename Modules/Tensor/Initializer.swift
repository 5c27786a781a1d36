/// How a weight matrix of shape `[fanIn, fanOut]` is filled before training.
///
/// The course initialises W ~ N(0, 1/d): that is `.normal(fanInScaled: 1)`, the "LeCun" scheme.
public enum Initializer: Sendable, Equatable, Hashable {
    /// N(0, σ²) with a fixed σ (the A1 course code uses σ = 0.01).
    case normal(standardDeviation: Double)
    /// N(0, gain / fanIn): `gain` 1 is the course's 1/√d, 2 is He (Kaiming) for ReLU.
    case scaledNormal(gain: Double)
    /// Uniform in ±√(6 / (fanIn + fanOut)): Xavier (Glorot).
    case xavierUniform
    /// N(0, 2 / (fanIn + fanOut)): Xavier (Glorot) normal.
    case xavierNormal
    /// All zeros (biases).
    case zeros

    /// The course's default, N(0, 1/fanIn).
    public static var lecunNormal: Initializer { .scaledNormal(gain: 1) }
    /// He (Kaiming) normal, N(0, 2/fanIn).
    public static var heNormal: Initializer { .scaledNormal(gain: 2) }

    /// A `[fanIn, fanOut]` tensor drawn from this scheme.
    public func make<Scalar: TensorScalar>(
        fanIn: Int, fanOut: Int, using rng: inout SeededGenerator, as _: Scalar.Type = Scalar.self
    ) -> Tensor<Scalar> {
        let n = fanIn * fanOut
        let values: [Scalar]
        switch self {
        case .normal(let sigma):
            values = (0..<n).map { _ in Scalar(sigma * rng.nextNormal()) }
        case .scaledNormal(let gain):
            let sigma = (gain / Double(max(fanIn, 1))).squareRoot()
            values = (0..<n).map { _ in Scalar(sigma * rng.nextNormal()) }
        case .xavierUniform:
            let limit = (6 / Double(max(fanIn + fanOut, 1))).squareRoot()
            values = (0..<n).map { _ in Scalar(rng.nextUniform(in: -limit, limit)) }
        case .xavierNormal:
            let sigma = (2 / Double(max(fanIn + fanOut, 1))).squareRoot()
            values = (0..<n).map { _ in Scalar(sigma * rng.nextNormal()) }
        case .zeros:
            values = Array(repeating: 0, count: n)
        }
        return Tensor(shape: [fanIn, fanOut], scalars: values)
    }
}

extension Tensor {
    /// A tensor of independent N(mean, σ²) draws.
    public static func normal(
        shape: [Int], mean: Double = 0, standardDeviation: Double = 1, using rng: inout SeededGenerator
    ) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
            Scalar(mean + standardDeviation * rng.nextNormal())
        })
    }

    /// A tensor of independent uniform draws from [low, high).
    public static func uniform(
        shape: [Int], low: Double = 0, high: Double = 1, using rng: inout SeededGenerator
    ) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
            Scalar(rng.nextUniform(in: low, high))
        })
    }
}
