import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

/// `CheckpointDirectory` gives back exactly what it saved, replaces states as one transaction and refuses
/// another run's or a damaged state by name.
@Suite struct CheckpointDirectoryTests {
    static func identity(seed: Double = 1) -> RunIdentity {
        let data = Dataset(features: Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), labels: [0, 1],
                           classNames: ["a", "b"])
        return RunIdentity(configuration: ["seed": .number(seed), "model": ["hidden": [4]]], precision: "float64",
                           data: DataFingerprint(DataSplits(train: data, validation: data, test: data)),
                           standardizer: Standardizer(mean: [0.5, 1.0 / 3, -2], standardDeviation: [1, 0.1, 7]))
    }

    static func state(step: Int) -> TrainingState<Double> {
        var generator = SeededGenerator(seed: 99)
        let epochStart = generator
        _ = generator.next()
        var history = TrainingHistory(learningRates: (0..<step).map { 0.1 / Double($0 + 3) })
        history.evaluations = [EvaluationRecord(
            step: 0, epoch: 0, learningRate: 1.0 / 3,
            train: Metrics(loss: .nan, cost: .infinity, accuracy: 0.1 + 0.2), validation: nil)]
        history.notes = ["a note"]
        return TrainingState(
            step: step, epochsDone: 1, epochStart: epochStart, generator: generator, dropout: generator.split(),
            trainSubset: [1, 0], history: history,
            parameters: [Tensor<Double>(shape: [2, 2], scalars: [0.1, -3 * Double.leastNonzeroMagnitude, .pi, 1 / 3])],
            buffers: [Tensor<Double>(shape: [1, 2], scalars: [0.7, -1e-300]), Tensor<Double>(shape: [1, 2], scalars: [2, 3])],
            optimizer: [Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4])],
            observers: [nil, ObserverState(numbers: [-.infinity, 7], tensors: [Tensor<Double>(shape: [1], scalars: [5])])])
    }

    @Test func givesBackExactlyWhatItSaved() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = CheckpointDirectory(folder.url.appending(path: "checkpoint"))
        #expect(!store.hasState)
        #expect(try store.load(as: Double.self, identity: Self.identity()) == nil)
        let saved = Self.state(step: 5)
        try store.save(saved, identity: Self.identity())
        let loaded = try #require(try store.load(as: Double.self, identity: Self.identity()))
        #expect(loaded.step == 5 && loaded.epochsDone == 1 && loaded.trainSubset == [1, 0])
        #expect(loaded.epochStart == saved.epochStart && loaded.generator == saved.generator && loaded.dropout == saved.dropout)
        #expect(loaded.parameters == saved.parameters && loaded.optimizer == saved.optimizer)
        #expect(loaded.buffers == saved.buffers && loaded.buffers.count == 2)
        #expect(loaded.observers == saved.observers)
        #expect(loaded.history.learningRates == saved.history.learningRates && loaded.history.notes == ["a note"])
        let metrics = try #require(loaded.history.evaluations.first?.train)
        #expect(metrics.loss.isNaN && metrics.cost == .infinity && metrics.accuracy == 0.1 + 0.2)
        #expect(try store.savedIdentity() == Self.identity())
    }

    @Test func aCheckpointWrittenBeforeBuffersExistedLoadsWithNone() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = CheckpointDirectory(folder.url)
        var state = Self.state(step: 2)
        state.buffers = []
        try store.save(state, identity: Self.identity())
        let manifest = folder.url.appending(path: "step-2/state.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        #expect(text.contains("\"buffers\" : 0,"))
        try text.replacingOccurrences(of: "\"buffers\" : 0,", with: "").write(to: manifest, atomically: true, encoding: .utf8)
        #expect(try store.load(as: Double.self, identity: Self.identity())?.buffers == [])
    }

    @Test func aNewStateReplacesTheOldAndLeftoversGo() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = CheckpointDirectory(folder.url)
        try store.save(Self.state(step: 3), identity: Self.identity())
        // What a save killed before its rename leaves.
        try FileManager.default.createDirectory(at: folder.url.appending(path: "step-9.partial-123"), withIntermediateDirectories: true)
        #expect(try store.load(as: Double.self, identity: Self.identity())?.step == 3)
        try store.save(Self.state(step: 4), identity: Self.identity())
        #expect(try folder.contents() == ["step-4"])
        #expect(try store.load(as: Double.self, identity: Self.identity())?.step == 4)
    }

    @Test func anotherRunIsRefusedSayingWhatDiffers() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = CheckpointDirectory(folder.url)
        try store.save(Self.state(step: 2), identity: Self.identity())
        #expect(throws: CheckpointMismatch(path: folder.url.appending(path: "step-2").path,
                                           differences: ["config: seed is 2, not 1"])) {
            try store.load(as: Double.self, identity: Self.identity(seed: 2))
        }
        var otherPreprocessing = Self.identity()
        otherPreprocessing.standardizer.standardDeviation[1] = 0.2
        #expect { try store.load(as: Double.self, identity: otherPreprocessing) } throws: { error in
            "\(error)".contains("the standardiser's deviation of feature 1 is 0.2, not 0.1")
        }
    }

    @Test func damagedFilesAreErrorsNamingThem() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = CheckpointDirectory(folder.url)
        try store.save(Self.state(step: 2), identity: Self.identity())
        let state = folder.url.appending(path: "step-2/state.json")
        let text = try String(contentsOf: state, encoding: .utf8)
        for damaged in [String(text.prefix(40)), text.replacingOccurrences(of: "\"parameters\" : 1", with: "\"parameters\" : -1"),
                        text.replacingOccurrences(of: "\"parameters\" : 1", with: "\"parameters\" : 2")] {
            try damaged.write(to: state, atomically: true, encoding: .utf8)
            #expect { try store.load(as: Double.self, identity: Self.identity()) } throws: { error in
                "\(error)".contains("step-2/")
            }
        }
    }
}
