import Backprop
import BackpropCommandLine
import BackpropTestSupport
import Foundation
import Testing

/// `backprop train`, then `evaluate` and `predict` on its run directory, as a user types them.
@Suite struct EvaluatePredictCommandTests {
    /// Two runs of one experiment with different seeds on fixture CIFAR-10 files.
    func trainTwo() throws -> (data: URL, runs: [URL]) {
        let data = try makeDatasetFixtureDirectory("evaluate-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 8, testImages: 40)
        let config = data.appending(path: "small.json")
        try Foundation.Data("""
            {"name": "small", "data": {"kind": "cifar10", "split": "batch1"}, "model": {"hidden": [6]},
             "training": {"batch_size": 20, "epochs": 3}, "schedule": {"name": "constant", "eta": 0.02}}
            """.utf8).write(to: config)
        var runs: [URL] = []
        for seed in ["1", "2"] {
            let out = try makeDatasetFixtureDirectory("evaluate-runs-\(seed)")
            try BackpropTool().run(["train", "--config", config.path, "--data", data.path, "--out", out.path,
                                    "--seed", seed, "--quiet"])
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first)
            runs.append(out.appending(path: name))
        }
        return (data, runs)
    }

    @Test func evaluateReportsWhatTheRunReportedAndAnEnsemble() throws {
        let (data, runs) = try trainTwo()
        let out = try makeDatasetFixtureDirectory("evaluate-out")
        try BackpropTool().run(["evaluate", runs[0].path, "--data", data.path, "--out", out.path])
        let json = try JSONValue(parsing: Foundation.Data(contentsOf: out.appending(path: "evaluation.json")))
        let metrics = try JSONValue(parsing: Foundation.Data(contentsOf: runs[0].appending(path: "metrics.json")))
        guard case .object(let e) = json, case .array(let all)? = e["evaluations"], case .object(let first)? = all.first,
              case .object(let m) = metrics else {
            Issue.record("unexpected evaluation.json")
            return
        }
        #expect(first["accuracy"] == m["test_accuracy"])
        for file in ["per_class.csv", "confusion.csv", "evaluation.html"] {
            #expect(FileManager.default.fileExists(atPath: out.appending(path: file).path), "\(file)")
        }

        let ensembleOut = try makeDatasetFixtureDirectory("evaluate-ensemble")
        try BackpropTool().run(["evaluate", runs[0].path, "--ensemble", runs[1].path, "--data", data.path,
                                "--split", "validation", "--out", ensembleOut.path])
        let members = try String(contentsOf: ensembleOut.appending(path: "members.csv"), encoding: .utf8)
        #expect(members.split(separator: "\n").count == 4)   // header, two members, the ensemble
        #expect(members.contains("ensemble of 2"))

        #expect { try BackpropTool().run(["evaluate", runs[0].path, "--split", "tset"]) } throws: {
            "\($0)".contains("test")
        }
    }

    @Test func predictWritesOneRowPerExampleAndRefusesTheWrongSize() throws {
        let (data, runs) = try trainTwo()
        let csv = try makeDatasetFixtureDirectory("predict-out").appending(path: "predictions.csv")
        try BackpropTool().run(["predict", runs[0].path, "--input", data.appending(path: "test_batch.bin").path,
                                "--out", csv.path])
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 40)
        #expect(rows[0] == "index,predicted,class_1,probability_1,class_2,probability_2,class_3,probability_3")

        // The predicted classes are the model's: TrainedModel agrees row by row.
        let model = try TrainedModel.load(from: runs[0])
        let features = try PredictionInput.read(data.appending(path: "test_batch.bin"))
        let predicted = try model.probabilities(features).argmaxPerRow().map { model.classNames[$0] }
        #expect(rows.dropFirst().map { String($0.split(separator: ",")[1]) } == predicted)

        let wrong = data.appending(path: "wrong.npy")
        try NumpyFile.write(Tensor<Float>(zeros: [2, 784]), to: wrong)
        #expect { try BackpropTool().run(["predict", runs[0].path, "--input", wrong.path]) } throws: {
            "\($0)".contains("wrong.npy") && "\($0)".contains("784") && "\($0)".contains("3072")
        }
    }
}
