import Backprop
import BackpropTestSupport
import Testing

/// L2 without its coefficient: SGD cannot fold it into the fused pass and takes the separate passes.
private struct OpaqueL2: Regularizer {
    let inner: L2Regularizer
    var description: String { "opaque \(inner)" }
    func penalty<S: TensorScalar>(_ parameters: [Parameter<S>]) -> Double { inner.penalty(parameters) }
    func addGradient<S: TensorScalar>(to parameters: [Parameter<S>]) { inner.addGradient(to: parameters) }
}

@Suite("SGD momentum: one fused pass")
struct SGDMomentumFusedTests {
    /// A weight and a bias of `count` and 7 elements, values and gradients drawn from `seed`.
    static func parameters<S: TensorScalar>(_: S.Type, count: Int, seed: UInt64) -> [Parameter<S>] {
        var rng = SeededGenerator(seed: seed)
        func tensor(_ n: Int) -> Tensor<S> { Tensor(shape: [n], scalars: (0..<n).map { _ in S(rng.nextUniform() * 2 - 1) }) }
        let weight = Parameter(name: "w", value: tensor(count), role: .weight)
        let bias = Parameter(name: "b", value: tensor(7), role: .bias)
        return [weight, bias]
    }

    static func check<S: TensorScalar>(_ type: S.Type, count: Int, convention: MomentumConvention, nesterov: Bool) {
        let fused = parameters(S.self, count: count, seed: 9), separate = parameters(S.self, count: count, seed: 9)
        var fusedSGD = SGD<S>(momentum: 0.9, convention: convention, nesterov: nesterov)
        var separateSGD = fusedSGD
        var rng = SeededGenerator(seed: 4)
        for step in 0..<4 {
            for (a, b) in zip(fused, separate) {
                let g = Tensor<S>(shape: a.value.shape, scalars: (0..<a.value.count).map { _ in S(rng.nextUniform() - 0.5) })
                a.gradient = g
                b.gradient = g
            }
            let rate = 0.01 * Double(step + 1)
            fusedSGD.step(fused, learningRate: rate, regularizers: [L2Regularizer(lambda: 3e-3)])
            separateSGD.step(separate, learningRate: rate, regularizers: [OpaqueL2(inner: L2Regularizer(lambda: 3e-3))])
        }
        for (a, b) in zip(fused, separate) {
            #expect(a.value.scalars == b.value.scalars, "\(S.self) \(convention) nesterov \(nesterov) \(a.name)")
        }
        #expect(fusedSGD.state.map(\.scalars) == separateSGD.state.map(\.scalars))
    }

    @Test("Fused and separate passes end with the same values and velocities, bit for bit",
          arguments: [MomentumConvention.pytorch, .course], [false, true])
    func sameNumbers(convention: MomentumConvention, nesterov: Bool) {
        for count in [5, 1000, 150_001] {   // the last one split over both cores
            Self.check(Float.self, count: count, convention: convention, nesterov: nesterov)
            Self.check(Double.self, count: count, convention: convention, nesterov: nesterov)
        }
    }
}
