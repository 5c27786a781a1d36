import BackpropData
import BackpropLayers
import BackpropRegularizers
import BackpropSchedules
import BackpropTensor
import BackpropTraining
import Foundation

/// Times training epochs of the Assignment 2 network, the figure `backprop bench` compares with NumPy.
///
/// The work is exactly a training run's: 3072 → 50 (ReLU) → 10, batches of 100, L2 λ = 0.01, the
/// triangular rate, reshuffled every epoch. The data is synthetic (N(0, 1)-sized uniform features, random
/// labels): the arithmetic of an epoch does not depend on the values. Evaluation is left out, as in
/// `scripts/numpy_epoch_bench.py`.
public enum EpochBenchmark {
    public struct Result: Sendable {
        /// Seconds of each timed epoch.
        public var samples: [Double]
        public var median: Double { samples.sorted()[samples.count / 2] }
        public var examples: Int
        /// The size of the training set stored as Float, in bytes.
        public var trainingSetBytes: Int
    }

    /// A synthetic training set of `count` examples of `features` Float features and 10 classes.
    public static func syntheticData(count: Int, features: Int = 3072, seed: UInt64 = 1) -> Dataset {
        var rng = SeededGenerator(seed: seed)
        var values = [Float](repeating: 0, count: count * features)
        // Uniform on ±√3 has unit variance, like standardised pixels; filled in place (no second copy).
        values.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = Float(rng.nextUniform(in: -1.7320508, 1.7320508)) }
        }
        let labels = (0..<count).map { _ in rng.nextIndex(below: 10) }
        return Dataset(features: Tensor(shape: [count, features], scalars: values), labels: labels,
                       classNames: (0..<10).map { "class \($0)" })
    }

    /// Trains `epochs` epochs (after one untimed warm-up epoch) and returns the time of each.
    public static func run(
        data: Dataset, epochs: Int = 5, hidden: Int = 50, batchSize: Int = 100, seed: UInt64 = 1
    ) -> Result {
        var rng = SeededGenerator(seed: seed)
        let model: Sequential<Float> = ModelSpec(hidden: [hidden]).makeModel(
            inputs: data.featureCount, classes: data.classCount, generator: &rng)
        let perEpoch = (data.count + batchSize - 1) / batchSize
        let trainer = Trainer(
            model: model, schedule: TriangularSchedule(minRate: 1e-5, maxRate: 0.1, stepSize: 2 * perEpoch),
            regularizers: [L2Regularizer(lambda: 0.01)], batchSize: batchSize)
        let samples = trainer.timedFits(on: data, steps: perEpoch, runs: epochs, generator: &rng)
        return Result(samples: samples, examples: data.count, trainingSetBytes: data.count * data.featureCount * 4)
    }

    /// The process's peak resident memory in bytes (Linux `VmHWM`), or nil where it is not available.
    public static func peakMemoryBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}
