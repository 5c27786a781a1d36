import BackpropData
import BackpropLayers
import BackpropRegistry
import BackpropSchedules
import BackpropTensor
import Foundation

extension Experiment {
    /// Trains a new model and evaluates it on the three splits.
    ///
    /// - Parameters:
    ///   - quiet: no progress line.
    ///   - onEvaluation: called after every evaluation with the record and the parameters at that moment
    ///     (for live reports).
    /// - Throws: `ConfigurationError` when a split is empty, the batch size is below 1, or a
    ///   step count comes to no update at all.
    public func run(
        quiet: Bool, onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)?
    ) throws -> RunResult {
        try run(progress: quiet ? .none : .automatic, onEvaluation: onEvaluation, checkpoints: nil)
    }

    /// Trains a new model, or continues a saved one, keeping checkpoints as `checkpoints` says, and
    /// evaluates it on the three splits.
    ///
    /// A run resumed from a checkpoint ends with the parameters, history and metrics of the run that
    /// was never interrupted, bit for bit.
    ///
    /// - Parameters:
    ///   - progress: how progress is shown (`.automatic`, `.none`, …).
    ///   - onEvaluation: called after every evaluation with the record and the parameters at that moment.
    ///   - checkpoints: where states are saved and how often, whether to resume; nil for none.
    /// - Throws: `ConfigurationError` as `run(quiet:onEvaluation:)`; `TrainingPaused` after saving when
    ///   the plan asked to pause; `CheckpointMismatch` when resuming another run's checkpoint;
    ///   `NothingToResume` when resuming from an empty store; the store's error when a pause could not
    ///   be saved.
    public func run(
        progress: ProgressReporter.Style, onEvaluation: ((EvaluationRecord, [(name: String, value: ParameterTensor)]) -> Void)?,
        checkpoints: CheckpointPlan?
    ) throws -> RunResult {
        let start = Date()
        guard batchSize >= 1 else {
            throw ConfigurationError.invalidValue(path: "training.batch_size", reason: "must be at least 1, found \(batchSize)")
        }
        for (split, dataset) in [("training", data.train), ("validation", data.validation), ("test", data.test)]
        where dataset.count == 0 {
            throw ConfigurationError.invalidValue(
                path: "data", reason: "the \(split) set of '\(name)' is empty (\(dataSummary))")
        }
        let batches = BatchSampler(count: data.train.count, batchSize: batchSize, shuffle: shuffle).batchesPerEpoch
        let schedule = try self.schedule.schedule(batchesPerEpoch: batches)
        let steps = length.map { $0.resolved(batchesPerEpoch: batches) } ?? schedule.naturalLength ?? batches
        guard steps >= 1 else {
            throw ConfigurationError.invalidValue(
                path: "training", reason: "\(length.map { "\($0)" } ?? "the schedule's length") is no update step "
                    + "with \(batches) batch(es) per epoch")
        }
        // The history keeps every step's rate: refuse a length whose history alone would not fit.
        try MemoryBudget.machine.require(
            bytes: Double(MemoryLayout<Double>.stride) * Double(steps), for: "the learning rates of \(steps) steps",
            path: "training")
        let interval = evaluation.interval(totalSteps: steps, batchesPerEpoch: batches)

        var generator = SeededGenerator(seed: seed)
        let model = self.model(ModelInputs(data.train), generator: &generator)
        let trainer = Trainer<Scalar>(
            model: model, optimizer: optimizer, schedule: schedule, regularizers: regularizers,
            augmentations: augmentations, batchSize: batchSize, shuffle: shuffle)
        trainer.trainEvaluationSubset = evaluation.trainSubset
        trainer.label = name
        trainer.progress = progress
        // The parameters, then the buffers (batch normalisation's running statistics): the saved model.
        func namedParameters() -> [(name: String, value: ParameterTensor)] {
            model.stateTensors.map { (name: $0.name, value: ParameterTensor($0.value)) }
        }
        let identity = checkpoints.map { _ in
            RunIdentity(configuration: configuration ?? summary(model: model, schedule: schedule, steps: steps),
                        precision: precision, data: DataFingerprint(data), standardizer: standardizer)
        }
        var resumed: TrainingState<Scalar>?
        if let checkpoints, let identity, checkpoints.resume {
            guard let state = try checkpoints.store.load(as: Scalar.self, identity: identity) else {
                throw NothingToResume("there is no checkpoint to resume '\(name)' from")
            }
            try state.check(against: model.parameters, buffers: model.buffers, trainCount: data.train.count, steps: steps)
            resumed = state
        }
        // A scheduled save that fails must not end the run (its report is what counts): it is noted.
        var saveFailure: (step: Int, error: any Error)?
        var pausing = false
        var history = trainer.fit(
            train: data.train, validation: data.validation, steps: steps, evaluationInterval: interval,
            generator: &generator, observers: observers.map { $0() },
            onEvaluation: onEvaluation.map { report in { report($0, namedParameters()) } },
            resumingFrom: resumed, checkpointEvery: checkpoints?.interval ?? 0,
            onCheckpoint: checkpoints.map { plan in { state in
                // A diverging run keeps its last finite state; a pause saves whatever it has.
                guard pausing || state.parameters.allSatisfy({ $0.sumOfSquares().isFinite })
                else { return }
                do { try plan.store.save(state, identity: identity!) } catch {
                    saveFailure = saveFailure ?? (state.step, error)
                }
            } },
            pauseRequested: checkpoints.map { plan in {
                pausing = plan.pauseRequested()
                return pausing
            } })
        if let paused = history.pausedAtStep {
            if let saveFailure { throw saveFailure.error }
            throw TrainingPaused(step: paused, totalSteps: steps)
        }
        if let saveFailure {
            history.notes.append("the checkpoint of step \(saveFailure.step) could not be saved: \(saveFailure.error)")
        }

        return RunResult(
            name: name, seed: seed, precision: precision, batchSize: batchSize,
            configuration: configuration ?? summary(model: model, schedule: schedule, steps: steps),
            history: history, train: trainer.evaluate(data.train), validation: trainer.evaluate(data.validation),
            test: trainer.evaluate(data.test), parameters: namedParameters(), standardizer: standardizer,
            dataSummary: dataSummary, dataNotes: data.notes, trainCount: data.train.count,
            validationCount: data.validation.count, testCount: data.test.count, classNames: data.train.classNames,
            imageShape: data.train.imageShape, modelDescription: model.description,
            scheduleDescription: schedule.description,
            regularizerDescriptions: regularizers.map(\.description) + augmentations.map(\.description),
            totalSteps: steps, seconds: Date().timeIntervalSince(start), architecture: model.layerEntries)
    }

    /// The values of an experiment composed in code, as JSON for `metrics.json` and the report.
    private func summary(model: Sequential<Scalar>, schedule: any LearningRateSchedule, steps: Int) -> JSONValue {
        [
            "name": .string(name), "seed": .number(Double(seed)), "precision": .string(precision),
            "model": .string(model.description), "data": .string(dataSummary),
            "schedule": .string(schedule.description),
            "regularizers": .array(regularizers.map { .string($0.description) }),
            "augmentations": .array(augmentations.map { .string($0.description) }),
            "training": [
                "batch_size": .number(Double(batchSize)), "steps": .number(Double(steps)), "shuffle": .bool(shuffle),
                "optimizer": .string("\(optimizer)"),
            ],
            "evaluation": ["train_subset": .number(Double(evaluation.trainSubset))],
        ]
    }
}
