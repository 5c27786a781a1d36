import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@Suite struct RunReportTests {
    /// A short real run on fixture CIFAR-10 files, written to a fresh directory.
    func trainedRun(hidden: [Int]) throws -> (RunResult, URL, DataSplits) {
        let data = try makeDatasetFixtureDirectory("report-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 150, seed: 21, testImages: 80)
        let config = try ExperimentConfig(json: [
            "name": "report-test", "seed": 5,
            "data": ["kind": "cifar10", "split": "batch1"],
            "model": ["hidden": .array(hidden.map { .number(Double($0)) })],
            "training": ["batch_size": 25, "epochs": 3],
            "schedule": ["name": "constant", "eta": 0.01],
            "regularizers": [["name": "l2", "lambda": 0.1]],
            "evaluation": ["every": 4],
        ])
        let (splits, standardizer) = try config.data.loadStandardized(relativeTo: data)
        let result = try config.experiment(splits: splits, standardizer: standardizer).run(quiet: true)
        let out = try makeDatasetFixtureDirectory("report-run")
        try RunReport.write(result, to: out)
        return (result, out, splits)
    }

    @Test func writesEveryFile() throws {
        let (result, out, _) = try trainedRun(hidden: [])
        for file in ["history.csv", "metrics.json", "fc1.weight.npy", "fc1.bias.npy", "standardizer_mean.npy",
                     "standardizer_std.npy", "cost.svg", "loss.svg", "accuracy.svg", "learning_rate.svg",
                     "weights.png", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out.appending(path: file).path), "\(file)")
        }
        // One row per update step plus the final evaluation's; every rate recorded.
        let history = try String(contentsOf: out.appending(path: "history.csv"), encoding: .utf8).split(separator: "\n")
        #expect(history.count == 1 + result.totalSteps + 1)
        #expect(result.totalSteps == 3 * 6)
        #expect(history[1].hasPrefix("0,0.0,0.01,"))
        let metrics = try JSONValue(parsing: Foundation.Data(contentsOf: out.appending(path: "metrics.json")))
        guard case .object(let m) = metrics else { Issue.record("metrics.json is not an object"); return }
        #expect(m["test_accuracy"] == .number(result.test.accuracy))
        #expect(m["seed"] == 5)
        #expect(m["config"] == result.configuration)
    }

    /// The saved parameters, evaluated by an independent plain-loop forward pass in Double on the raw
    /// test images, give exactly the reported test accuracy.
    @Test(arguments: [[Int](), [7]])
    func savedParametersReproduceTheTestAccuracy(hidden: [Int]) throws {
        let (result, out, splits) = try trainedRun(hidden: hidden)
        let mean = try NumpyFile.read(out.appending(path: "standardizer_mean.npy"), as: Double.self).scalars
        let std = try NumpyFile.read(out.appending(path: "standardizer_std.npy"), as: Double.self).scalars
        var layers: [(w: Tensor<Double>, b: [Double])] = []
        for index in 1...(hidden.count + 1) {
            layers.append((try NumpyFile.read(out.appending(path: "fc\(index).weight.npy"), as: Double.self),
                           try NumpyFile.read(out.appending(path: "fc\(index).bias.npy"), as: Double.self).scalars))
        }
        let data = try makeDatasetFixtureDirectory("report-raw")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 150, seed: 21, testImages: 80)
        let raw = try CIFAR10.loadBinaryBatch(data.appending(path: "test_batch.bin"))
        var correct = 0
        for i in 0..<raw.count {
            var h = (0..<raw.featureCount).map { j in
                (Double(raw.features.scalars[i * raw.featureCount + j]) - mean[j]) / (std[j] < 1e-6 ? 1 : std[j])
            }
            for (index, layer) in layers.enumerated() {
                let (inputs, outputs) = (layer.w.shape[0], layer.w.shape[1])
                h = (0..<outputs).map { o in
                    var s = layer.b[o]
                    for j in 0..<inputs { s += h[j] * layer.w.scalars[j * outputs + o] }
                    return index < layers.count - 1 ? max(s, 0) : s
                }
            }
            if h.indices.max(by: { h[$0] < h[$1] }) == raw.labels[i] { correct += 1 }
        }
        #expect(raw.count == splits.test.count)
        #expect(Double(correct) / Double(raw.count) == result.test.accuracy)
    }
}
