import Backprop
import BackpropTestSupport
import Foundation
import Testing

/// The code of README.md's first screen, on fixture files, so that the README cannot drift from the API.
@Suite struct ReadmeExampleTests {
    @Test func readmeExampleTrainsAndTests() throws {
        let folder = try makeDatasetFixtureDirectory("readme")
        try writeCIFAR10BinaryFixture(to: folder, imagesPerBatch: 100, seed: 4, testImages: 50)

        // --- as in README.md (only the directory differs) ---
        var rng = SeededGenerator(seed: 42)
        let model = Sequential<Float> {
            Linear<Float>(3072, 50, generator: &rng, name: "fc1")
            ReLU<Float>()
            Linear<Float>(50, 10, generator: &rng, name: "fc2")
        }
        var splits = try DatasetConfiguration(
            ["kind": "cifar10", "split": "batch1", "directory": .string(folder.path)], path: "data").load()
        splits.standardize()    // mean and std of the training split, applied to all three
        let trainer = Trainer(model: model,
                              schedule: TriangularSchedule(minRate: 1e-5, maxRate: 0.1, stepSize: 500),
                              regularizers: [L2Regularizer(lambda: 0.01)], batchSize: 100)
        let history = trainer.fit(train: splits.train, validation: splits.validation,
                                  steps: 1000, evaluationInterval: 100, generator: &rng)
        let accuracy = trainer.evaluate(splits.test).accuracy
        // ---

        #expect(history.evaluations.count == 11)
        #expect(accuracy > 0.5, "the fixture's classes differ by mean colour; got \(accuracy)")
    }
}
