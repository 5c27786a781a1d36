import Backprop
import Testing

/// A fit resumed from a `TrainingState` ends bit for bit as the uninterrupted fit (issue 13, item 5):
/// momentum, dropout, Gaussian noise, a cyclical rate, keep-best and early stopping all on, resumed at odd
/// steps in the middle of an epoch and of a cycle, and at an epoch's end.
@Suite struct TrainerResumeTests {
    struct Outcome: Equatable {
        var history: TrainingHistory
        var parameters: [[Float]]
    }

    func model() -> Sequential<Float> {
        var rng = SeededGenerator(seed: 21)
        return Sequential([
            Linear<Float>(12, 16, generator: &rng, name: "fc1"), ReLU<Float>(), Dropout<Float>(rate: 0.3),
            Linear<Float>(16, 4, generator: &rng, name: "fc2"),
        ])
    }

    func trainer(_ model: Sequential<Float>) -> Trainer<Float> {
        let trainer = Trainer(
            model: model, optimizer: SGD<Float>(momentum: 0.9),
            schedule: TriangularSchedule(minRate: 1e-3, maxRate: 0.05, stepSize: 9),
            regularizers: [L2Regularizer(lambda: 0.01)], augmentations: [GaussianNoise(standardDeviation: 0.2)],
            batchSize: 15)
        trainer.progress = .none
        trainer.trainEvaluationSubset = 40
        return trainer
    }

    func observers() -> [any TrainingObserver<Float>] {
        [KeepBest<Float>(metric: .validationLoss), EarlyStopping<Float>(metric: .validationLoss, patience: 50)]
    }

    @Test(arguments: [7, 13, 29, 30])
    func resumedFitEndsAsTheUninterruptedOne(at step: Int) throws {
        let train = TrainerTests.blobs(count: 90, seed: 8), validation = TrainerTests.blobs(count: 30, seed: 9)
        var states: [Int: TrainingState<Float>] = [:]
        let whole = model()
        var generator = SeededGenerator(seed: 5)
        let history = trainer(whole).fit(
            train: train, validation: validation, steps: 50, evaluationInterval: 4, generator: &generator,
            observers: observers(), checkpointEvery: 1) { states[$0.step] = $0 }
        let expected = Outcome(history: history, parameters: whole.parameters.map(\.value.scalars))

        let state = try #require(states[step])
        #expect(state.optimizer.count == 4, "the momentum buffers are in the state")
        let resumed = model()
        var other = SeededGenerator(seed: 999)   // replaced by the state's
        let rest = trainer(resumed).fit(
            train: train, validation: validation, steps: 50, evaluationInterval: 4, generator: &other,
            observers: observers(), resumingFrom: state)
        #expect(Outcome(history: rest, parameters: resumed.parameters.map(\.value.scalars)) == expected)
        #expect(rest.notes == history.notes && !history.notes.isEmpty)
    }

    @Test func withoutItsStateTheMomentumWouldDiffer() throws {
        // The test above could pass vacuously if the optimiser's state did not matter: dropping it must
        // change the result.
        let train = TrainerTests.blobs(count: 90, seed: 8), validation = TrainerTests.blobs(count: 30, seed: 9)
        var states: [Int: TrainingState<Float>] = [:]
        let whole = model()
        var generator = SeededGenerator(seed: 5)
        _ = trainer(whole).fit(train: train, validation: validation, steps: 50, evaluationInterval: 4,
                               generator: &generator, observers: observers(), checkpointEvery: 13) { states[$0.step] = $0 }
        var state = try #require(states[13])
        state.optimizer = []
        let resumed = model()
        var other = SeededGenerator(seed: 999)
        _ = trainer(resumed).fit(train: train, validation: validation, steps: 50, evaluationInterval: 4,
                                 generator: &other, observers: observers(), resumingFrom: state)
        #expect(resumed.parameters.map(\.value.scalars) != whole.parameters.map(\.value.scalars))
    }
}
