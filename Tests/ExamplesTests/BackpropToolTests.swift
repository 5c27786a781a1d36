import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

/// `BackpropTool`: the `backprop` command line built around registries a user extends.
@Suite struct BackpropToolTests {
    /// The standard registries plus a schedule only they know.
    var extended: PluginRegistries { .withFlatSchedule }

    @Test func trainBuildsTheExperimentFromTheGivenRegistries() throws {
        let data = try makeDatasetFixtureDirectory("tool-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 40, seed: 5, testImages: 20)
        let config = data.appending(path: "flat.json")
        try Foundation.Data("""
            {"name": "flat", "data": {"kind": "cifar10", "split": "batch1"}, "model": {"hidden": [4]},
             "training": {"batch_size": 20, "epochs": 1}, "schedule": {"name": "flat", "rate": 0.01}}
            """.utf8).write(to: config)
        let out = try makeDatasetFixtureDirectory("tool-runs")
        let arguments = ["train", "--config", config.path, "--data", data.path, "--out", out.path, "--quiet"]

        #expect { try BackpropTool(registries: .standard).run(arguments) } throws: {
            "\($0)".contains("unknown schedule 'flat'")
        }
        try BackpropTool(registries: extended).run(arguments)
        let runs = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(runs.count == 1)
        let metrics = try String(contentsOf: out.appending(path: runs[0]).appending(path: "metrics.json"), encoding: .utf8)
        #expect(metrics.contains("flat(0.01)"))
    }

    @Test func scheduleListsAndPreviewsTheGivenSchedules() throws {
        let tool = BackpropTool(registries: extended)
        try tool.run(["schedule", "flat", "--rate", "0.5", "--steps", "2"])
        let help = try #require(tool.commands.subcommand(named: "schedule")).interface.help
        #expect(help.contains("flat"))
        #expect(!(BackpropTool().commands.subcommand(named: "schedule")?.interface.help.contains("flat") ?? true))
    }

    @Test func unknownOrMissingCommandsAreUsageErrors() {
        let tool = BackpropTool()
        #expect { try tool.run(["trian"]) } throws: { ($0 as? CLIError)?.exitCode == 64 && "\($0)".contains("'train'") }
        #expect { try tool.run([]) } throws: { ($0 as? CLIError)?.exitCode == 64 && "\($0)".contains("COMMANDS") }
    }
}
