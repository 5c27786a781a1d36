import BackpropRegistry
import BackpropSchedules
import Testing

@Suite("ConstantSchedule")
struct ConstantScheduleTests {
    @Test("every step has the configured rate and the schedule is open-ended")
    func constant() throws {
        let schedule = try Registry.standardSchedules.make(["name": "constant", "eta": 0.001], path: "schedule")
        #expect(sample(schedule, steps: 50).allSatisfy { $0 == 0.001 })
        #expect(schedule.learningRate(at: 1_000_000) == 0.001)
        #expect(schedule.naturalLength == nil)
        #expect(schedule.description == "constant(eta: 0.001)")
    }

    @Test("a negative rate is rejected by name")
    func negative() {
        #expect(throws: ConfigurationError.invalidValue(path: "schedule.eta", reason: "must not be negative, found -0.1")) {
            try Registry.standardSchedules.make(["name": "constant", "eta": -0.1], path: "schedule")
        }
    }
}
