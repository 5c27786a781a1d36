import BackpropData
import BackpropLayers
import BackpropRegularizers
import BackpropSchedules
import BackpropTensor
import BackpropTraining
import Foundation

/// Times training steps of a wide network, where the products are large and the per-element passes
/// (dropout masks, flips, the momentum update) are what can fall behind them.
///
/// The work of the "Beyond Assignment 2" recipes: 3072 → 1024 → 512 → 10 (ReLU), batches of 100, SGD
/// with momentum 0.9, L2 λ = 5e-4, dropout 0.3 after each hidden layer and random horizontal flips, on
/// synthetic images. Its figure is the steps' arithmetic (forward and backward products, without the
/// first layer's input gradient) per second, against the machine's peak.
public enum WideStepBenchmark {
    public struct Result: Sendable {
        /// Seconds of each timed run of `steps` steps.
        public var samples: [Double]
        public var steps: Int
        /// The floating-point operations of one step's matrix products.
        public var flopsPerStep: Double
        public var medianSecondsPerStep: Double { samples.sorted()[samples.count / 2] / Double(steps) }
        public var gflops: Double { flopsPerStep / medianSecondsPerStep / 1e9 }
    }

    /// The layer widths, input first.
    public static let widths = [3072, 1024, 512, 10]

    /// 2·batch·(every layer's inputs·outputs) for the forward products and again for the weight
    /// gradients, and once more for the input gradients of every layer but the first.
    public static func flopsPerStep(batch: Int) -> Double {
        let layers = zip(widths, widths.dropFirst()).map { Double($0 * $1) }
        return 2 * Double(batch) * (2 * layers.reduce(0, +) + layers.dropFirst().reduce(0, +))
    }

    /// `runs` timed runs of `steps` steps each (after one untimed run), with or without dropout; `data`
    /// holds 3072 features an example (read as 32 × 32 × 3 images by the flips).
    public static func run(
        data: Dataset, steps: Int = 50, runs: Int = 3, dropout: Bool = true, batchSize: Int = 100, seed: UInt64 = 1
    ) -> Result {
        var rng = SeededGenerator(seed: seed)
        let model: Sequential<Float> = ModelSpec(hidden: Array(widths.dropFirst().dropLast()), initializer: .heNormal)
            .makeModel(inputs: data.featureCount, classes: data.classCount, generator: &rng)
        var regularizers: [any Regularizer] = [L2Regularizer(lambda: 5e-4)]
        if dropout { regularizers.append(DropoutRegularizer(rate: 0.3)) }
        let trainer = Trainer(
            model: model, optimizer: SGD<Float>(momentum: 0.9), schedule: ConstantSchedule(rate: 0.01),
            regularizers: regularizers, augmentations: [HorizontalFlip(probability: 0.5, imageShape: .cifar)],
            batchSize: batchSize)
        let samples = trainer.timedFits(on: data, steps: steps, runs: runs, generator: &rng)
        return Result(samples: samples, steps: steps, flopsPerStep: flopsPerStep(batch: batchSize))
    }
}
