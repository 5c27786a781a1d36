import BackpropLayers
import BackpropRegistry
import BackpropRegularizers
import BackpropTensor
import Testing

@Suite("Regularizer registry and protocol defaults")
struct RegularizerRegistryTests {
    @Test("the standard set, under kind 'regularizer'")
    func names() {
        let registry = Registry<any Regularizer>.standardRegularizers
        #expect(registry.kind == "regularizer")
        #expect(registry.names == ["dropout", "l2"])
    }

    @Test("an unknown name lists the registered ones and suggests the nearest")
    func unknownName() {
        let registry = Registry<any Regularizer>.standardRegularizers
        do {
            _ = try registry.make(["name": "l1", "lambda": 0.1], path: "regularizers[0]")
            Issue.record("l1 was accepted")
        } catch let error as ConfigurationError {
            #expect(error == .unknownName(kind: "regularizer", name: "l1", registered: ["dropout", "l2"]))
            #expect(error.description == "unknown regularizer 'l1'. Did you mean 'l2'? Registered: dropout, l2")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// A user regulariser that implements only a penalty and its gradient: `prepare` is the default.
    struct L1: Regularizer {
        var lambda: Double
        var description: String { "L1(\(lambda))" }
        func penalty<S: TensorScalar>(_ parameters: [Parameter<S>]) -> Double {
            lambda * parameters.filter { $0.role == .weight }.reduce(0) { $0 + $1.value.scalars.reduce(0) { $0 + abs(Double($1)) } }
        }
        func addGradient<S: TensorScalar>(to parameters: [Parameter<S>]) {
            for parameter in parameters where parameter.role == .weight {
                parameter.gradient.add(parameter.value.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, scaledBy: S(lambda))
            }
        }
    }

    /// A regulariser that implements nothing: every default applies.
    struct Nothing: Regularizer {
        var description: String { "nothing" }
    }

    @Test("defaults: no penalty, no gradient, no change to the model; a user type registers beside the built-ins")
    func defaults() throws {
        let model = Sequential<Double>([
            Linear(weight: Tensor([[1, -2]]), bias: Tensor([[3, 4]])), ReLU(),
        ])
        for parameter in model.parameters { parameter.gradient = Tensor(repeating: 1, shape: parameter.value.shape) }
        let described = model.description

        var registry = Registry<any Regularizer>.standardRegularizers
        registry.register("l1") { options in
            try options.declare("lambda")
            return L1(lambda: try options.required("lambda", .nonNegative))
        }
        registry.register("nothing") { _ in Nothing() }
        let l1 = try registry.make(["name": "l1", "lambda": 0.5], path: "regularizers[0]")
        let nothing = try registry.make("nothing", path: "regularizers[1]")

        for regularizer in [l1, nothing] { regularizer.prepare(model) }
        #expect(model.description == described)
        #expect(nothing.penalty(model.parameters) == 0)
        #expect(l1.penalty(model.parameters) == 1.5)
        nothing.addGradient(to: model.parameters)
        #expect(model.parameters[0].gradient.scalars == [1, 1])
        l1.addGradient(to: model.parameters)
        #expect(model.parameters[0].gradient.scalars == [1.5, 0.5])
        #expect(model.parameters[1].gradient.scalars == [1, 1])
    }
}
