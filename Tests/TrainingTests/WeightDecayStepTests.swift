import Backprop
import Testing

/// `SGD.step(_:learningRate:regularizers:)` folds a linear regulariser (L2) into its pass over each
/// weight; values must end exactly as on the generic path (`addGradient`, then `step`), and a folded
/// weight's gradient as the backward pass left it.
@Suite("SGD with regularisers")
struct WeightDecayStepTests {
    /// A weight and a bias with random values and gradients, identical for every call.
    private func parameters<S: TensorScalar>(as _: S.Type, weightShape: [Int] = [37, 5]) -> [Parameter<S>] {
        var rng = SeededGenerator(seed: 11)
        func random(_ shape: [Int]) -> Tensor<S> {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in S(rng.nextNormal()) })
        }
        let weight = Parameter(name: "w", value: random(weightShape), role: .weight)
        let bias = Parameter(name: "b", value: random([1, 5]), role: .bias)
        weight.gradient = random(weightShape)
        bias.gradient = random([1, 5])
        return [weight, bias]
    }

    /// A user's regulariser with a gradient but no coefficient: the optimiser must call `addGradient`.
    private struct HalfSum: Regularizer {
        var description: String { "HalfSum" }
        func penalty<S: TensorScalar>(_ parameters: [Parameter<S>]) -> Double {
            parameters.reduce(0) { $0 + $1.value.scalars.reduce(0) { $0 + Double($1) } } / 2
        }
        func addGradient<S: TensorScalar>(to parameters: [Parameter<S>]) {
            for p in parameters { p.gradient.add(Tensor(repeating: S(0.5), shape: p.value.shape)) }
        }
    }

    private func check<S: TensorScalar>(_: S.Type, _ regularizers: [any Regularizer], shape: [Int], rate: Double,
                                        momentum: Double = 0) {
        let generic = parameters(as: S.self, weightShape: shape), folded = parameters(as: S.self, weightShape: shape)
        let backward = folded.map(\.gradient.scalars)
        var a = SGD<S>(momentum: momentum), b = SGD<S>(momentum: momentum)
        for regularizer in regularizers { regularizer.addGradient(to: generic) }
        a.step(generic, learningRate: rate)
        b.step(folded, learningRate: rate, regularizers: regularizers)
        for (i, (x, y)) in zip(generic, folded).enumerated() {
            #expect(x.value.scalars == y.value.scalars, "\(S.self) \(x.name) value, \(regularizers)")
            // Folded (every coefficient known, one of them non-zero; with or without momentum, whose
            // fused pass folds it too): the gradient is only read. Otherwise the regularisers' terms went
            // in through addGradient, as on the generic path.
            let coefficients = regularizers.map { $0.gradientCoefficient(for: y) }
            let isFolded = !coefficients.contains(nil) && coefficients.filter { $0 != 0 }.count == 1
            let expected = isFolded ? backward[i] : x.gradient.scalars
            #expect(y.gradient.scalars == expected, "\(S.self) \(x.name) gradient, \(regularizers)")
        }
    }

    @Test("Values equal addGradient then step bit for bit in Float and Double; a folded gradient is untouched",
          arguments: [0.0, 0.01, 0.7])
    func matchesGenericPath(lambda: Double) {
        let sets: [[any Regularizer]] = [
            [L2Regularizer(lambda: lambda)], [L2Regularizer(lambda: lambda), DropoutRegularizer(rate: 0.3)],
            [L2Regularizer(lambda: lambda), L2Regularizer(lambda: 0.2)], [L2Regularizer(lambda: lambda), HalfSum()], [],
        ]
        for regularizers in sets {
            for rate in [1e-5, 0.1] {
                check(Float.self, regularizers, shape: [37, 5], rate: rate)
                check(Double.self, regularizers, shape: [37, 5], rate: rate)
                check(Float.self, regularizers, shape: [37, 5], rate: rate, momentum: 0.9)
            }
        }
    }

    @Test("A weight large enough to be updated on both cores still matches the generic path bit for bit")
    func largeWeightOnTwoCores() {
        // 307 × 251 = 77,057 elements: above the two-thread threshold, and an odd count, so the halves
        // and the vector loops' tails are all exercised.
        check(Float.self, [L2Regularizer(lambda: 0.01)], shape: [307, 251], rate: 0.05)
        check(Double.self, [L2Regularizer(lambda: 0.01)], shape: [307, 251], rate: 0.05)
    }

    @Test("L2 states its gradient coefficient: 2λ on weights, 0 on biases; dropout 0; unknown nil")
    func coefficients() {
        let (weight, bias) = (parameters(as: Float.self)[0], parameters(as: Float.self)[1])
        #expect(L2Regularizer(lambda: 0.25).gradientCoefficient(for: weight) == 0.5)
        #expect(L2Regularizer(lambda: 0.25).gradientCoefficient(for: bias) == 0)
        #expect(DropoutRegularizer(rate: 0.5).gradientCoefficient(for: weight) == 0)
        #expect(HalfSum().gradientCoefficient(for: weight) == nil)
    }
}
