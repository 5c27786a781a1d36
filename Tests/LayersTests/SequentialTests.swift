import Backprop
import Testing

@Suite struct SequentialTests {
    @Test func composesAndListsParametersInOrder() {
        var rng = SeededGenerator(seed: 1)
        let model = Sequential<Float> {
            Linear<Float>(3072, 50, generator: &rng, name: "fc1")
            ReLU<Float>()
            Linear<Float>(50, 10, generator: &rng, name: "fc2")
        }
        #expect(model.parameters.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(model.description == "Sequential(Linear(3072 → 50) → ReLU → Linear(50 → 10))")
        let out = model(Tensor(zeros: [4, 3072]))
        #expect(out.shape == [4, 10])
        #expect(out.scalars.allSatisfy { $0 == 0 })
    }

    @Test func sameSeedSameModel() {
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11)
        #expect(Linear<Double>(4, 3, generator: &a).weight.value == Linear<Double>(4, 3, generator: &b).weight.value)
    }
}
