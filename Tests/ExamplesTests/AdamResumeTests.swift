import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

/// A run with Adam (its moments and step count in the checkpoint) paused at any step and resumed ends
/// with the files of the run never paused, byte for byte; and Adam learns.
@Suite struct AdamResumeTests {
    /// `ResumeTests`' run with Adam (coupled weight decay) or AdamW instead of SGD with momentum.
    static func configuration(optimizer: JSONValue) -> JSONValue {
        guard case .object(var root) = ResumeTests.configuration, case .object(var training)? = root["training"] else {
            return ResumeTests.configuration
        }
        training["momentum"] = nil
        training["optimizer"] = optimizer
        root["training"] = .object(training)
        root["schedule"] = ["name": "triangular", "eta_min": 1e-4, "eta_max": 0.01, "step_size": 7, "cycles": 2]
        return .object(root)
    }

    static let adam = configuration(optimizer: ["name": "adam", "weight_decay": 0.001])
    static let adamW = configuration(optimizer: ["name": "adamw", "beta1": 0.8, "weight_decay": 0.05])

    @Test(arguments: [(1, false), (7, false), (20, false), (6, true), (13, true)])
    func anAdamRunPausedAtAnyStepEndsBitIdentical(pauseAfter: Int, decoupled: Bool) throws {
        let fixture = try ResumeTests.Fixture(decoupled ? Self.adamW : Self.adam)
        let (whole, wholeDirectory) = try ExperimentSession.run(fixture.experiment, outputBase: fixture.out, progress: .none)
        #expect(whole.totalSteps == 28 && whole.history.stop == nil)

        let directory = try fixture.paused(after: pauseAfter)
        let state = try ResumeTests.savedState(in: directory)
        #expect(state.optimizer.count == 2 * 4 + 1, "m and v for each of the 4 parameters, then t")
        #expect(state.optimizer.last?.scalars == [Float(pauseAfter)])

        let (resumed, _) = try ExperimentSession.resume(fixture.experiment, in: directory, progress: .none)
        #expect(resumed.history == whole.history)
        let files = try ResumeTests.comparedFiles(in: wholeDirectory)
        #expect(files.contains("history.csv") && files.contains("metrics.json") && files.contains("fc1.weight.npy"))
        try ResumeTests.expectSameFiles(files, in: directory, as: wholeDirectory, when: "at step \(pauseAfter)")
    }

    @Test func adamLearnsTheFixture() throws {
        var json = Self.configuration(optimizer: "adam")
        if case .object(var root) = json {
            root["regularizers"] = []
            root["augmentations"] = []
            root["schedule"] = ["name": "constant", "eta": 0.01]
            root["training"] = ["batch_size": 12, "steps": 60]
            root["evaluation"] = ["every": 10, "train_subset": 60]
            json = .object(root)
        }
        let fixture = try ResumeTests.Fixture(json)
        let (result, _) = try ExperimentSession.run(fixture.experiment, outputBase: fixture.out, progress: .none)
        let losses = result.history.evaluations.map(\.train.loss)
        let first = try #require(losses.first), last = try #require(losses.last)
        #expect(losses.count >= 6)
        #expect(last < 0.7 * first, "training loss \(losses)")
    }
}
