import Backprop
import BackpropCommandLine
import Foundation
import Testing

@testable import CustomSchedule

@Suite struct CustomScheduleTests {
    @Test func theExampleRegistryKnowsCosineRestartsAndTheStandardOneDoesNot() throws {
        let experiment = try JSONValue(parsing: CustomSchedule.experiment)
        let config = try ExperimentConfig(json: experiment, registries: CustomSchedule.registries)
        #expect(config.schedule.description.contains("cosine_restarts"))
        #expect(CustomSchedule.registries.schedules.names
            == (PluginRegistries.standard.schedules.names + ["cosine_restarts"]).sorted())

        #expect(!PluginRegistries.standard.schedules.contains("cosine_restarts"))
        do {
            _ = try ExperimentConfig(json: experiment, registries: .standard)
            Issue.record("the standard registries accepted cosine_restarts")
        } catch let error as ConfigurationError {
            #expect(error == .unknownName(kind: "schedule", name: "cosine_restarts",
                                          registered: PluginRegistries.standard.schedules.names))
            let names = PluginRegistries.standard.schedules.names
            #expect(names.contains("constant") && names.contains("triangular"))
            #expect(error.description == "unknown schedule 'cosine_restarts'. Registered: \(names.joined(separator: ", "))")
        }
    }

    @Test func gaussianBlobsAreSeededSizedAndBalanced() {
        let splits = gaussianBlobs(seed: 3)
        #expect(splits == gaussianBlobs(seed: 3))
        #expect(splits != gaussianBlobs(seed: 4))
        #expect(splits.train.count == 2000 && splits.validation.count == 500 && splits.test.count == 500)
        #expect(splits.train.featureCount == 64 && splits.train.classCount == 10)
        #expect(splits.train.classCounts.allSatisfy { (160...240).contains($0) }, "\(splits.train.classCounts)")
    }

    @Test func trainsWellAboveChanceOnBlobsAndWritesTheRun() throws {
        let out = FileManager.default.temporaryDirectory.appending(path: "custom-schedule-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let (result, directory) = try #require(try CustomSchedule.run(["--out", out.path, "--seed", "7", "--quiet"]))

        #expect(result.test.accuracy > 0.5, "test accuracy \(result.test.accuracy) on 10 blobs (chance 0.1)")
        #expect(result.validation.accuracy > 0.5)
        #expect(result.seed == 7)
        // The trainer used the registered schedule, by name, for all 700 steps of its three periods.
        let schedule = CosineRestartsSchedule(minRate: 1e-4, maxRate: 0.1, period: 100, periodFactor: 2, cycles: 3)
        #expect(result.totalSteps == 700)
        #expect(result.history.learningRates == sample(schedule, steps: 700))
        #expect(result.history.learningRates[100] == 0.1 && result.history.learningRates[300] == 0.1)

        #expect(directory.path.hasPrefix(out.path + "/sgdr-"))
        for file in ["learning_rate.svg", "metrics.json", "history.csv", "report.html", "fc1.weight.npy"] {
            #expect(FileManager.default.fileExists(atPath: directory.appending(path: file).path), "\(file)")
        }
        let metrics = try String(contentsOf: directory.appending(path: "metrics.json"), encoding: .utf8)
        #expect(metrics.contains("synthetic: 10 Gaussian blobs"))
        #expect(metrics.contains("cosine_restarts"))
    }

    @Test func previewPrintsInsteadOfTraining() throws {
        let result = try CustomSchedule.run(["--preview", "3"])
        #expect(result == nil)
        #expect(throws: CLIError.self) { try CustomSchedule.run(["--preview", "0"]) }
        #expect { try CustomSchedule.run(["--preview", "100000000000"]) } throws: {
            "\($0)".hasPrefix("'--preview' needs about 4.0 TB for a table of 100000000000 rates")
        }
    }
}
