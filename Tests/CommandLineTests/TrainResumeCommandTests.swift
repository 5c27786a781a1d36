import Backprop
import BackpropTestSupport
import Foundation
import Testing

/// `backprop train` stopped by a signal, then `backprop train --resume RUN_DIR`: the exit statuses, the
/// messages, and files byte for byte those of the run never stopped (issue 13, item 5).
@Suite struct TrainResumeCommandTests {
    struct Work {
        var root: URL
        var config: URL
        var data: URL

        init() throws {
            root = try makeDatasetFixtureDirectory("train-resume")
            data = root.appending(path: "data")
            try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 80, seed: 9, testImages: 20)
            config = root.appending(path: "long.json")
            // Long enough to be caught mid-run: 600 updates, each followed by a saved state.
            try """
                {"name": "long", "seed": 5, "data": {"kind": "cifar10", "split": "batch1"}, "model": {"hidden": [8]},
                 "training": {"batch_size": 10, "steps": 600, "momentum": 0.9},
                 "regularizers": [{"name": "dropout", "rate": 0.2}],
                 "augmentations": [{"name": "gaussian_noise", "std": 0.05}],
                 "schedule": {"name": "triangular", "eta_min": 1e-4, "eta_max": 0.02, "step_size": 77, "cycles": 4},
                 "evaluation": {"every": 50}}
                """.write(to: config, atomically: true, encoding: .utf8)
        }

        func arguments(out: String, _ extra: [String] = []) -> [String] {
            ["train", "--config", config.path, "--data", data.path, "--out", root.appending(path: out).path, "--quiet"]
                + extra
        }

        /// Whether the one run under `out` has a complete saved state (`checkpoint/step-N`, not a partial one).
        func hasSavedState(_ out: String) -> Bool {
            guard let run = try? runDirectory(out),
                  let names = try? FileManager.default.contentsOfDirectory(atPath: run.appending(path: "checkpoint").path)
            else { return false }
            return names.contains { $0.hasPrefix("step-") && !$0.contains(".partial") }
        }

        /// The one run directory under `out`.
        func runDirectory(_ out: String) throws -> URL {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appending(path: out).path)
            try #require(names.count == 1)
            return root.appending(path: "\(out)/\(names[0])")
        }
    }

    /// Runs `backprop` to its end: status and standard error.
    func backprop(_ arguments: [String]) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = ExecutablesTests.directory.appending(path: "backprop")
        process.arguments = arguments
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalSavesAndResumeEndsByteIdentical(signal: Int32) throws {
        guard ExecutablesTests.built("backprop") != nil else { return }
        let work = try Work()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let whole = try backprop(work.arguments(out: "whole"))
        #expect(whole.status == 0, "\(whole.error)")

        let process = Process()
        process.executableURL = ExecutablesTests.directory.appending(path: "backprop")
        process.arguments = work.arguments(out: "stopped", ["--checkpoint-every", "1"])
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Signalled once its first state is saved: training has begun, and with it the signal handling.
        let deadline = Date().addingTimeInterval(600)   // a debug build on a loaded machine starts slowly
        while !work.hasSavedState("stopped"), process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        try #require(process.isRunning && work.hasSavedState("stopped"), "the run should be training, with a saved state")
        let run = try work.runDirectory("stopped")
        kill(process.processIdentifier, signal)
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal, "\(message)")
        #expect(message.contains("training interrupted by SIG") && message.contains("backprop train --resume \(run.path)"),
                "\(message)")
        #expect(!FileManager.default.fileExists(atPath: run.appending(path: "metrics.json").path))

        // Without --config: the run's own configuration, from its checkpoint.
        let resumed = try backprop(["train", "--resume", run.path, "--data", work.data.path, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.error)")
        let reference = try work.runDirectory("whole")
        for file in ["history.csv", "metrics.json", "fc1.weight.npy", "fc1.bias.npy", "fc2.weight.npy", "fc2.bias.npy"] {
            let a = try Foundation.Data(contentsOf: reference.appending(path: file))
            let b = try Foundation.Data(contentsOf: run.appending(path: file))
            #expect(a == b, "\(file) differs after \(signal) and --resume")
        }
    }

    @Test func resumeRefusesAnotherConfigAndNeedsACheckpoint() throws {
        guard ExecutablesTests.built("backprop") != nil else { return }
        let work = try Work()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let nothing = try backprop(["train", "--resume", work.data.path])
        #expect(nothing.status == 1 && nothing.error.contains("no checkpoint/"), "\(nothing.error)")
        let neither = try backprop(["train", "--data", work.data.path])
        #expect(neither.status == 64 && neither.error.contains("--resume RUN_DIR"), "\(neither.error)")

        // A run stopped at once (its first state saved), resumed with a changed seed: refused.
        let process = Process()
        process.executableURL = ExecutablesTests.directory.appending(path: "backprop")
        process.arguments = work.arguments(out: "stopped", ["--checkpoint-every", "1"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(600)   // a debug build on a loaded machine starts slowly
        while !work.hasSavedState("stopped"), process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        try #require(work.hasSavedState("stopped"), "the run saved no state before it ended or the deadline")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let run = try work.runDirectory("stopped")
        let refused = try backprop(["train", "--resume", run.path, "--config", work.config.path, "--data", work.data.path,
                                    "--seed", "6"])
        #expect(refused.status == 1 && refused.error.contains("config: seed is 6, not 5"), "\(refused.error)")
    }
}
