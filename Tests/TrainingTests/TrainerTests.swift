import Backprop
import BackpropTestSupport
import Foundation
import Testing

@Suite struct TrainerTests {
    /// A learnable toy problem: class k is a Gaussian blob around a random centre.
    static func blobs(count: Int, features: Int = 12, classes: Int = 4, seed: UInt64) -> Dataset {
        var rng = SeededGenerator(seed: 1000)
        let centres = (0..<classes).map { _ in (0..<features).map { _ in 3 * rng.nextNormal() } }
        var sample = SeededGenerator(seed: seed)
        var values: [Float] = [], labels: [Int] = []
        for _ in 0..<count {
            let k = sample.nextIndex(below: classes)
            labels.append(k)
            values += centres[k].map { Float($0 + sample.nextNormal()) }
        }
        return Dataset(features: Tensor(shape: [count, features], scalars: values), labels: labels,
                       classNames: (0..<classes).map { "class \($0)" })
    }

    @Test func overfitsOneHundredExamples() {
        // The course's sanity check: with λ = 0 a 2-layer network drives the training loss near zero.
        var rng = SeededGenerator(seed: 3)
        let train = Self.blobs(count: 100, seed: 1).subset(0..<100)
        var noisy = train
        for i in noisy.labels.indices where i % 3 == 0 { noisy.labels[i] = (noisy.labels[i] + 1) % 4 }
        let model: Sequential<Float> = ModelSpec(hidden: [50]).makeModel(inputs: 12, classes: 4, generator: &rng)
        let trainer = Trainer(model: model, schedule: ConstantSchedule(rate: 0.1), batchSize: 10)
        trainer.progress = .none
        let history = trainer.fit(train: noisy, validation: nil, steps: 3000, evaluationInterval: 500, generator: &rng)
        #expect(history.evaluations.first!.train.loss > 1)
        #expect(history.last!.train.loss < 0.05, "loss \(history.last!.train.loss)")
        #expect(history.last!.train.accuracy == 1)
    }

    @Test func recordsEveryRateAndEvaluatesOnSchedule() {
        var rng = SeededGenerator(seed: 4)
        let data = Self.blobs(count: 200, seed: 2)
        let model: Sequential<Double> = ModelSpec(hidden: [8]).makeModel(inputs: 12, classes: 4, generator: &rng)
        let schedule = TriangularSchedule(minRate: 1e-3, maxRate: 0.1, stepSize: 10)
        let trainer = Trainer(model: model, schedule: schedule, regularizers: [L2Regularizer(lambda: 0.01)], batchSize: 20)
        trainer.progress = .none
        let history = trainer.fit(train: data, validation: data, steps: 45, evaluationInterval: 10, generator: &rng)
        #expect(history.learningRates == (0..<45).map { schedule.learningRate(at: $0) })
        #expect(history.evaluations.map(\.step) == [0, 10, 20, 30, 40, 45])
        #expect(history.evaluations[1].epoch == 1)
        let last = history.last!
        // The cost is the loss plus λ‖W‖² over weights only.
        let penalty = 0.01 * model.parameters.filter { $0.role == .weight }.reduce(0.0) { $0 + $1.value.sumOfSquares() }
        #expect(abs(last.train.cost - last.train.loss - penalty) < 1e-9)
        #expect(last.validation!.accuracy > 0.9)
    }

    @Test func sameSeedSameRun() {
        func run() -> TrainingHistory {
            var rng = SeededGenerator(seed: 5)
            let model: Sequential<Float> = ModelSpec(hidden: [6]).makeModel(inputs: 12, classes: 4, generator: &rng)
            let trainer = Trainer(model: model, schedule: ConstantSchedule(rate: 0.05),
                                  regularizers: [DropoutRegularizer(rate: 0.2)], batchSize: 16)
            trainer.progress = .none
            return trainer.fit(train: Self.blobs(count: 100, seed: 6), validation: nil, steps: 30,
                               evaluationInterval: 10, generator: &rng)
        }
        #expect(run() == run())
    }

    @Test("Reading batches in place (first layer Linear) trains exactly as gathering them")
    func inPlaceBatchesTrainAsGatheredOnes() {
        // The same network twice; behind an identity layer (dropout of rate 0, which copies indexed rows)
        // the trainer gathers each batch instead of letting the first layer read it out of the training set.
        func run(nested: Bool) -> (TrainingHistory, [Float]) {
            var rng = SeededGenerator(seed: 12)
            let model: Sequential<Float> = ModelSpec(hidden: [10]).makeModel(inputs: 12, classes: 4, generator: &rng)
            let trained = nested ? Sequential<Float>([Dropout<Float>(rate: 0), model]) : model
            #expect(trained.readsIndexedRowsInPlace == !nested)
            // A nested model whose first layer reads in place reads in place too.
            #expect(Sequential<Float>([model]).readsIndexedRowsInPlace)
            let trainer = Trainer(model: trained, schedule: ConstantSchedule(rate: 0.05),
                                  regularizers: [L2Regularizer(lambda: 0.01)], batchSize: 16)
            trainer.progress = .none
            let history = trainer.fit(train: Self.blobs(count: 150, seed: 7), validation: nil, steps: 40,
                                      evaluationInterval: 10, generator: &rng)
            return (history, trained.parameters.flatMap(\.value.scalars))
        }
        let inPlace = run(nested: false), gathered = run(nested: true)
        #expect(inPlace.0 == gathered.0)
        #expect(inPlace.1 == gathered.1)
    }

    @Test("After fit the model holds no reference to the training set it read in place")
    func fitLetsGoOfTheTrainingSet() {
        var rng = SeededGenerator(seed: 13)
        var data = Self.blobs(count: 120, seed: 9)
        let model: Sequential<Float> = ModelSpec(hidden: [8]).makeModel(inputs: 12, classes: 4, generator: &rng)
        #expect(model.readsIndexedRowsInPlace)
        let trainer = Trainer(model: model, schedule: ConstantSchedule(rate: 0.05), batchSize: 16)
        trainer.progress = .none
        _ = trainer.fit(train: data, validation: data, steps: 20, evaluationInterval: 10, generator: &rng)
        // Had anything kept the features' storage, writing to it would copy the whole matrix first.
        let before = data.features.scalars.withUnsafeBufferPointer { $0.baseAddress }
        data.features.scalars[0] += 1
        let after = data.features.scalars.withUnsafeBufferPointer { $0.baseAddress }
        #expect(before == after)
    }

    @Test func momentumConventionsAgreeAtConstantRate() {
        // With a constant rate η, the course's v ← ρv + ηg equals η times PyTorch's v ← ρv + g.
        func train(_ convention: MomentumConvention) -> [Float] {
            var rng = SeededGenerator(seed: 7)
            let model: Sequential<Float> = ModelSpec(hidden: []).makeModel(inputs: 12, classes: 4, generator: &rng)
            let trainer = Trainer(model: model, optimizer: SGD(momentum: 0.9, convention: convention),
                                  schedule: ConstantSchedule(rate: 0.01), batchSize: 25)
            trainer.progress = .none
            _ = trainer.fit(train: Self.blobs(count: 100, seed: 8), validation: nil, steps: 20,
                            evaluationInterval: 20, generator: &rng)
            return model.parameters[0].value.scalars
        }
        let a = train(.pytorch), b = train(.course)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func stopsWhenTheLossIsNoLongerFinite() {
        var rng = SeededGenerator(seed: 9)
        let model: Sequential<Float> = ModelSpec(hidden: [8]).makeModel(inputs: 12, classes: 4, generator: &rng)
        let trainer = Trainer(model: model, schedule: ConstantSchedule(rate: 1e30), batchSize: 10)
        trainer.progress = .none
        let history = trainer.fit(train: Self.blobs(count: 100, seed: 10), validation: nil, steps: 1000,
                                  evaluationInterval: 10, generator: &rng)
        #expect(history.divergedAtStep != nil)
        if let step = history.divergedAtStep {
            #expect(step < 1000)
            #expect(history.learningRates.count == step)
        }
    }
}

/// The trainer's seams: any optimiser, the regulariser path, per-thread limits in parallel work.
@Suite struct TrainerSeamTests {
    /// An optimiser of the test's own: plain SGD that also counts its steps and checks what it is given.
    private struct CountingDescent: Optimizer {
        typealias Scalar = Float
        let steps: Counter
        mutating func step(_ parameters: [Parameter<Float>], learningRate: Double) {
            steps.value += 1
            for p in parameters { p.value.add(p.gradient, scaledBy: Float(-learningRate)) }
        }
    }

    private final class Counter: @unchecked Sendable {
        var value = 0
    }

    private func model() -> Sequential<Float> {
        var rng = SeededGenerator(seed: 21)
        return ModelSpec(hidden: [7]).makeModel(inputs: 12, classes: 4, generator: &rng)
    }

    @Test("Trainer drives any Optimizer; one that does what SGD does trains to the same numbers")
    func drivesAnyOptimizer() {
        let data = TrainerTests.blobs(count: 90, seed: 3)
        func train(_ optimizer: (any Optimizer<Float>)?) -> [Float] {
            let net = model()
            var rng = SeededGenerator(seed: 4)
            let trainer = optimizer.map {
                Trainer(model: net, optimizer: $0, schedule: ConstantSchedule(rate: 0.05),
                        regularizers: [L2Regularizer(lambda: 0.02)], batchSize: 15)
            } ?? Trainer(model: net, schedule: ConstantSchedule(rate: 0.05),
                         regularizers: [L2Regularizer(lambda: 0.02)], batchSize: 15)
            trainer.progress = .none
            _ = trainer.fit(train: data, validation: nil, steps: 12, evaluationInterval: 12, generator: &rng)
            return net.parameters.flatMap(\.value.scalars)
        }
        let counter = Counter()
        let custom = train(CountingDescent(steps: counter))
        #expect(counter.value == 12)
        #expect(custom == train(nil))
    }

    @Test("A step with L2 moves the weights as the generic path does; their gradients stay the loss's alone")
    func stepWithL2MatchesGenericPath() {
        let data = TrainerTests.blobs(count: 20, seed: 5)
        let lambda = 0.03
        let trained = model(), manual = model()
        var rng = SeededGenerator(seed: 6)
        let trainer = Trainer(model: trained, schedule: ConstantSchedule(rate: 0.1),
                              regularizers: [L2Regularizer(lambda: lambda)], batchSize: 20, shuffle: false)
        trainer.progress = .none
        _ = trainer.fit(train: data, validation: nil, steps: 1, evaluationInterval: 1, generator: &rng)

        // The same step by hand: forward, loss, backward, L2's gradient, SGD.
        var context = ForwardContext(phase: .training)
        let logits = manual.forward(data.features, context: &context)
        let (_, lossGradient) = SoftmaxCrossEntropy<Float>()(logits: logits, labels: data.labels)
        _ = manual.backward(lossGradient, needsInputGradient: false)
        let lossGradients = manual.parameters.map(\.gradient)
        L2Regularizer(lambda: lambda).addGradient(to: manual.parameters)
        var sgd = SGD<Float>()
        sgd.step(manual.parameters, learningRate: 0.1)
        for (i, (a, b)) in zip(trained.parameters, manual.parameters).enumerated() {
            #expect(a.value == b.value, "\(a.name) value")
            // L2 is folded into SGD's pass over each weight, which only reads the gradient (as PyTorch's
            // weight_decay leaves .grad); a bias has no L2 term either way.
            #expect(a.gradient == lossGradients[i], "\(a.name) gradient")
        }
    }

    @Test("Parallel jobs keep their products to their own thread while two run, the last one gets both; the caller's limit is unchanged")
    func parallelWorkLimitsOnlyItsThreads() {
        let before = MatrixProductKernel.threadLimit
        // Job 0 waits for job 1, so the two run at once on the two workers; once job 1's worker finds
        // nothing left, job 0 (still running) may use two threads.
        let secondDone = DispatchSemaphore(value: 0)
        let limits = ParallelWork.map([0, 1], maxConcurrent: 2) { job -> [Int] in
            let first = MatrixProductKernel.threadLimit
            guard job == 0 else {
                secondDone.signal()
                return [first]
            }
            secondDone.wait()
            let deadline = Date().addingTimeInterval(10)
            while MatrixProductKernel.threadLimit == 1 && Date() < deadline { usleep(1000) }
            return [first, MatrixProductKernel.threadLimit]
        }
        #expect(limits.map { try? $0.get() } == [[1, 2], [1]])
        #expect(MatrixProductKernel.threadLimit == before)
        let alone = ParallelWork.map([0], maxConcurrent: 2) { _ in MatrixProductKernel.threadLimit }
        #expect((try? alone[0].get()) == before)
    }
}
