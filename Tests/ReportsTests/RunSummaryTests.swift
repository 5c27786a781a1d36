import BackpropRegistry
import BackpropReports
import Foundation
import Testing

@Suite struct RunSummaryTests {
    @Test func aFinishedRunIsReadWithItsFiguresAndSettings() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let directory = try RunDirectoryFixture.write(
            "a1-20261204-101500", under: base.url, metrics: RunDirectoryFixture.metrics(name: "a1"))
        let run = try #require(RunSummary.read(directory))
        #expect(run.name == "a1")
        #expect(run.status == .finished)
        #expect(run.testAccuracy == 0.4 && run.steps == 20 && run.finalCost == 1.5)
        #expect(run.seconds == 7.5)
        #expect(run.exampleCounts?.validation == 50)
        #expect(run.settings["training.batch_size"] == "100")
        #expect(run.settings["regularizers[0].lambda"] == "0.01")
        #expect(run.settings["regularizers[0].name"] == "l2")
        #expect(run.settings["as used: data"] == "100 training, 50 validation, 50 test")
        let date = try #require(run.date)
        #expect(date == Date(timeIntervalSince1970: 1_796_379_300))
    }

    @Test func timingJSONIsPreferredToTheOldSecondsInMetrics() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let directory = try RunDirectoryFixture.write(
            "r-20261204-101500", under: base.url, metrics: RunDirectoryFixture.metrics(name: "r"), timing: 12.25)
        #expect(RunSummary.read(directory)?.seconds == 12.25)
    }

    @Test func theStatusSaysHowTheRunEnded() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        func status(_ name: String, _ extra: [String: JSONValue]) throws -> RunStatus? {
            let directory = try RunDirectoryFixture.write(
                name, under: base.url, metrics: RunDirectoryFixture.metrics(name: name, extra: extra))
            return RunSummary.read(directory)?.status
        }
        #expect(try status("ok", [:]) == .finished)
        #expect(try status("diverged", ["diverged_at_step": 120, "test_accuracy": .null]) == .diverged(atStep: 120))
        #expect(try status("stopped", ["stopped": ["step": 300, "reason": "early stopping: patience 2"]])
            == .stopped(atStep: 300, reason: "early stopping: patience 2"))
        #expect(RunStatus.diverged(atStep: 120).description == "diverged at step 120")
        #expect(RunStatus.stopped(atStep: 3, reason: "why").description == "stopped at step 3: why")

        // No metrics.json: in progress, resumable when a checkpoint is there.
        let killed = try RunDirectoryFixture.write("killed-20261204-101500", under: base.url, metrics: nil, history: nil)
        try FileManager.default.createDirectory(at: killed.appending(path: "checkpoint"), withIntermediateDirectories: true)
        #expect(RunSummary.read(killed)?.status == .inProgress(resumable: true))
        #expect(RunStatus.inProgress(resumable: true).description(directory: "runs/k")
            == "in progress or interrupted (resume with: backprop train --resume runs/k)")
        let started = try RunDirectoryFixture.write("started-20261204-101501", under: base.url, metrics: nil, history: nil)
        #expect(RunSummary.read(started)?.status == .inProgress(resumable: false))
        #expect(RunStatus.inProgress(resumable: false).description(directory: "x") == "in progress or interrupted")
    }

    @Test func aDamagedMetricsFileIsUnreadableWithItsReasonNeverAnError() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let directory = try RunDirectoryFixture.write("bad-20261204-101500", under: base.url, metrics: nil)
        try "{\"name\": ".write(to: directory.appending(path: "metrics.json"), atomically: true, encoding: .utf8)
        guard case .unreadable(let reason)? = RunSummary.read(directory)?.status else {
            Issue.record("not unreadable")
            return
        }
        #expect(reason.contains("metrics.json"))
        let array = try RunDirectoryFixture.write("array", under: base.url, metrics: [1, 2])
        guard case .unreadable(let why)? = RunSummary.read(array)?.status else {
            Issue.record("an array is read as metrics")
            return
        }
        #expect(why.contains("not a JSON object"))
    }

    @Test func aFolderThatIsNotARunIsNotOne() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let plain = base.url.appending(path: "screenshots")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        #expect(RunSummary.read(plain) == nil)
        // A dated folder holding runs (Assignment2's) is not a run in progress.
        let holder = base.url.appending(path: "assignment2-20261204-101500")
        try RunDirectoryFixture.write("a2-final-20261204-101600", under: holder, metrics: RunDirectoryFixture.metrics(name: "f"))
        #expect(RunSummary.read(holder) == nil)
        #expect(RunSummary.read(base.url.appending(path: "absent")) == nil)
    }

    @Test func settingsAreFlattenedIntoKeyPathsAndTheDifferingOnesFound() {
        let config: JSONValue = ["training": ["batch_size": 100, "shuffle": true], "hidden": [50, 10], "empty": [:],
                                 "name": "x"]
        let flat = RunSettings.flattened(config)
        #expect(flat == ["training.batch_size": "100", "training.shuffle": "true", "hidden[0]": "50", "hidden[1]": "10",
                         "empty": "{}", "name": "x"])
        let a = ["a": "1", "b": "2", "as built: model": "m"]
        let b = ["a": "1", "b": "3", "c": "4", "as built: model": "m"]
        #expect(RunSettings.allKeys([a, b]) == ["a", "b", "c", "as built: model"])
        #expect(RunSettings.differingKeys([a, b]) == ["b", "c"])
        #expect(RunSettings.differingKeys([a]).isEmpty)
    }

    @Test func historyIsReadBackWithDivergedValuesAndBadLinesNamed() throws {
        let curves = try RunCurves.parse(RunDirectoryFixture.history(diverged: true), path: "h.csv")
        #expect(curves["learning_rate"].count == 20)
        #expect(curves["train_loss"].count == 5)
        #expect(curves["train_loss"][0].x == 0 && curves["train_loss"][0].y == 2)
        #expect(curves["train_loss"][2].y.isNaN)
        #expect(curves["absent"].isEmpty)
        #expect(throws: ReportFileError.cannotRead(path: "h.csv", reason: "line 3 has 2 fields for 3 columns")) {
            try RunCurves.parse("step,train_loss,x\n0,1,2\n1,2\n", path: "h.csv")
        }
        #expect(throws: ReportFileError.cannotRead(path: "h.csv", reason: "line 2: train_loss 'many' is not a number")) {
            try RunCurves.parse("step,train_loss\n0,many\n", path: "h.csv")
        }
        #expect(throws: ReportFileError.self) { try RunCurves.parse("a,b\n1,2\n", path: "h.csv") }
        #expect(throws: ReportFileError.self) { try RunCurves.parse("", path: "h.csv") }
    }
}
