import Backprop
import BackpropCommandLine
import BackpropTestSupport
import Foundation
import Testing

/// A search stopped mid-trial (a signal, a requeued cluster task) continues each trial from its saved
/// state and ends with the figures of a search never stopped (issue 16).
@Suite struct SearchResumeTests {
    /// Counts pause requests from any thread, saying yes from the `after`-th on.
    final class PauseAfter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        let after: Int
        init(_ after: Int) { self.after = after }
        func ask() -> Bool { lock.withLock { count += 1; return count >= after } }
    }

    @Test func aPausedSearchResumesItsTrialsToTheSameFigures() throws {
        let data = try makeDatasetFixtureDirectory("search-resume-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 40, seed: 6, testImages: 20)
        let (splits, standardizer) = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data")
            .loadStandardized(relativeTo: data)
        let experiment = Experiment<Float>(
            name: "resumed-search", seed: 1, data: splits, standardizer: standardizer,
            model: ModelBuilder { inputs, rng in
                Linear<Float>(inputs.featureCount, 6, generator: &rng, name: "fc1")
                ReLU<Float>()
                Dropout<Float>(rate: 0.2)
                Linear<Float>(6, inputs.classCount, generator: &rng, name: "fc2")
            },
            schedule: SchedulePlan(TriangularSchedule(minRate: 1e-4, maxRate: 0.05, stepSize: 5, cycles: 2)),
            optimizer: SGD(momentum: 0.9), batchSize: 10)
        let search = LambdaSearch(name: "resumed", exponents: -3 ... -1, coarse: .grid(2), fine: .grid(1), fineTop: 1)
        func session(in out: URL) throws -> SearchSession {
            var session = try SearchSession(search: search, base: out) { trial in
                var run = experiment
                run.regularizers = [L2Regularizer(lambda: trial.lambda)]
                return run
            }
            session.parallel = 1
            session.checkpointEvery = 3
            return session
        }
        let whole = try session(in: makeDatasetFixtureDirectory("search-whole"))
        _ = try whole.run(.all)

        let out = try makeDatasetFixtureDirectory("search-paused")
        var paused = try session(in: out)
        let lines = LockedLines()
        paused.log = { lines.append($0) }
        // Paused in the second coarse trial (20 updates each), at its 7th update.
        let pause = PauseAfter(27)
        paused.pauseRequested = { pause.ask() }
        #expect(throws: TrainingPaused.self) { try paused.run(.all) }
        #expect(paused.outcomes("coarse").count == 1)
        let checkpoint = paused.directory.appending(path: "coarse/coarse-01/checkpoint")
        #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoint.path) == ["step-7"])

        var resumed = try session(in: out)
        resumed.log = { lines.append($0) }
        _ = try resumed.run(.all)
        #expect(lines.all.contains("coarse-01: resuming from its state at step 7"), "\(lines.all)")
        #expect(!FileManager.default.fileExists(atPath: checkpoint.path))
        func figures(_ session: SearchSession) -> [[Double]] {
            session.ranking.map { [$0.trial.lambda, $0.validationAccuracy, $0.trainAccuracy, $0.finalCost] }
        }
        #expect(figures(resumed) == figures(whole) && figures(whole).count == 3)
        for file in ["history.csv", "metrics.json", "fc1.weight.npy"] {
            let a = try Foundation.Data(contentsOf: whole.directory.appending(path: "coarse/coarse-01/\(file)"))
            let b = try Foundation.Data(contentsOf: resumed.directory.appending(path: "coarse/coarse-01/\(file)"))
            #expect(a == b, "\(file)")
        }
    }

    final class LockedLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }
}
