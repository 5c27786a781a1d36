import BackpropData
import BackpropTensor
import BackpropTraining
import Dispatch

extension Trainer {
    /// The seconds of each of `runs` fits of `steps` updates on `data`, after one untimed fit that
    /// warms the caches, the buffers and the helper thread; no evaluation, no progress line.
    func timedFits(on data: Dataset, steps: Int, runs: Int, generator: inout SeededGenerator) -> [Double] {
        progress = .none
        trainEvaluationSubset = 1
        var samples: [Double] = []
        for run in 0...max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = fit(train: data, validation: nil, steps: steps, evaluationInterval: Int.max, generator: &generator)
            if run > 0 { samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        }
        return samples
    }
}
