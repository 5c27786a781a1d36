import Foundation

/// PyTorch's `CyclicLR.get_lr` (torch/optim/lr_scheduler.py), transcribed line by line as the oracle.
///
/// It is deliberately written the way PyTorch writes it (fraction of the cycle, `step_ratio`, separate
/// up and down branches), not the way `TriangularSchedule` computes, so that the tests compare two
/// independent derivations. `step_size_up = step_size_down = stepSize`; `lastEpoch` is the number of
/// `scheduler.step()` calls made so far, which is our global step.
struct PyTorchCyclicLR {
    enum Mode { case triangular, triangular2, expRange }

    var baseLR: Double
    var maxLR: Double
    var stepSize: Int
    var mode: Mode
    var gamma: Double = 1

    func lr(lastEpoch: Int) -> Double {
        let totalSize = Double(stepSize + stepSize)
        let stepRatio = Double(stepSize) / totalSize
        let cycle = (1 + Double(lastEpoch) / totalSize).rounded(.down)
        let x = 1.0 + Double(lastEpoch) / totalSize - cycle
        let scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1)
        let baseHeight = (maxLR - baseLR) * scaleFactor
        switch mode {
        case .triangular: return baseLR + baseHeight * 1.0                              // scale_mode "cycle"
        case .triangular2: return baseLR + baseHeight * (1 / pow(2.0, cycle - 1))      // scale_mode "cycle"
        case .expRange: return baseLR + baseHeight * pow(gamma, Double(lastEpoch))    // scale_mode "iterations"
        }
    }
}
