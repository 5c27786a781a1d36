import Backprop
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

/// `backprop search` with a random search file: trials, tables and chart, resumption, stages, and its
/// Slurm scripts (issue 17).
@Suite struct RandomSearchCommandTests {
    func searchFile(in work: URL) throws -> URL {
        try writeCIFAR10BinaryFixture(to: work.appending(path: "data"), imagesPerBatch: 30, seed: 3, testImages: 10)
        let file = work.appending(path: "random.json")
        try """
            {"name": "rs", "seed": 2, "trials": 3,
             "parameters": {"regularizers[0].lambda": {"log_uniform": [1e-5, 1e-1]},
                            "model.hidden": {"choice": [[4], [6, 5]]},
                            "training.batch_size": {"choice": [10, 15]}},
             "experiment": {"data": {"kind": "cifar10", "split": "batch1"},
                            "model": {"hidden": [4]}, "training": {"batch_size": 10, "steps": 4},
                            "schedule": {"name": "constant", "eta": 0.01},
                            "regularizers": [{"name": "l2", "lambda": 0.001}]}}
            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func aRandomSearchTrainsEachTrialOnceAndWritesItsTableAndChart() throws {
        let work = try makeDatasetFixtureDirectory("random-search-cli")
        defer { try? FileManager.default.removeItem(at: work) }
        let file = try searchFile(in: work)
        let arguments = ["search", "--config", file.path, "--data", work.appending(path: "data").path,
                         "--out", work.appending(path: "out").path, "--parallel", "2"]
        try BackpropTool().commands.run(arguments)
        let directory = work.appending(path: "out/rs")
        let table = try String(contentsOf: directory.appending(path: "search.csv"), encoding: .utf8)
        let lines = table.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == "rank,stage,trial,model.hidden,regularizers[0].lambda,training.batch_size,"
            + "validation_accuracy,train_accuracy,test_accuracy,final_cost,seconds")
        #expect(lines.count == 4)
        // Each trial trained its own draw: its run directory's configuration holds the drawn values.
        let config = try RandomSearchConfig(json: JSONValue(contentsOf: file))
        for trial in config.search.trials(in: "random", after: []) {
            let run = directory.appending(path: "random/\(trial.id)")
            let outcome = try JSONDecoder().decode(TrialOutcome.self, from: Data(contentsOf: run.appending(path: "trial.json")))
            #expect(outcome.trial == trial)
            let leaves = try JSONValue(contentsOf: run.appending(path: "metrics.json")).leaves
            #expect(leaves["config.regularizers[0].lambda"] == trial.parameters["regularizers[0].lambda"])
            #expect(leaves["config.training.batch_size"] == trial.parameters["training.batch_size"])
        }
        let svg = try String(contentsOf: directory.appending(path: "search.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("regularizers[0].lambda") && svg.contains("validation accuracy"))
        let first = try Data(contentsOf: directory.appending(path: "random/random-00/trial.json"))
        // Again: nothing is trained twice, the outcomes stay.
        try BackpropTool().commands.run(arguments)
        #expect(try Data(contentsOf: directory.appending(path: "random/random-00/trial.json")) == first)
        #expect(usageError { try BackpropTool().commands.run(arguments + ["--stage", "fine"]) }?
            .contains("--stage fine: the search in \(file.path) has the stage(s) random (or all)") == true)
    }

    @Test func itsSlurmJobsShardTheRandomStageAndMergeWithAll() throws {
        let work = try makeDatasetFixtureDirectory("random-search-slurm")
        defer { try? FileManager.default.removeItem(at: work) }
        let file = try searchFile(in: work)
        try BackpropTool().commands.run(["search", "--config", file.path, "--data", work.appending(path: "data").path,
                                         "--out", work.appending(path: "out").path, "--slurm", "--shards", "3"])
        let slurm = work.appending(path: "out/rs/slurm")
        let shards = try String(contentsOf: slurm.appending(path: "shards.sbatch"), encoding: .utf8)
        let merge = try String(contentsOf: slurm.appending(path: "merge.sbatch"), encoding: .utf8)
        #expect(shards.contains("--stage random --shard \"${SLURM_ARRAY_TASK_ID}/3\"") && shards.contains("--array=1-3"))
        #expect(merge.contains("--stage all\n"))
    }
}
