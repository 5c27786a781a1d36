import Backprop
import BackpropCommandLine
import BackpropTestSupport
import Foundation
import Testing

/// `backprop lr-range`: the test's files, its suggestions, and `--train` with the suggested range.
@Suite struct LRRangeCommandTests {
    @Test func writesTheTestAndTrainsWithItsRange() throws {
        let work = try makeDatasetFixtureDirectory("lr-range-command")
        defer { try? FileManager.default.removeItem(at: work) }
        try writeCIFAR10BinaryFixture(to: work.appending(path: "data"), imagesPerBatch: 100, seed: 8, testImages: 20)
        let config = work.appending(path: "c.json")
        try """
            {"name": "ranged", "seed": 2, "data": {"kind": "cifar10", "split": "batch1"}, "model": {"hidden": [10]},
             "training": {"batch_size": 10, "steps": 30},
             "schedule": {"name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "step_size": 15}}
            """.write(to: config, atomically: true, encoding: .utf8)
        let out = work.appending(path: "runs")
        try BackpropTool().run(["lr-range", "--config", config.path, "--data", work.appending(path: "data").path,
                                "--out", out.path, "--steps", "200", "--eta-min", "1e-4", "--eta-max", "100",
                                "--evaluations", "40", "--quiet", "--train"])
        let runs = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(runs.count == 2 && runs[1].hasPrefix("ranged-lr-range-"), "\(runs)")
        let test = out.appending(path: runs[1])
        for file in ["lr_range.html", "lr_range.json", "lr_range_loss.svg", "lr_range_accuracy.svg", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: test.appending(path: file).path), "\(file)")
        }
        guard case .object(let json) = try JSONValue(contentsOf: test.appending(path: "lr_range.json")),
              case .array(let suggestions)? = json["suggestions"], case .object(let first)? = suggestions.first,
              case .number(let low)? = first["eta_min"], case .number(let high)? = first["eta_max"]
        else {
            Issue.record("lr_range.json has no suggestion")
            return
        }
        #expect(json["stopped"] != .null && low < high)
        // The trained run used the first suggestion as its schedule's range.
        let trained = try JSONValue(contentsOf: out.appending(path: runs[0]).appending(path: "metrics.json"))
        guard case .object(let metrics) = trained, case .object(let used)? = metrics["config"],
              case .object(let schedule)? = used["schedule"] else {
            Issue.record("the trained run's metrics.json has no config")
            return
        }
        #expect(schedule["eta_min"] == .number(low) && schedule["eta_max"] == .number(high))
        #expect(schedule["name"] == "triangular" && schedule["step_size"] == 15)
    }

    @Test func impossibleRatesAreUsageErrors() {
        #expect {
            try BackpropTool().run(["lr-range", "--config", "c.json", "--eta-min", "1", "--eta-max", "0.1"])
        } throws: { error in
            (error as? CLIError)?.exitCode == 64 && "\(error)".contains("--eta-min must be below eta_max")
        }
        #expect {
            try BackpropTool().run(["lr-range", "--config", "c.json", "--eta-min", "0"])
        } throws: { error in
            (error as? CLIError)?.exitCode == 64 && "\(error)".contains("exponential ramp")
        }
    }
}
