import Backprop
import BackpropCommandLine
import BackpropTestSupport
import Foundation
import Testing

/// The built executables, run as a user runs them: output streams and exit statuses.
@Suite("Every executable's --help, --version and errors")
struct ExecutablesTests {
    /// The executables beside the test bundle (SwiftPM builds them for the tests that import them).
    static let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    /// The built executable `program` beside the tests, or nil after recording that it is missing.
    static func built(_ program: String) -> URL? {
        let url = directory.appending(path: program)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            Issue.record("\(program) is not built beside the tests in \(directory.path)")
            return nil
        }
        return url
    }

    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    func run(_ program: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.directory.appending(path: program)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                       error: String(decoding: err, as: UTF8.self))
    }

    @Test(arguments: ["backprop", "Assignment1", "Assignment2", "CustomSchedule"])
    func helpVersionAndUsageErrors(program: String) throws {
        guard Self.built(program) != nil else { return }
        let help = try run(program, ["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("USAGE: \(program)"))
        #expect(help.error.isEmpty)
        #expect(!help.output.contains("See '\(program) --help'"))

        let version = try run(program, ["--version"])
        #expect(version.status == 0 && version.output == BackpropVersion.current + "\n")

        let wrong = try run(program, ["--hepl"])
        #expect(wrong.status == 64)
        #expect(wrong.output.isEmpty)
        #expect(wrong.error.hasPrefix("error: unknown ") && wrong.error.contains("Did you mean '"), "\(wrong.error)")
    }

    @Test func backpropCommandsExitAsDocumented() throws {
        guard Self.built("backprop") != nil else { return }
        let missing = try run("backprop", [])
        #expect(missing.status == 64 && missing.error.hasPrefix("error: name a command: train, evaluate, predict, compare, runs, search,"))
        let trainHelp = try run("backprop", ["train", "--help"])
        #expect(trainHelp.status == 0 && trainHelp.output.contains("USAGE: backprop train ") && trainHelp.output.contains("--resume RUN_DIR"))
        let version = try run("backprop", ["version"])
        #expect(version.status == 0 && version.output == BackpropVersion.current + "\n")
        let failed = try run("backprop", ["train", "--config", "/nonexistent/experiment.json"])
        #expect(failed.status == 1 && failed.error.hasPrefix("error: "), "\(failed.error)")
        let schedule = try run("backprop", ["schedule", "constant", "--eta", "0.5", "--steps", "2"])
        #expect(schedule.status == 0 && schedule.output == "step,learning_rate\n0,0.5\n1,0.5\n")
    }

    /// A long run's output redirected to a file, killed: its finished lines are in the file (standard
    /// output is line-buffered, not block-buffered, when it is not a terminal).
    @Test func aKilledRunLeavesItsFinishedLinesInARedirectedLog() throws {
        guard Self.built("backprop") != nil else { return }
        let log = FileManager.default.temporaryDirectory.appending(path: "backprop-log-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = Self.directory.appending(path: "backprop")
        // Many epochs of a small set: it prints its machine line at once, then works for minutes.
        process.arguments = ["bench", "--epoch-only", "--examples", "100", "--epochs", "10000000", "--threads", "1"]
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("machine: "), process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        #expect(process.isRunning, "the bench should still be running when its first line is read")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("machine: "), "log after SIGKILL: '\(text)'")
    }

    /// A diverged training exits with status 3 after writing its report (issue 14, defect 8).
    @Test func aDivergedTrainingExitsWithItsOwnStatusAndKeepsItsReport() throws {
        guard let backprop = Self.built("backprop") else { return }
        let work = try makeDatasetFixtureDirectory("diverged")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appending(path: "data")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 40, seed: 5, testImages: 20)
        let config = """
            {"name": "diverging", "seed": 1, "data": {"kind": "cifar10", "split": "batch1"},
             "model": {"hidden": [8]}, "training": {"batch_size": 10, "steps": 40},
             "schedule": {"name": "constant", "eta": 1e12}}
            """
        let file = work.appending(path: "diverging.json")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = backprop
        process.arguments = ["train", "--config", file.path, "--data", data.path, "--out", work.appending(path: "runs").path,
                             "--quiet", "--checkpoint-every", "1"]
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 3, "\(message)")
        #expect(message.hasPrefix("error: training diverged at step "), "\(message)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: work.appending(path: "runs").path)
        #expect(runs.count == 1)
        let run = work.appending(path: "runs/\(runs.first ?? "")")
        #expect(try String(contentsOf: run.appending(path: "metrics.json"), encoding: .utf8).contains("\"diverged_at_step\""))
        // Its last good state stays in checkpoint/: finite parameters, before the step that diverged.
        let saved = try FileManager.default.contentsOfDirectory(atPath: run.appending(path: "checkpoint").path)
        #expect(saved.count == 1 && saved[0].hasPrefix("step-"), "\(saved)")
        let state = run.appending(path: "checkpoint/\(saved.first ?? "")")
        let files = try FileManager.default.contentsOfDirectory(atPath: state.path)
        #expect(files.contains("state.json") && files.contains("parameter-0.npy"), "\(files)")
        for file in files where file.hasPrefix("parameter-") {
            let values = try NumpyFile.read(state.appending(path: file), as: Double.self)
            #expect(values.sumOfSquares().isFinite, "\(file)")
        }
    }

    /// Off a terminal, training prints one plain progress line per evaluation on standard output.
    @Test func progressIsOneLinePerEvaluationInALog() throws {
        guard Self.built("backprop") != nil else { return }
        let work = try makeDatasetFixtureDirectory("progress")
        defer { try? FileManager.default.removeItem(at: work) }
        try writeCIFAR10BinaryFixture(to: work.appending(path: "data"), imagesPerBatch: 40, seed: 5, testImages: 20)
        try """
            {"name": "logged", "seed": 1, "data": {"kind": "cifar10", "split": "batch1"}, "model": {"hidden": [8]},
             "training": {"batch_size": 10, "steps": 40}, "schedule": {"name": "constant", "eta": 0.01},
             "evaluation": {"every": 10}}
            """.write(to: work.appending(path: "c.json"), atomically: true, encoding: .utf8)
        let outcome = try run("backprop", ["train", "--config", work.appending(path: "c.json").path, "--data",
                                           work.appending(path: "data").path, "--out", work.appending(path: "runs").path])
        #expect(outcome.status == 0, "\(outcome.error)")
        let progress = outcome.output.split(separator: "\n").filter { $0.hasPrefix("logged step ") }
        #expect(progress.map { $0.split(separator: " ")[2] } == ["0/40", "10/40", "20/40", "30/40", "40/40"], "\(outcome.output)")
        #expect(progress.allSatisfy { $0.contains(" cost ") && $0.contains(" left") })
        #expect(!outcome.error.contains("\u{1B}[K"))

        // --progress chooses: none prints no progress at all, bar redraws one line on standard error.
        let arguments = ["train", "--config", work.appending(path: "c.json").path, "--data", work.appending(path: "data").path,
                         "--out", work.appending(path: "runs").path, "--progress"]
        let none = try run("backprop", arguments + ["none"])
        #expect(none.status == 0 && !none.output.contains("logged step") && !none.error.contains("logged step"))
        let bar = try run("backprop", arguments + ["bar"])
        #expect(bar.status == 0 && !bar.output.contains("logged step") && bar.error.contains("\u{1B}[K"), "\(bar.error)")
    }

    /// Two `train` processes of one experiment name started at once get a run directory each, with their
    /// own metrics and weights (issue 14, defect 3: they shared one, and files of one run landed in the
    /// other's).
    @Test func twoTrainingsStartedAtOnceGetTheirOwnRunDirectories() throws {
        guard let backprop = Self.built("backprop") else { return }
        let work = try makeDatasetFixtureDirectory("race")
        defer { try? FileManager.default.removeItem(at: work) }
        try writeCIFAR10BinaryFixture(to: work.appending(path: "data"), imagesPerBatch: 40, seed: 5, testImages: 20)
        try """
            {"name": "same", "seed": 1, "data": {"kind": "cifar10", "split": "batch1"}, "model": {"hidden": [8]},
             "training": {"batch_size": 10, "steps": 20}, "schedule": {"name": "constant", "eta": 0.01}}
            """.write(to: work.appending(path: "c.json"), atomically: true, encoding: .utf8)
        let processes = try (1...2).map { seed in
            let process = Process()
            process.executableURL = backprop
            process.arguments = ["train", "--config", work.appending(path: "c.json").path, "--data",
                                 work.appending(path: "data").path, "--out", work.appending(path: "runs").path,
                                 "--seed", "\(seed)", "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        let runs = try FileManager.default.contentsOfDirectory(atPath: work.appending(path: "runs").path).sorted()
        #expect(runs.count == 2, "\(runs)")
        // Each directory's metrics name the seed its weights were trained with, and the two differ.
        let seeds = try runs.map { run in
            guard case .object(let metrics) = try JSONValue(contentsOf: work.appending(path: "runs/\(run)/metrics.json")),
                  case .number(let seed)? = metrics["seed"] else { return 0.0 }
            return seed
        }
        #expect(Set(seeds) == [1, 2], "\(runs)")
        let weights = try runs.map { try NumpyFile.read(work.appending(path: "runs/\($0)/fc1.weight.npy"), as: Float.self) }
        #expect(weights.count == 2 && weights[0] != weights[1])
    }
}
