import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

@Suite struct ExperimentSessionTests {
    @Test func missingCIFARSaysWhereToPutIt() throws {
        let empty = try makeDatasetFixtureDirectory("empty")
        let data = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data")
        #expect { try ExperimentSession.loadData(data, override: empty.path) } throws: { error in
            let text = "\(error)"
            return text.contains(empty.path) && text.contains("cifar-10-binary.tar.gz") && text.contains("--data")
        }
    }

    @Test func theCheckpointIsRemovedWhenTheRunEnds() throws {
        let data = try makeDatasetFixtureDirectory("session-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 80, seed: 3, testImages: 40)
        let config = try ExperimentConfig(json: [
            "name": "session", "data": ["kind": "cifar10", "split": "batch1"], "model": ["hidden": [5]],
            "training": ["batch_size": 20, "epochs": 2], "schedule": ["name": "constant", "eta": 0.01],
            "evaluation": ["every": 2],
        ])
        let (splits, standardizer) = try ExperimentSession.loadData(config.data, override: data.path)
        let out = try makeDatasetFixtureDirectory("session-runs")
        let (_, directory) = try ExperimentSession.run(
            config, splits: splits, standardizer: standardizer, outputBase: out, progress: .none, checkpointEvery: 1)
        #expect(!FileManager.default.fileExists(atPath: directory.appending(path: "checkpoint").path))
        #expect(FileManager.default.fileExists(atPath: directory.appending(path: "report.html").path))
        let timing = try JSONValue(contentsOf: directory.appending(path: "timing.json"))
        guard case .object(let members) = timing, case .number(let seconds)? = members["seconds"] else {
            Issue.record("timing.json: \(timing)")
            return
        }
        #expect(seconds >= 0)
        #expect(!(try String(contentsOf: directory.appending(path: "metrics.json"), encoding: .utf8)).contains("seconds"))
    }
}
