import Backprop
import BackpropCommandLine
import BackpropTestSupport
import Foundation
import Testing

/// Searches and runs that used to go wrong (issue 14): a diverged trial, a name that leads out of
/// `--out`, two runs started in the same second.
@Suite struct SearchRobustnessTests {
    func experiment(rate: Double) throws -> Experiment<Float> {
        let data = try makeDatasetFixtureDirectory("robust-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 40, seed: 6, testImages: 20)
        let (splits, standardizer) = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data")
            .loadStandardized(relativeTo: data)
        return Experiment<Float>(
            name: "robust", seed: 1, data: splits, standardizer: standardizer,
            model: ModelBuilder { inputs, rng in
                Linear<Float>(inputs.featureCount, 6, generator: &rng, name: "fc1")
                ReLU<Float>()
                Linear<Float>(6, inputs.classCount, generator: &rng, name: "fc2")
            },
            schedule: SchedulePlan(ConstantSchedule(rate: rate)), batchSize: 20, length: .steps(8))
    }

    @Test func aDivergedTrialIsRecordedAndTheSearchFinishes() throws {
        let diverging = try experiment(rate: 1e12)
        let search = LambdaSearch(name: "diverging", exponents: -3 ... -1, coarse: .grid(2), fine: .grid(1), fineTop: 1)
        let out = try makeDatasetFixtureDirectory("robust-search")
        var session = try SearchSession(search: search, base: out) { trial in
            var run = diverging
            run.regularizers = [L2Regularizer(lambda: trial.lambda)]
            return run
        }
        session.log = { _ in }
        let outcomes = try session.run(.all)
        #expect(outcomes.count == 3)   // both coarse trials, then the fine one
        #expect(session.outcomes("coarse").allSatisfy { !$0.finalCost.isFinite })
        let text = try String(contentsOf: session.directory.appending(path: "coarse/coarse-00/trial.json"), encoding: .utf8)
        #expect(text.contains("\"nan\"") || text.contains("\"inf\"") || text.contains("\"-inf\""))
        // Run again: nothing is trained twice.
        let again = try SearchSession(search: search, base: out) { _ in
            Issue.record("a finished trial was trained again")
            return diverging
        }
        #expect(try again.run(.coarse).count == 2)
    }

    @Test func aSearchNameCannotLeadOutOfItsDirectory() throws {
        let out = try makeDatasetFixtureDirectory("robust-escape").appending(path: "inner")
        let search = LambdaSearch(name: "../../escaped", exponents: -3 ... -1, coarse: .grid(1))
        let session = try SearchSession(search: search, base: out) { _ in try experiment(rate: 0.01) }
        #expect(session.directory.deletingLastPathComponent().standardizedFileURL.path == out.standardizedFileURL.path)
        #expect(session.directory.lastPathComponent == "..-..-escaped")
        #expect(RunDirectory.safeName("..") == "run" && RunDirectory.safeName("a/b") == "a-b")
    }

    @Test func runsStartedInTheSameSecondGetTheirOwnDirectories() throws {
        let base = try makeDatasetFixtureDirectory("robust-runs")
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let made = ParallelWork.map(Array(0..<12), maxConcurrent: 4) { _ in
            try RunDirectory.create(under: base, name: "same", date: date).path
        }
        let paths = try made.map { try $0.get() }
        #expect(Set(paths).count == 12)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).count == 12)
    }

    /// A search resumed on other data is refused with what differs (issue 14, defect 3).
    @Test func aSearchResumedOnOtherDataIsRefusedWithWhatDiffers() throws {
        func splits(seed: UInt64) throws -> (DataSplits, Standardizer) {
            let data = try makeDatasetFixtureDirectory("provenance")
            try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 40, seed: seed, testImages: 20)
            return try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data")
                .loadStandardized(relativeTo: data)
        }
        let config = try LambdaSearchConfig(json: [
            "name": "provenance", "l_min": -3, "l_max": -1, "coarse": ["grid": 2],
            "experiment": [
                "data": ["kind": "cifar10", "split": "batch1"], "model": ["hidden": [4]],
                "training": ["batch_size": 10, "steps": 2], "schedule": ["name": "constant", "eta": 0.01],
            ],
        ])
        let out = try makeDatasetFixtureDirectory("provenance-search")
        let (first, firstStandardizer) = try splits(seed: 1)
        _ = try SearchSession(config: config, base: out, splits: first, standardizer: firstStandardizer)
        // The same data again: accepted.
        _ = try SearchSession(config: config, base: out, splits: first, standardizer: firstStandardizer)
        let (other, otherStandardizer) = try splits(seed: 2)
        #expect { try SearchSession(config: config, base: out, splits: other, standardizer: otherStandardizer) } throws: {
            "\($0)".contains("holds trials trained on other data or code: the training set holds other examples")
        }
        var fewer = first
        fewer.train = first.train.prefix(10)
        #expect { try SearchSession(config: config, base: out, splits: fewer, standardizer: firstStandardizer) } throws: {
            "\($0)".contains("the training set has 10 examples, not ")
        }
    }
}
