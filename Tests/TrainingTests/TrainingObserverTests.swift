import Backprop
import BackpropTestSupport
import Foundation
import Testing

/// Records every event, and stops after `stopAfter` updates when set.
final class Recorder: TrainingObserver {
    var updates: [Int] = []
    var evaluations: [Int] = []
    var epochs: [(epoch: Int, step: Int)] = []
    var ended: Int?
    let stopAfter: Int?
    init(stopAfter: Int? = nil) { self.stopAfter = stopAfter }

    func didUpdate(step: Int, loss: Double) -> TrainingDecision {
        updates.append(step)
        return step == stopAfter ? .stop(StopReason("recorder: \(step) steps are enough")) : .continue
    }
    func didEvaluate(_ record: EvaluationRecord, parameters: [Parameter<Float>]) -> TrainingDecision {
        evaluations.append(record.step)
        return .continue
    }
    func didFinishEpoch(_ epoch: Int, step: Int) -> TrainingDecision {
        epochs.append((epoch, step))
        return .continue
    }
    func didEnd(step: Int, parameters: [Parameter<Float>]) -> String? {
        ended = step
        return "recorder ended at \(step)"
    }
}

@Suite struct TrainingObserverTests {
    func trainer(rate: any LearningRateSchedule, seed: UInt64 = 5) -> (Trainer<Float>, Dataset, Dataset) {
        var rng = SeededGenerator(seed: seed)
        let model: Sequential<Float> = ModelSpec(hidden: [8]).makeModel(inputs: 12, classes: 4, generator: &rng)
        let trainer = Trainer(model: model, schedule: rate, batchSize: 20)
        trainer.progress = .none
        return (trainer, TrainerTests.blobs(count: 200, seed: 1), TrainerTests.blobs(count: 100, seed: 2))
    }

    @Test func observersSeeEveryEventAndOneCanStopTheRun() {
        let (trainer, train, validation) = trainer(rate: ConstantSchedule(rate: 0.05))
        let recorder = Recorder(stopAfter: 23)
        var rng = SeededGenerator(seed: 1)
        let history = trainer.fit(train: train, validation: validation, steps: 100, evaluationInterval: 10,
                                  generator: &rng, observers: [recorder])
        #expect(recorder.updates == Array(1...23))
        // Evaluations at 0, 10, 20, and once more where the run stopped.
        #expect(recorder.evaluations == [0, 10, 20, 23])
        #expect(history.evaluations.map(\.step) == [0, 10, 20, 23])
        // 200 examples in batches of 20: an epoch is 10 steps.
        #expect(recorder.epochs.map(\.epoch) == [1, 2] && recorder.epochs.map(\.step) == [10, 20])
        #expect(history.learningRates.count == 23)
        #expect(history.stop == TrainingStop(step: 23, reason: StopReason("recorder: 23 steps are enough")))
        #expect(recorder.ended == 23 && history.notes == ["recorder ended at 23"])
        #expect(history.divergedAtStep == nil)
    }

    @Test func earlyStoppingFiresAfterItsPatience() {
        // A rate of zero never improves anything: stopped at the second evaluation after the first.
        let (trainer, train, validation) = trainer(rate: ConstantSchedule(rate: 0))
        var rng = SeededGenerator(seed: 1)
        let history = trainer.fit(
            train: train, validation: validation, steps: 1000, evaluationInterval: 10, generator: &rng,
            observers: [EarlyStopping<Float>(metric: .validationLoss, patience: 2)])
        #expect(history.stop?.step == 20)
        #expect(history.stop?.reason.message.hasPrefix("early stopping: validation loss has not improved") == true)
        #expect(history.learningRates.count == 20)

        // A learning model is not stopped by a patience it keeps beating.
        let (learner, _, _) = self.trainer(rate: ConstantSchedule(rate: 0.05))
        let full = learner.fit(train: train, validation: validation, steps: 30, evaluationInterval: 10, generator: &rng,
                               observers: [EarlyStopping<Float>(metric: .trainLoss, patience: 1)])
        #expect(full.stop == nil && full.learningRates.count == 30)
    }

    @Test func keepBestRestoresTheBestEvaluationsParameters() {
        // The rate ramps up until the run diverges: the training loss falls, then explodes; the best
        // evaluation is in the middle.
        let (trainer, train, validation) = trainer(rate: LinearRampSchedule(minRate: 0.01, maxRate: 200, steps: 200))
        var snapshots: [Int: [Tensor<Float>]] = [:]
        var losses: [Int: Double] = [:]
        var rng = SeededGenerator(seed: 1)
        let history = trainer.fit(
            train: train, validation: validation, steps: 200, evaluationInterval: 10, generator: &rng,
            observers: [KeepBest<Float>(metric: .trainLoss)]
        ) { record in
            snapshots[record.step] = trainer.model.parameters.map(\.value)
            losses[record.step] = record.train.loss
        }
        let finite = losses.filter { $0.value.isFinite }
        let best = finite.min { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }!.key
        let last = history.evaluations.last!.step
        #expect(best != last, "the best evaluation should not be the last for this test to mean anything")
        #expect(trainer.model.parameters.map(\.value) == snapshots[best])
        #expect(history.notes.count == 1 && history.notes[0].contains("restored the parameters of step \(best)"))
    }

    @Test func theConfigurationReadsStoppingAndKeepBest() throws {
        let json: JSONValue = [
            "data": ["kind": "cifar10", "split": "batch1"], "schedule": ["name": "constant", "eta": 0.1],
            "training": ["epochs": 3, "early_stopping": ["metric": "validation_loss", "patience": 4, "min_delta": 0.01],
                         "keep_best": true],
        ]
        let config = try ExperimentConfig(json: json)
        #expect(config.earlyStopping == EarlyStoppingRule(metric: .validationLoss, patience: 4, minimumChange: 0.01))
        #expect(config.keepBest == .validationAccuracy)
        guard case .object(var root) = json, case .object(var training)? = root["training"] else { return }
        training["keep_best"] = "validation_acuracy"
        root["training"] = .object(training)
        #expect { try ExperimentConfig(json: .object(root)) } throws: {
            "\($0)".contains("training.keep_best") && "\($0)".contains("validation_accuracy")
        }
        training["keep_best"] = false
        training["early_stopping"] = ["patience": 0]
        root["training"] = .object(training)
        #expect { try ExperimentConfig(json: .object(root)) } throws: { "\($0)".contains("training.early_stopping.patience") }
    }
}

@Suite struct EmptyDataTests {
    @Test func anEmptyTrainingSetEndsTheFitInsteadOfSpinning() {
        var rng = SeededGenerator(seed: 1)
        let model: Sequential<Float> = ModelSpec(hidden: [3]).makeModel(inputs: 12, classes: 4, generator: &rng)
        let trainer = Trainer(model: model, schedule: ConstantSchedule(rate: 0.1), batchSize: 10)
        trainer.progress = .none
        let empty = TrainerTests.blobs(count: 10, seed: 1).subset(0..<0)
        let history = trainer.fit(train: empty, validation: nil, steps: 100, evaluationInterval: 10, generator: &rng)
        #expect(history.learningRates.isEmpty)
        #expect(history.stop?.reason.message.contains("empty") == true)
    }

    @Test func anExperimentWithAnEmptySplitIsAConfigurationError() {
        let data = TrainerTests.blobs(count: 20, seed: 1)
        let splits = DataSplits(train: data, validation: data.subset(0..<0), test: data)
        let experiment = Experiment<Float>(
            name: "empty", data: splits, model: ModelSpec(hidden: [3]).builder(),
            schedule: SchedulePlan(ConstantSchedule(rate: 0.1)), batchSize: 5, length: .steps(4))
        #expect { try experiment.run(quiet: true) } throws: { "\($0)".contains("the validation set of 'empty' is empty") }
    }
}

@Suite struct DivergenceStopTests {
    @Test func aParameterThatIsNoLongerFiniteStopsTheRun() {
        let parameter = Parameter<Float>(name: "fc1.weight", value: Tensor(shape: [1, 2], scalars: [1, .infinity]), role: .weight)
        let record = EvaluationRecord(step: 10, epoch: 1, learningRate: 0.1, train: Metrics(loss: 0.5, cost: 0.5, accuracy: 0.5),
                                      validation: nil)
        let decision = DivergenceStop<Float>().didEvaluate(record, parameters: [parameter])
        #expect(decision == .stop(StopReason("the parameter fc1.weight is not finite", diverged: true)))
        parameter.value = Tensor(shape: [1, 2], scalars: [1, 2])
        #expect(DivergenceStop<Float>().didEvaluate(record, parameters: [parameter]) == .continue)
    }
}
