import Backprop
import BackpropTestSupport
import Foundation
import Testing

/// The range test's curves, its two rules on curves whose answers are known, and its stop.
@Suite struct LRRangeTestTests {
    /// A history of evaluations at `rates` with the given losses and accuracies (validation).
    static func history(rates: [Double], losses: [Double], accuracies: [Double]) -> TrainingHistory {
        TrainingHistory(evaluations: zip(rates.indices, zip(rates, zip(losses, accuracies))).map { index, point in
            let (rate, (loss, accuracy)) = point
            return EvaluationRecord(
                step: index * 10, epoch: 0, learningRate: rate,
                train: Metrics(loss: loss, cost: loss, accuracy: accuracy),
                validation: Metrics(loss: loss, cost: loss, accuracy: accuracy))
        })
    }

    @Test func withoutSmoothingTheRulesReadTheCurvesAsDocumented() throws {
        // Eleven decades-spaced rates from 1e-5 to 1e5; accuracy flat at 10%, rising 10% → 50% between
        // points 3 and 7, then flat; the loss lowest at point 6.
        let rates = (0...10).map { pow(10, Double($0 - 5)) }
        let accuracies = [0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5, 0.48]
        let losses = [2.3, 2.3, 2.2, 2.1, 1.9, 1.7, 1.6, 1.8, 3, 6, 9]
        let analysis = LRRangeAnalysis(Self.history(rates: rates, losses: losses, accuracies: accuracies), smoothing: 0)
        #expect(analysis.points.count == 11 && analysis.points[4].smoothedAccuracy == 0.2)

        // A rise of 0.4: 10% of it (0.14) is first reached at point 4 (1e-1), 90% (0.46) at point 7 (1e2).
        let accuracy = try #require(analysis.suggestion("accuracy"))
        #expect(accuracy.minRate == rates[4] && accuracy.maxRate == rates[7])
        // The lowest loss at point 6 (1e1): η_max = 1, η_min = 1/25.
        let loss = try #require(analysis.suggestion("loss"))
        #expect(loss.maxRate == rates[6] / 10 && loss.minRate == rates[6] / 250)
        #expect(analysis.suggestions.map(\.rule) == ["accuracy", "loss"])
        // Steepest fall per decade: 2.1 → 1.9 and 1.9 → 1.7 tie at −0.2; the first, between points 3 and 4.
        #expect(try #require(analysis.steepestRate) == (rates[3] * rates[4]).squareRoot())
    }

    @Test func smoothingIsAnUnbiasedMovingAverage() {
        let analysis = LRRangeAnalysis(
            Self.history(rates: [1, 2, 3], losses: [4, 2, 1], accuracies: [0, 0, 0]), smoothing: 0.5)
        // Bias-corrected: the first point is itself; then (0.5·0.5·4 + 0.5·2) / (1 − 0.25) = 8/3.
        #expect(analysis.points.map(\.smoothedLoss) == [4, (1.0 + 1.0) / 0.75, (0.5 * 2 + 0.5) / 0.875])
    }

    @Test func aFlatAccuracyGivesNoAccuracyRange() {
        let analysis = LRRangeAnalysis(
            Self.history(rates: [1e-3, 1e-2, 1e-1], losses: [2, 1.9, 5], accuracies: [0.1, 0.105, 0.1]), smoothing: 0)
        #expect(analysis.suggestion("accuracy") == nil)
        #expect(analysis.suggestion("loss")?.maxRate == 1e-3)
    }

    @Test func theStopFiresOnceTheLossPassesFourTimesItsLowest() {
        let stop = LossDivergenceStop<Float>()
        func decide(_ loss: Double) -> TrainingDecision {
            stop.didEvaluate(EvaluationRecord(step: 1, epoch: 0, learningRate: 0.5,
                                              train: Metrics(loss: loss, cost: loss, accuracy: 0), validation: nil),
                             parameters: [])
        }
        #expect(decide(2) == .continue && decide(1) == .continue && decide(4) == .continue)
        guard case .stop(let reason) = decide(4.01) else {
            Issue.record("4.01 > 4 × 1 should stop")
            return
        }
        #expect(!reason.diverged && reason.message.contains("range test's end"))
        #expect(decide(.nan) != .continue)
    }

    @Test func aRangeTestRunEndsAtTheDivergenceAndSuggests() throws {
        let data = try makeDatasetFixtureDirectory("lr-range")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 100, seed: 4, testImages: 20)
        let (splits, standardizer) = try DatasetConfiguration(["kind": "cifar10", "split": "batch1"], path: "data")
            .loadStandardized(relativeTo: data)
        let base = Experiment<Float>(
            name: "ranged", seed: 3, data: splits, standardizer: standardizer,
            model: ModelBuilder { inputs, rng in
                Linear<Float>(inputs.featureCount, 10, generator: &rng, name: "fc1")
                ReLU<Float>()
                Linear<Float>(10, inputs.classCount, generator: &rng, name: "fc2")
            },
            schedule: SchedulePlan(ConstantSchedule(rate: 0.01)), batchSize: 10)
        let test = LRRangeTest(ramp: .exponential, minRate: 1e-4, maxRate: 100, length: .steps(200), evaluations: 40)
        let experiment = test.experiment(base)
        #expect(experiment.name == "ranged-lr-range")
        let result = try experiment.run(quiet: true)
        // The rate reaches 100: the loss explodes long before, and the test ends there.
        let stop = try #require(result.history.stop)
        #expect(stop.step < 200, "\(stop)")
        #expect(result.history.learningRates.first == 1e-4)
        let analysis = test.analysis(of: result)
        #expect(analysis.points.count >= 3)
        let loss = try #require(analysis.suggestion("loss"))
        #expect(loss.maxRate > 1e-5 && loss.maxRate < 10 && loss.minRate == loss.maxRate / 25)
    }
}
