import BackpropRegistry
import BackpropSchedules
import Foundation
import Testing

@Suite("StepDecaySchedule")
struct StepDecayScheduleTests {
    @Test("rate = η·γ^⌊t/step_size⌋, as PyTorch StepLR")
    func matchesStepLR() throws {
        let schedule = try Registry.standardSchedules.make(
            ["name": "step_decay", "eta": 0.1, "gamma": 0.5, "step_size": 3], path: "schedule")
        let expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]
        #expect(sample(schedule, steps: 10) == expected)
        // StepLR's closed form, for a γ that is not a power of two.
        let other = StepDecaySchedule(initial: 0.3, factor: 0.9, every: 7)
        for step in 0..<200 {
            let reference = 0.3 * pow(0.9, Double(step / 7))
            #expect(abs(other.learningRate(at: step) - reference) <= 1e-15)
        }
    }

    @Test("gamma must be positive and step_size at least 1", arguments: [
        (["name": "step_decay", "eta": 0.1, "gamma": 0, "step_size": 3], "schedule.gamma"),
        (["name": "step_decay", "eta": 0.1, "gamma": -0.5, "step_size": 3], "schedule.gamma"),
        (["name": "step_decay", "eta": 0.1, "gamma": 0.5, "step_size": 0], "schedule.step_size"),
    ] as [(JSONValue, String)])
    func invalid(json: JSONValue, key: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try Registry.standardSchedules.make(json, path: "schedule")
        }
        guard case .invalidValue(let path, _)? = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(path == key)
    }
}
