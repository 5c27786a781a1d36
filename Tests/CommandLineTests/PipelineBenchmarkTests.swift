import Backprop
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

@Suite("Pipeline benchmark and Assignment2Pipeline")
struct PipelineBenchmarkTests {
    @Test("The synthetic CIFAR-10 is six loadable batch files of the official layout, labels below 10")
    func syntheticData() throws {
        let folder = try makeDatasetFixtureDirectory("pipeline-synthetic")
        defer { try? FileManager.default.removeItem(at: folder) }
        try PipelineBenchmark.writeSyntheticCIFAR10(into: folder, imagesPerFile: 30)
        let splits = try CIFAR10.load(directory: folder, split: .allBatches(validationCount: 10))
        #expect(splits.train.count == 140 && splits.validation.count == 10 && splits.test.count == 30)
        #expect(Set(splits.train.labels).isSubset(of: 0..<10) && Set(splits.train.labels).count > 5)
        // Random pixels, not a constant.
        #expect(Set(splits.test.features.scalars).count > 200)
        // Written again with the same seed: the same bytes.
        let again = try makeDatasetFixtureDirectory("pipeline-synthetic-again")
        defer { try? FileManager.default.removeItem(at: again) }
        try PipelineBenchmark.writeSyntheticCIFAR10(into: again, imagesPerFile: 30)
        for name in ["data_batch_3.bin", "test_batch.bin"] {
            #expect(try Data(contentsOf: folder.appending(path: name)) == Data(contentsOf: again.appending(path: name)))
        }
    }

    @Test("A quick pipeline times its five stages in order and gives each stage's runs")
    func quickPipeline() throws {
        let data = try makeDatasetFixtureDirectory("pipeline-cifar")
        let out = try makeDatasetFixtureDirectory("pipeline-runs")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: out)
        }
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 40, seed: 3, testImages: 20)
        var pipeline = Assignment2Pipeline(seed: 5, quick: true, parallel: 2, dataDirectory: data.path)
        pipeline.progress = .none
        var lines: [String] = []
        let outcome = try pipeline.run(in: out, log: { lines.append($0) })
        #expect(outcome.times.map(\.stage) == ["gradient check", "sanity check", "one cycle + three cycles", "λ search",
                                               "final model"])
        #expect(outcome.times.allSatisfy { $0.seconds >= 0 })
        #expect(zip(outcome.times, outcome.times.dropFirst()).allSatisfy { $0.start + $0.seconds <= $1.start + 1e-6 })
        #expect(outcome.cycles.count == 2 && outcome.sanity != nil && outcome.final != nil)
        #expect(outcome.search?.ranking.count == 5)
        #expect(lines.contains { $0.hasPrefix("best λ = ") })
    }
}
