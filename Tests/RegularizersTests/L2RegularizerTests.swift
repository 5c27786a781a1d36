import BackpropLayers
import BackpropRegistry
import BackpropRegularizers
import BackpropTensor
import Testing

@Suite("L2Regularizer")
struct L2RegularizerTests {
    /// Two layers with hand-picked values: Σ‖W‖² = 1 + 4 + 9 + 16 + 0.25 + 1 = 31.25, biases large.
    func smallModel() -> Sequential<Double> {
        Sequential<Double>([
            Linear(weight: Tensor([[1, 2], [3, 4]]), bias: Tensor([[10, 20]]), name: "fc1"),
            ReLU(),
            Linear(weight: Tensor([[0.5], [-1]]), bias: Tensor([[7]]), name: "fc2"),
        ])
    }

    /// A seeded model with random weights and random (non-zero) gradients already in place.
    func randomModel<S: TensorScalar>(_: S.Type, seed: UInt64) -> Sequential<S> {
        var rng = SeededGenerator(seed: seed)
        let model = Sequential<S>([Linear(4, 5, generator: &rng), ReLU(), Linear(5, 3, generator: &rng)])
        for parameter in model.parameters {
            for i in 0..<parameter.value.count {
                parameter.value.scalars[i] = S(rng.nextNormal())
                parameter.gradient.scalars[i] = S(rng.nextNormal())
            }
        }
        return model
    }

    @Test("the penalty is λ·Σ‖W‖² over weights only")
    func penaltyValue() {
        let model = smallModel()
        #expect(L2Regularizer(lambda: 0.1).penalty(model.parameters) == 0.1 * 31.25)
        #expect(L2Regularizer(lambda: 0).penalty(model.parameters) == 0)
        #expect(L2Regularizer(lambda: 2).penalty([Parameter<Double>]()) == 0)
    }

    @Test("the gradient added is the centred-difference derivative of the penalty")
    func gradientMatchesNumericalDerivative() {
        let model = randomModel(Double.self, seed: 7)
        let l2 = L2Regularizer(lambda: 0.37)
        let parameters = model.parameters
        let before = parameters.map(\.gradient)
        l2.addGradient(to: parameters)
        let h = 1e-3
        var worst = 0.0
        for (p, parameter) in parameters.enumerated() {
            for i in 0..<parameter.value.count {
                let original = parameter.value.scalars[i]
                parameter.value.scalars[i] = original + h
                let plus = l2.penalty(parameters)
                parameter.value.scalars[i] = original - h
                let minus = l2.penalty(parameters)
                parameter.value.scalars[i] = original
                let numerical = (plus - minus) / (2 * h)
                let analytic = parameter.gradient.scalars[i] - before[p].scalars[i]
                let scale = max(abs(numerical) + abs(analytic), 1e-12)
                worst = max(worst, abs(numerical - analytic) / scale)
                if parameter.role == .bias { #expect(analytic == 0 && numerical == 0) }
            }
        }
        #expect(worst < 1e-8)
    }

    @Test("weights get 2λW added to what backward computed; biases are untouched")
    func addsToWeightsOnly() {
        let model = smallModel()
        for parameter in model.parameters { parameter.gradient = Tensor(repeating: 1, shape: parameter.value.shape) }
        L2Regularizer(lambda: 0.5).addGradient(to: model.parameters)
        let (w1, b1, w2, b2) = (model.parameters[0], model.parameters[1], model.parameters[2], model.parameters[3])
        #expect(w1.gradient.scalars == [2, 3, 4, 5])
        #expect(w2.gradient.scalars == [1.5, 0])
        #expect(b1.gradient.scalars == [1, 1])
        #expect(b2.gradient.scalars == [1])
        #expect(w1.value.scalars == [1, 2, 3, 4])
    }

    @Test("Float parameters use the same rule, to Float precision")
    func float() {
        let model = randomModel(Float.self, seed: 3)
        let parameters = model.parameters
        let before = parameters.map(\.gradient)
        let l2 = L2Regularizer(lambda: 0.01)
        l2.addGradient(to: parameters)
        var expectedPenalty = 0.0
        for (p, parameter) in parameters.enumerated() where parameter.role == .weight {
            for i in 0..<parameter.value.count {
                let w = parameter.value.scalars[i]
                expectedPenalty += Double(w) * Double(w)
                let added = parameter.gradient.scalars[i] - before[p].scalars[i]
                #expect(abs(added - 0.02 * w) <= 1e-6 * max(1, abs(before[p].scalars[i])))
            }
        }
        #expect(abs(l2.penalty(parameters) - 0.01 * expectedPenalty) <= 1e-6 * expectedPenalty)
    }

    @Test("configuration: lambda is required, non-negative and finite; a misspelling is named")
    func configuration() throws {
        let registry = Registry<any Regularizer>.standardRegularizers
        let l2 = try registry.make(["name": "l2", "lambda": 0.01], path: "regularizers[0]")
        #expect(l2.description == "L2(lambda: 0.01)")
        #expect(l2.penalty(smallModel().parameters) == 0.01 * 31.25)
        #expect(throws: ConfigurationError.missingKey(path: "regularizers[0].lambda")) {
            try registry.make("l2", path: "regularizers[0]")
        }
        #expect(throws: ConfigurationError.invalidValue(
            path: "regularizers[0].lambda", reason: "must not be negative, found -0.1")) {
            try registry.make(["name": "l2", "lambda": -0.1], path: "regularizers[0]")
        }
        #expect(throws: ConfigurationError.self) {
            try registry.make(name: "l2", options: Options(["lambda": .number(.infinity)], path: "l2"))
        }
        do {
            _ = try registry.make(["name": "l2", "lamda": 0.01], path: "regularizers[0]")
            Issue.record("a misspelt lambda was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.hasPrefix("unknown key 'regularizers[0].lamda'. Did you mean 'lambda'?"))
        }
    }
}
