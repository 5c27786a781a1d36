import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

/// A run paused at any step and resumed in a new `Experiment` ends with the files of the run never
/// paused, byte for byte (issue 13, item 5).
@Suite struct ResumeTests {
    /// Momentum, dropout, both augmentations, a triangular schedule of 2 × 7 steps per cycle over 2 cycles,
    /// keep-best and early stopping with a patience it never reaches, and a training-metric subset.
    static let configuration: JSONValue = [
        "name": "resumed", "seed": 11,
        "data": ["kind": "cifar10", "split": "batch1"],
        "model": ["hidden": [6]],
        "training": [
            "batch_size": 12, "momentum": 0.9, "shuffle": true, "keep_best": "validation_loss",
            "early_stopping": ["metric": "validation_loss", "patience": 50],
        ],
        "schedule": ["name": "triangular", "eta_min": 1e-4, "eta_max": 0.05, "step_size": 7, "cycles": 2],
        "regularizers": [["name": "l2", "lambda": 0.001], ["name": "dropout", "rate": 0.25]],
        "augmentations": [["name": "gaussian_noise", "std": 0.1], ["name": "horizontal_flip", "probability": 0.5]],
        "evaluation": ["every": 4, "train_subset": 30],
    ]

    /// The files a resumed run must reproduce exactly.
    static func comparedFiles(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0 == "history.csv" || $0 == "metrics.json" || $0.hasSuffix(".npy") }
            .sorted()
    }

    /// The state saved in the run directory `directory`, read under its own identity.
    static func savedState(in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> TrainingState<Float> {
        let store = ExperimentSession.checkpoint(of: directory)
        let identity = try #require(try store.savedIdentity(), sourceLocation: sourceLocation)
        return try #require(try store.load(as: Float.self, identity: identity), sourceLocation: sourceLocation)
    }

    /// Expects `resumed` to hold `files` of `whole`, and exactly those, byte for byte; `when` says
    /// where the run was paused, for the failure message.
    static func expectSameFiles(
        _ files: [String], in resumed: URL, as whole: URL, when: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(try comparedFiles(in: resumed) == files, sourceLocation: sourceLocation)
        for file in files {
            let a = try Foundation.Data(contentsOf: whole.appending(path: file))
            let b = try Foundation.Data(contentsOf: resumed.appending(path: file))
            #expect(a == b, "\(file) differs after a pause \(when)", sourceLocation: sourceLocation)
        }
    }

    struct Fixture {
        var experiment: any TrainingRun
        var out: URL
        var data: URL

        init(_ json: JSONValue = ResumeTests.configuration, dataSeed: UInt64 = 3) throws {
            data = try makeDatasetFixtureDirectory("resume-data")
            try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 80, seed: dataSeed, testImages: 30)
            let config = try ExperimentConfig(json: json)
            let (splits, standardizer) = try ExperimentSession.loadData(config.data, override: data.path)
            experiment = try config.experiment(splits: splits, standardizer: standardizer)
            out = try makeDatasetFixtureDirectory("resume-runs")
        }

        /// Runs until `pauseAfter` updates, saving there, into a new run directory.
        func paused(after pauseAfter: Int, interval: Int = 0) throws -> URL {
            let directory = try RunDirectory.create(under: out, name: "paused-\(pauseAfter)")
            let updates = Counter()
            let plan = CheckpointPlan(
                store: ExperimentSession.checkpoint(of: directory), interval: interval,
                pauseRequested: { updates.next() >= pauseAfter })
            #expect(throws: TrainingPaused.self) { try experiment.run(progress: .none, onEvaluation: nil, checkpoints: plan) }
            return directory
        }
    }

    /// Counts calls (a pause request asked once per update), from any thread.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func next() -> Int { lock.withLock { count += 1; return count } }
    }

    @Test(arguments: [1, 6, 7, 13, 20, 28])
    func aRunPausedAtAnyStepEndsBitIdentical(pauseAfter: Int) throws {
        let fixture = try Fixture()
        let (whole, wholeDirectory) = try ExperimentSession.run(fixture.experiment, outputBase: fixture.out, progress: .none)
        #expect(whole.totalSteps == 28 && whole.history.stop == nil)

        let directory = try fixture.paused(after: pauseAfter)
        #expect(ExperimentSession.checkpoint(of: directory).hasState)
        let (resumed, _) = try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none)
        #expect(resumed.history == whole.history)
        #expect(!FileManager.default.fileExists(atPath: directory.appending(path: "checkpoint").path))

        let files = try Self.comparedFiles(in: wholeDirectory)
        #expect(files.contains("history.csv") && files.contains("metrics.json") && files.contains("fc1.weight.npy"))
        try ResumeTests.expectSameFiles(files, in: directory, as: wholeDirectory, when: "at step \(pauseAfter)")
    }

    @Test func aPeriodicCheckpointAloneResumesAsWell() throws {
        // Saved every 5 updates, paused (as a kill would stop it) at 13: the state saved at 13 replaces that
        // of 10; a kill at 13 would leave that of 10, which is what `paused(after: 10)` saves.
        let fixture = try Fixture()
        let directory = try fixture.paused(after: 13, interval: 5)
        let steps = try FileManager.default.contentsOfDirectory(atPath: directory.appending(path: "checkpoint").path)
        #expect(steps == ["step-13"])
        let state: TrainingState<Float>? = try Self.savedState(in: directory)
        #expect(state?.step == 13 && state?.history.learningRates.count == 13)
        #expect(state?.optimizer.count == 2 * 2, "SGD with momentum keeps a velocity per parameter")
    }

    @Test func resumingAnotherConfigurationOrDataIsRefusedSayingWhatDiffers() throws {
        let fixture = try Fixture()
        let directory = try fixture.paused(after: 5)

        guard case .object(var root) = Self.configuration, case .object(var training)? = root["training"] else { return }
        training["batch_size"] = 10
        root["training"] = .object(training)
        let other = try Fixture(.object(root))
        #expect {
            try ExperimentSession.resume(other.experiment, in: directory, progress: .none)
        } throws: { error in
            "\(error)".contains("training.batch_size is 10, not 12") && "\(error)".contains(directory.path)
        }

        let otherData = try Fixture(dataSeed: 4)
        #expect {
            try ExperimentSession.resume(otherData.experiment, in: directory, progress: .none)
        } throws: { error in
            "\(error)".contains("data: the training set holds other examples or labels")
        }
        // Refused without touching the checkpoint: the right run still resumes.
        _ = try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none)
    }

    @Test func aDamagedCheckpointIsAnErrorNamingTheFile() throws {
        let fixture = try Fixture()
        let directory = try fixture.paused(after: 6)
        let step = directory.appending(path: "checkpoint/step-6")

        let state = step.appending(path: "state.json")
        let saved = try Foundation.Data(contentsOf: state)
        try Foundation.Data("{\"format\": \"backprop-checkpoint\", \"version\": 1".utf8).write(to: state)
        #expect { try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none) } throws: { error in
            "\(error)".contains(state.path) && "\(error)".contains("not a Backprop checkpoint")
        }
        try Foundation.Data(String(decoding: saved, as: UTF8.self).replacingOccurrences(
            of: "\"version\" : 1", with: "\"version\" : 7").utf8).write(to: state)
        #expect { try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none) } throws: { error in
            "\(error)".contains(state.path) && "\(error)".contains("version 7")
        }
        try saved.write(to: state)

        let weight = step.appending(path: "parameter-0.npy")
        try Foundation.Data(try Foundation.Data(contentsOf: weight).prefix(200)).write(to: weight)
        #expect { try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none) } throws: { error in
            "\(error)".contains(weight.path)
        }
        // A parameter of another shape: the checkpoint names the parameter, no trap.
        try NumpyFile.write(Tensor<Float>(zeros: [3, 3]), to: weight)
        #expect { try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none) } throws: { error in
            "\(error)".contains("damaged") && "\(error)".contains("fc1.weight")
        }
    }

    @Test func aFinishedRunOrAnotherFolderHasNothingToResume() throws {
        let fixture = try Fixture()
        let (_, directory) = try ExperimentSession.run(fixture.experiment, outputBase: fixture.out, progress: .none)
        #expect { try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none) } throws: { error in
            "\(error)".contains("finished run") && "\(error)".contains(directory.path)
        }
        #expect { try ExperimentSession.resume(fixture.experiment, in: fixture.data, progress: .none) } throws: { error in
            "\(error)".contains("no checkpoint/")
        }
    }
}
