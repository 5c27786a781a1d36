import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

/// A run with batch normalisation, momentum, dropout and keep-best, paused and resumed, ends with the
/// files of the run never paused, byte for byte: the running statistics travel in the checkpoint.
@Suite struct BatchNormResumeTests {
    static let configuration: JSONValue = [
        "name": "batch-norm", "seed": 5,
        "data": ["kind": "cifar10", "split": "batch1"],
        "model": ["hidden": [7, 5], "batch_norm": true, "initializer": "he_normal"],
        "training": ["batch_size": 12, "momentum": 0.9, "shuffle": true, "keep_best": "validation_loss"],
        "schedule": ["name": "triangular", "eta_min": 1e-4, "eta_max": 0.05, "step_size": 7, "cycles": 2],
        "regularizers": [["name": "l2", "lambda": 0.001], ["name": "dropout", "rate": 0.25]],
        "evaluation": ["every": 4, "train_subset": 30],
    ]

    @Test(arguments: [3, 13, 22])
    func aRunWithBatchNormPausedAndResumedEndsBitIdentical(pauseAfter: Int) throws {
        let fixture = try ResumeTests.Fixture(Self.configuration)
        let (whole, wholeDirectory) = try ExperimentSession.run(fixture.experiment, outputBase: fixture.out, progress: .none)
        #expect(whole.totalSteps == 28 && whole.history.stop == nil)

        let directory = try fixture.paused(after: pauseAfter)
        let state = try ResumeTests.savedState(in: directory)
        #expect(state.buffers.count == 4 && state.buffers.allSatisfy { $0.shape == [1, 7] || $0.shape == [1, 5] })
        #expect(state.buffers[0].scalars.contains { $0 != 0 }, "the running mean has moved")
        let (resumed, _) = try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none)
        #expect(resumed.history == whole.history)

        let files = try ResumeTests.comparedFiles(in: wholeDirectory)
        #expect(files.contains("bn1.running_mean.npy") && files.contains("bn2.running_var.npy"))
        try ResumeTests.expectSameFiles(files, in: directory, as: wholeDirectory, when: "at step \(pauseAfter)")
    }

    @Test func aCheckpointMissingItsRunningStatisticsIsDamaged() throws {
        let fixture = try ResumeTests.Fixture(Self.configuration)
        let directory = try fixture.paused(after: 6)
        let step = directory.appending(path: "checkpoint/step-6/buffer-1.npy")
        try NumpyFile.write(Tensor<Float>(zeros: [1, 3]), to: step)
        #expect { try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none) } throws: { error in
            "\(error)".contains("damaged") && "\(error)".contains("bn1.running_var")
        }
    }
}
