import Backprop
import BackpropCommandLine
import BackpropTestSupport
import Foundation
import Testing

/// README.md's first example, on fixture files (CI also compiles the README's code as written).
@Suite struct ReadmeExperimentTests {
    @Test func composeTrainSaveLoadEvaluate() throws {
        let folder = try makeDatasetFixtureDirectory("readme-experiment")
        try writeCIFAR10BinaryFixture(to: folder, imagesPerBatch: 100, seed: 4, testImages: 50)
        let runs = try makeDatasetFixtureDirectory("readme-runs")

        // --- as in README.md (only the directories differ) ---
        let data = try DatasetConfiguration(
            ["kind": "cifar10", "split": "batch1", "directory": .string(folder.path)], path: "data")
        let (splits, standardizer) = try data.loadStandardized()   // mean and std of the training split
        let experiment = Experiment<Float>(
            name: "two-layer", seed: 42, data: splits, standardizer: standardizer,
            model: ModelBuilder { inputs, rng in
                Linear<Float>(inputs.featureCount, 50, generator: &rng, name: "fc1")
                ReLU<Float>()
                Dropout<Float>(rate: 0.1)
                Linear<Float>(50, inputs.classCount, generator: &rng, name: "fc2")
            },
            schedule: SchedulePlan("triangular, n_s = 2 epochs") { batches in
                TriangularSchedule(minRate: 1e-5, maxRate: 0.1, stepSize: 2 * batches, cycles: 1)
            },
            regularizers: [L2Regularizer(lambda: 0.01)], evaluation: EvaluationPlan(.times(10)))
        let (result, directory) = try ExperimentSession.run(experiment, outputBase: runs, progress: .none)

        let model = try TrainedModel.load(from: directory)          // model.json + .npy + the standardiser
        let raw = try data.load()                                    // raw pixels: the model standardises them
        let same = try model.evaluate(raw.test).accuracy == result.test.accuracy
        let probabilities = try model.probabilities(raw.test.features)
        // ---

        #expect(same)
        #expect(result.totalSteps == 4)   // 100 images, batches of 100: n_s = 2 steps, one cycle of 4
        #expect(probabilities.shape == [raw.test.count, 10])
        #expect(FileManager.default.fileExists(atPath: directory.appending(path: "model.json").path))
    }
}
