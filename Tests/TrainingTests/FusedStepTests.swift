import Backprop
import Testing

/// Tests of the fused L2 + SGD step and of the trainer path that uses it.
@Suite("Fused L2 step")
struct FusedStepTests {
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

    @Test("Equals L2Regularizer.addGradient then SGD.step bit for bit, in Float and Double",
          arguments: [0.0, 0.01, 0.7])
    func matchesSeparatePasses(lambda: Double) {
        for rate in [1e-5, 0.1] {
            let separate = parameters(as: Float.self), fused = parameters(as: Float.self)
            let untouched = parameters(as: Float.self)
            var sgd = SGD<Float>()
            L2Regularizer(lambda: lambda).addGradient(to: separate)
            sgd.step(separate, learningRate: rate)
            sgd.step(fused, learningRate: rate, l2Lambda: lambda)
            for ((a, b), original) in zip(zip(separate, fused), untouched) {
                #expect(a.value.scalars == b.value.scalars, "\(a.name) value, λ \(lambda)")
                // The fused step leaves the loss's gradient as it was (no L2 term written back).
                #expect(b.gradient.scalars == original.gradient.scalars, "\(a.name) gradient, λ \(lambda)")
            }
            let separateD = parameters(as: Double.self), fusedD = parameters(as: Double.self)
            var sgdD = SGD<Double>()
            L2Regularizer(lambda: lambda).addGradient(to: separateD)
            sgdD.step(separateD, learningRate: rate)
            sgdD.step(fusedD, learningRate: rate, l2Lambda: lambda)
            for (a, b) in zip(separateD, fusedD) { #expect(a.value.scalars == b.value.scalars) }
        }
    }

    @Test("A weight large enough to be updated on both cores still matches the two passes bit for bit")
    func largeWeightOnTwoCores() {
        checkLargeWeight(Float.self)
        checkLargeWeight(Double.self)
    }

    private func checkLargeWeight<S: TensorScalar>(_: S.Type) {
        // 307 × 251 = 77,057 elements: above the two-thread threshold, and an odd count, so the halves
        // and the vector loops' tails are all exercised.
        let shape = [307, 251]
        let separate = parameters(as: S.self, weightShape: shape), fused = parameters(as: S.self, weightShape: shape)
        var sgd = SGD<S>()
        L2Regularizer(lambda: 0.01).addGradient(to: separate)
        sgd.step(separate, learningRate: 0.05)
        sgd.step(fused, learningRate: 0.05, l2Lambda: 0.01)
        #expect(separate[0].value.scalars == fused[0].value.scalars, "\(S.self)")
        #expect(fused[0].gradient.scalars == parameters(as: S.self, weightShape: shape)[0].gradient.scalars, "\(S.self)")
        #expect(separate[0].value.scalars != parameters(as: S.self, weightShape: shape)[0].value.scalars)
    }

    @Test("With momentum the L2 step falls back to the two passes and still agrees")
    func momentumFallback() {
        let separate = parameters(as: Float.self), fused = parameters(as: Float.self)
        var a = SGD<Float>(momentum: 0.9), b = SGD<Float>(momentum: 0.9)
        for _ in 0..<3 {
            L2Regularizer(lambda: 0.05).addGradient(to: separate)
            a.step(separate, learningRate: 0.01)
            b.step(fused, learningRate: 0.01, l2Lambda: 0.05)
        }
        for (x, y) in zip(separate, fused) { #expect(x.value.scalars == y.value.scalars) }
        // The step really moved the parameters (the comparison is not between two untouched copies).
        #expect(separate[0].value.scalars != parameters(as: Float.self)[0].value.scalars)
    }
}
