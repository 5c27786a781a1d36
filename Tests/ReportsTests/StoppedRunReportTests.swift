import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@Suite struct StoppedRunReportTests {
    /// An experiment file with early stopping and keep-best: the report and metrics.json say where and
    /// why the run stopped and which step's parameters it kept.
    @Test func theReportShowsTheStopAndTheKeptStep() throws {
        let data = try makeDatasetFixtureDirectory("stopped-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 3, testImages: 20)
        let config = try ExperimentConfig(json: [
            "name": "stopped", "data": ["kind": "cifar10", "split": "batch1"], "model": ["hidden": [4]],
            "training": ["batch_size": 20, "epochs": 50, "early_stopping": ["metric": "train_loss", "patience": 1],
                         "keep_best": "validation_accuracy"],
            "schedule": ["name": "constant", "eta": 0], "evaluation": ["every": 3],
        ])
        let (splits, standardizer) = try config.data.loadStandardized(relativeTo: data)
        let result = try config.experiment(splits: splits, standardizer: standardizer).run(quiet: true)
        // A rate of 0 never lowers the training loss: stopped at the first evaluation after step 0.
        #expect(result.history.stop?.step == 3)
        #expect(result.history.learningRates.count == 3 && result.totalSteps == 150)
        #expect(result.history.notes.count == 1)

        let out = try makeDatasetFixtureDirectory("stopped-run")
        try RunReport.write(result, to: out)
        let html = try String(contentsOf: out.appending(path: "report.html"), encoding: .utf8)
        #expect(html.contains("Stopped after 3 of 150 update steps: early stopping: train loss has not improved"))
        #expect(html.contains("keep-best"))
        let metrics = try JSONValue(parsing: Foundation.Data(contentsOf: out.appending(path: "metrics.json")))
        guard case .object(let m) = metrics, case .object(let stopped)? = m["stopped"] else {
            Issue.record("metrics.json has no 'stopped'")
            return
        }
        #expect(stopped["step"] == 3)
    }
}
