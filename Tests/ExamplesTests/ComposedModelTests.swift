import Backprop
import BackpropCommandLine
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

/// A model composed in code gets what an experiment file gets: a run directory with its report, and a
/// λ search.
@Suite struct ComposedModelTests {
    /// Three linear layers with dropout, on fixture CIFAR-10 files.
    func experiment() throws -> Experiment<Float> {
        let data = try makeDatasetFixtureDirectory("composed-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 9, testImages: 30)
        let (splits, standardizer) = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data")
            .loadStandardized(relativeTo: data)
        return Experiment<Float>(
            name: "three-layer", seed: 11, data: splits, standardizer: standardizer,
            model: ModelBuilder { inputs, rng in
                Linear<Float>(inputs.featureCount, 16, generator: &rng, name: "fc1")
                ReLU<Float>()
                Dropout<Float>(rate: 0.2)
                Linear<Float>(16, 8, generator: &rng, name: "fc2")
                ReLU<Float>()
                Linear<Float>(8, inputs.classCount, generator: &rng, name: "fc3")
            },
            schedule: SchedulePlan("triangular, n_s = 1 epoch") { batches in
                TriangularSchedule(minRate: 1e-4, maxRate: 0.05, stepSize: batches, cycles: 1)
            },
            regularizers: [L2Regularizer(lambda: 0.001)], batchSize: 20, evaluation: EvaluationPlan(.times(3)))
    }

    @Test func getsARunDirectoryAndAReport() throws {
        let experiment = try experiment()
        let out = try makeDatasetFixtureDirectory("composed-runs")
        let (result, directory) = try ExperimentSession.run(experiment, outputBase: out, progress: .none, checkpointEvery: 1)

        // 60 images in batches of 20: 3 batches per epoch, one cycle of 2 · 3 steps.
        #expect(result.totalSteps == 6)
        #expect(result.modelDescription
            == "Sequential(Linear(3072 → 16) → ReLU → Dropout(0.2) → Linear(16 → 8) → ReLU → Linear(8 → 10))")
        #expect(result.parameters.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
        for file in ["report.html", "metrics.json", "history.csv", "fc3.weight.npy", "standardizer_mean.npy", "cost.svg"] {
            #expect(FileManager.default.fileExists(atPath: directory.appending(path: file).path), "\(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appending(path: "checkpoint").path))
        let weight = try NumpyFile.read(directory.appending(path: "fc2.weight.npy"), as: Float.self)
        #expect(weight.shape == [16, 8])
        let metrics = try JSONValue(parsing: Foundation.Data(contentsOf: directory.appending(path: "metrics.json")))
        guard case .object(let m) = metrics, case .object(let config)? = m["config"] else {
            Issue.record("metrics.json has no config object")
            return
        }
        #expect(m["name"] == "three-layer")
        #expect(m["test_accuracy"] == .number(result.test.accuracy))
        #expect(config["schedule"] == .string(result.scheduleDescription))
        let report = try String(contentsOf: directory.appending(path: "report.html"), encoding: .utf8)
        #expect(report.contains("Dropout(0.2)"))

        // The same experiment value runs again to the same numbers: a recipe, not a trained model.
        let again = try experiment.run(quiet: true)
        #expect(again.test == result.test)
        #expect(again.history.learningRates == result.history.learningRates)
    }

    @Test func getsALambdaSearch() throws {
        let experiment = try experiment()
        let search = LambdaSearch(name: "composed-search", seed: 3, exponents: -4 ... -1, coarse: .grid(3),
                                  fine: .random(2), fineTop: 2, about: "three-layer with dropout")
        let out = try makeDatasetFixtureDirectory("composed-search")
        var session = try SearchSession(search: search, base: out) { trial in
            var run = experiment
            run.name = "\(search.name)-\(trial.id)"
            run.regularizers = [L2Regularizer(lambda: trial.lambda)]
            return run
        }
        session.parallel = 2
        session.log = { _ in }
        let outcomes = try session.run(.all)

        #expect(outcomes.map(\.trial.id) == ["coarse-00", "coarse-01", "coarse-02", "fine-00", "fine-01"])
        #expect(outcomes.prefix(3).map(\.trial.exponent) == [-4, -2.5, -1])
        for outcome in outcomes {
            let directory = session.directory.appending(path: outcome.trial.stage).appending(path: outcome.trial.id)
            let metrics = try JSONValue(parsing: Foundation.Data(contentsOf: directory.appending(path: "metrics.json")))
            guard case .object(let m) = metrics else { Issue.record("no metrics"); continue }
            // Each trial trained the composed model with its own λ.
            #expect(m["regularizers"] == .array([.string(L2Regularizer(lambda: outcome.trial.lambda).description)]))
            #expect(m["model"] == .string(
                "Sequential(Linear(3072 → 16) → ReLU → Dropout(0.2) → Linear(16 → 8) → ReLU → Linear(8 → 10))"))
        }
        #expect(session.ranking.count == 5)
        #expect(FileManager.default.fileExists(atPath: session.directory.appending(path: "search.csv").path))

        // A second session over the same directory finds every trial finished and trains none.
        let resumed = try SearchSession(search: search, base: out) { _ in
            Issue.record("a finished trial was trained again")
            return experiment
        }
        #expect(try resumed.run(.coarse).count == 3)
    }
}
