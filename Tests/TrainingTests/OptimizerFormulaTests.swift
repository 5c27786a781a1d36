import Backprop
import Foundation
import Testing

/// Each optimiser against the update formulas of PyTorch's documentation (torch.optim.SGD, Adam, AdamW),
/// over five steps with a changing learning rate and changing gradients. The expected values are worked
/// out here, element by element in `Double`, from the formulas written out below, never by calling the
/// code under test.
@Suite("Optimiser formulas")
struct OptimizerFormulaTests {
    /// The learning rate of each step: changing, as a cyclical schedule's does.
    static let rates = [0.1, 0.05, 0.2, 0.02, 0.08]
    /// A weight [2, 3] and a bias [1, 3].
    static let shapes = [[2, 3], [1, 3]]
    static let initial: [[Double]] = [[0.5, -1.2, 0.3, 2.0, -0.7, 0.05], [0.1, -0.4, 0.9]]

    /// The gradient of parameter `p`, element `i`, at step `k` (from 0): fixed, different at every step,
    /// with both signs and a zero.
    static func gradient(_ p: Int, _ i: Int, _ k: Int) -> Double {
        let base = Double((i + 1) * (p == 0 ? 1 : -1)) * 0.3 - 0.4
        return i == 2 && k == 1 ? 0 : base * (1 + 0.5 * Double(k)) * (k % 2 == 0 ? 1 : -0.8)
    }

    static func parameters<S: TensorScalar>(_: S.Type) -> [Parameter<S>] {
        zip(shapes, initial).enumerated().map { p, pair in
            Parameter(name: "p\(p)", value: Tensor(shape: pair.0, scalars: pair.1.map { S($0) }), role: p == 0 ? .weight : .bias)
        }
    }

    static func setGradients<S: TensorScalar>(_ parameters: [Parameter<S>], step k: Int) {
        for (p, parameter) in parameters.enumerated() {
            parameter.gradient = Tensor(shape: parameter.value.shape,
                                        scalars: (0..<parameter.value.count).map { S(gradient(p, $0, k)) })
        }
    }

    /// Runs `optimizer` for steps `range` of the fixed gradients and rates, with `regularizers`.
    static func run<S: TensorScalar, O: Optimizer<S>>(
        _ optimizer: inout O, _ parameters: [Parameter<S>], steps range: Range<Int>, regularizers: [any Regularizer] = []
    ) {
        for k in range {
            setGradients(parameters, step: k)
            optimizer.step(parameters, learningRate: rates[k], regularizers: regularizers)
        }
    }

    /// The largest difference between the parameters and `expected`.
    static func error<S: TensorScalar>(_ parameters: [Parameter<S>], _ expected: [[Double]]) -> Double {
        zip(parameters, expected).flatMap { zip($0.value.scalars, $1).map { abs(Double($0) - $1) } }.max() ?? .infinity
    }

    // MARK: - The formulas, in Double

    /// torch.optim.SGD with momentum ρ, dampening 0 and an L2 term 2λθ on the weight (our regulariser):
    /// g ← ∇ + 2λθ; v ← ρv + g (v₁ = g); Nesterov: θ ← θ − η(g + ρv), else θ ← θ − ηv. The course
    /// convention keeps u = ηv-like: u ← ρu + ηg; θ ← θ − u, or θ − (ηg + ρu) with Nesterov.
    static func sgdExpected(momentum rho: Double, nesterov: Bool, course: Bool, lambda: Double, steps: Int) -> [[Double]] {
        var theta = initial
        var velocity = initial.map { $0.map { _ in 0.0 } }
        for k in 0..<steps {
            let eta = rates[k]
            for p in theta.indices {
                for i in theta[p].indices {
                    let g = gradient(p, i, k) + (p == 0 ? 2 * lambda * theta[p][i] : 0)
                    if course {
                        velocity[p][i] = rho * velocity[p][i] + eta * g
                        theta[p][i] -= nesterov ? eta * g + rho * velocity[p][i] : velocity[p][i]
                    } else {
                        velocity[p][i] = rho * velocity[p][i] + g
                        theta[p][i] -= eta * (nesterov ? g + rho * velocity[p][i] : velocity[p][i])
                    }
                }
            }
        }
        return theta
    }

    /// torch.optim.Adam (weight_decay λ coupled: g ← ∇ + λθ) and torch.optim.AdamW (θ ← θ − ηλθ first):
    /// m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; m̂ = m/(1 − β1ᵗ); v̂ = v/(1 − β2ᵗ);
    /// θ ← θ − η·m̂/(√v̂ + ε).
    static func adamExpected(
        beta1: Double, beta2: Double, eps: Double, lambda: Double, decoupled: Bool, steps: Int
    ) -> [[Double]] {
        var theta = initial
        var m = initial.map { $0.map { _ in 0.0 } }, v = m
        for k in 0..<steps {
            let eta = rates[k], t = Double(k + 1)
            for p in theta.indices {
                for i in theta[p].indices {
                    var g = gradient(p, i, k)
                    if decoupled { theta[p][i] -= eta * lambda * theta[p][i] } else { g += lambda * theta[p][i] }
                    m[p][i] = beta1 * m[p][i] + (1 - beta1) * g
                    v[p][i] = beta2 * v[p][i] + (1 - beta2) * g * g
                    let mHat = m[p][i] / (1 - pow(beta1, t))
                    let vHat = v[p][i] / (1 - pow(beta2, t))
                    theta[p][i] -= eta * mHat / (vHat.squareRoot() + eps)
                }
            }
        }
        return theta
    }

    // MARK: - SGD with Nesterov

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgdMatchesTheFormulas(nesterov: Bool, course: Bool) {
        let expected = Self.sgdExpected(momentum: 0.9, nesterov: nesterov, course: course, lambda: 0.05, steps: 5)
        let regularizers: [any Regularizer] = [L2Regularizer(lambda: 0.05)]
        var double = SGD<Double>(momentum: 0.9, convention: course ? .course : .pytorch, nesterov: nesterov)
        let d = Self.parameters(Double.self)
        Self.run(&double, d, steps: 0..<5, regularizers: regularizers)
        #expect(Self.error(d, expected) < 1e-12)
        var float = SGD<Float>(momentum: 0.9, convention: course ? .course : .pytorch, nesterov: nesterov)
        let f = Self.parameters(Float.self)
        Self.run(&float, f, steps: 0..<5, regularizers: regularizers)
        #expect(Self.error(f, expected) < 2e-5)
        // Nesterov changes the steps: the test would not notice a flag that is ignored.
        let other = Self.sgdExpected(momentum: 0.9, nesterov: !nesterov, course: course, lambda: 0.05, steps: 5)
        #expect(Self.error(d, other) > 1e-3)
    }

    @Test func bothNesterovConventionsAgreeAtAConstantRate() {
        var a = SGD<Double>(momentum: 0.8, convention: .pytorch, nesterov: true)
        var b = SGD<Double>(momentum: 0.8, convention: .course, nesterov: true)
        let pa = Self.parameters(Double.self), pb = Self.parameters(Double.self)
        for k in 0..<5 {
            Self.setGradients(pa, step: k)
            Self.setGradients(pb, step: k)
            a.step(pa, learningRate: 0.1)
            b.step(pb, learningRate: 0.1)
        }
        let expected = pb.map { $0.value.scalars }
        #expect(Self.error(pa, expected) < 1e-12)
    }

    // MARK: - Adam and AdamW

    @Test(arguments: [false, true])
    func adamMatchesTheFormulas(decoupled: Bool) {
        for (lambda, beta1, beta2, eps) in [(0.0, 0.9, 0.999, 1e-8), (0.1, 0.8, 0.99, 1e-3)] {
            let expected = Self.adamExpected(beta1: beta1, beta2: beta2, eps: eps, lambda: lambda, decoupled: decoupled, steps: 5)
            var double = Adam<Double>(beta1: beta1, beta2: beta2, epsilon: eps, weightDecay: lambda, decoupledWeightDecay: decoupled)
            let d = Self.parameters(Double.self)
            Self.run(&double, d, steps: 0..<5)
            #expect(Self.error(d, expected) < 1e-12, "λ \(lambda)")
            var float = Adam<Float>(beta1: beta1, beta2: beta2, epsilon: eps, weightDecay: lambda, decoupledWeightDecay: decoupled)
            let f = Self.parameters(Float.self)
            Self.run(&float, f, steps: 0..<5)
            #expect(Self.error(f, expected) < 2e-5, "λ \(lambda)")
            // The gradients are left as the backward pass wrote them (no decay term added to them).
            #expect(d[0].gradient.scalars == (0..<6).map { Self.gradient(0, $0, 4) })
            if lambda > 0 {
                // Coupled and decoupled decay give different steps: the flag is not ignored.
                let other = Self.adamExpected(beta1: beta1, beta2: beta2, eps: eps, lambda: lambda, decoupled: !decoupled, steps: 5)
                #expect(Self.error(d, other) > 1e-4)
            }
        }
    }

    @Test func anL2RegularizerIsAddedToAdamsGradient() {
        // L2(λ) adds 2λθ to the weight's gradient only: Adam with the regulariser equals the formula with
        // g ← ∇ + 2λθ on the weight.
        var adam = Adam<Double>()
        let d = Self.parameters(Double.self)
        Self.run(&adam, d, steps: 0..<5, regularizers: [L2Regularizer(lambda: 0.5)])
        var plain = Adam<Double>()
        let e = Self.parameters(Double.self)
        Self.run(&plain, e, steps: 0..<5)
        #expect(d[1].value == e[1].value, "the bias is not regularised")
        #expect(Self.error([d[0]], [e[0].value.scalars]) > 1e-4)
    }

    // MARK: - Resuming

    static let optimizers: [@Sendable () -> (any ResumableOptimizer<Float> & Sendable, any ResumableOptimizer<Double> & Sendable)] = [
        { (SGD<Float>(momentum: 0.9, nesterov: true), SGD<Double>(momentum: 0.9, nesterov: true)) },
        { (SGD<Float>(momentum: 0.9, convention: .course), SGD<Double>(momentum: 0.9, convention: .course)) },
        { (Adam<Float>(weightDecay: 0.1), Adam<Double>(weightDecay: 0.1)) },
        { (Adam<Float>(weightDecay: 0.1, decoupledWeightDecay: true), Adam<Double>(weightDecay: 0.1, decoupledWeightDecay: true)) },
    ]

    /// The state read after step 2 and given to a new optimiser makes steps 3–5 bit for bit those of the
    /// optimiser never interrupted.
    static func checkResume<S: TensorScalar>(_ make: () -> any ResumableOptimizer<S>) {
        let regularizers: [any Regularizer] = [L2Regularizer(lambda: 0.01)]
        var whole = make()
        let w = parameters(S.self)
        run(&whole, w, steps: 0..<5, regularizers: regularizers)

        var first = make()
        let r = parameters(S.self)
        run(&first, r, steps: 0..<2, regularizers: regularizers)
        var second = make()
        second.state = first.state
        #expect(!second.state.isEmpty)
        run(&second, r, steps: 2..<5, regularizers: regularizers)
        #expect(zip(w, r).allSatisfy { $0.value == $1.value })
        #expect(second.state == whole.state)
    }

    @Test(arguments: 0..<4)
    func aStateGivenToANewOptimizerContinuesBitForBit(index: Int) {
        Self.checkResume { () -> any ResumableOptimizer<Float> in Self.optimizers[index]().0 }
        Self.checkResume { () -> any ResumableOptimizer<Double> in Self.optimizers[index]().1 }
    }

    @Test func adamsStateHoldsBothMomentsAndTheStepCount() {
        var adam = Adam<Float>()
        let p = Self.parameters(Float.self)
        #expect(adam.state.isEmpty)
        Self.run(&adam, p, steps: 0..<3)
        let state = adam.state
        #expect(state.map(\.shape) == [[2, 3], [1, 3], [2, 3], [1, 3], [1]])
        #expect(state[4].scalars == [3])
        // The second moments are non-negative; the first moment of step 1 alone would be 0.1·g.
        #expect(state[2].scalars.allSatisfy { $0 >= 0 })
    }

    /// A state of another count or shape does not trap: the optimiser starts afresh, as a new one would.
    @Test func aStateThatDoesNotFitStartsAfresh() {
        let wrong: [[Tensor<Double>]] = [
            [Tensor(zeros: [3])],
            [Tensor(zeros: [2, 3]), Tensor(zeros: [1, 3]), Tensor(zeros: [2, 3]), Tensor(zeros: [1, 3]), Tensor(shape: [1], scalars: [-2])],
            [Tensor(zeros: [3, 2]), Tensor(zeros: [1, 3]), Tensor(zeros: [2, 3]), Tensor(zeros: [1, 3]), Tensor(shape: [1], scalars: [4])],
            [Tensor(zeros: [2, 3]), Tensor(zeros: [1, 3]), Tensor(zeros: [2, 3]), Tensor(zeros: [1, 3]), Tensor(shape: [1], scalars: [.nan])],
            [Tensor(zeros: [2, 3]), Tensor(zeros: [3])],
        ]
        for state in wrong {
            for make: () -> any ResumableOptimizer<Double> in [{ Adam<Double>() }, { SGD<Double>(momentum: 0.9, nesterov: true) }] {
                var fresh = make(), given = make()
                given.state = state
                let a = Self.parameters(Double.self), b = Self.parameters(Double.self)
                Self.run(&fresh, a, steps: 0..<3)
                Self.run(&given, b, steps: 0..<3)
                #expect(zip(a, b).allSatisfy { $0.value == $1.value }, "\(state.map(\.shape))")
            }
        }
    }

    @Test func theCheckpointLayoutAcceptsOneOrTwoBlocksAndCounters() {
        let p = Self.parameters(Double.self)
        let block: [Tensor<Double>] = [Tensor(zeros: [2, 3]), Tensor(zeros: [1, 3])]
        let counter = Tensor<Double>(shape: [1], scalars: [7])
        #expect(OptimizerStateLayout.fits([], parameters: p))
        #expect(OptimizerStateLayout.fits(block, parameters: p))
        #expect(OptimizerStateLayout.fits(block + block + [counter], parameters: p))
        #expect(!OptimizerStateLayout.fits([counter], parameters: p))
        #expect(!OptimizerStateLayout.fits(block + [Tensor(zeros: [2, 3])], parameters: p))
        #expect(!OptimizerStateLayout.fits(block.reversed(), parameters: p))
    }
}
