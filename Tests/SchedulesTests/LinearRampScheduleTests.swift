import BackpropRegistry
import BackpropSchedules
import Testing

@Suite("LinearRampSchedule")
struct LinearRampScheduleTests {
    @Test("grows linearly from eta_min at step 0 to eta_max at step steps − 1, then stays",
          arguments: ["lr_range_test", "linear_ramp"])
    func ramp(name: String) throws {
        let json: JSONValue = ["name": .string(name), "eta_min": 0.0, "eta_max": 1.0, "steps": 11]
        let schedule = try Registry.standardSchedules.make(json, path: "schedule")
        let rates = sample(schedule, steps: 15)
        for step in 0...10 { #expect(abs(rates[step] - Double(step) / 10) < 1e-15, "step \(step)") }
        #expect(rates[0] == 0 && rates[10] == 1)
        #expect(rates[11...].allSatisfy { $0 == 1 })
        #expect(schedule.naturalLength == 11)
    }

    @Test("the range test's typical span reaches its end points exactly")
    func endPoints() {
        let ramp = LinearRampSchedule(minRate: 1e-5, maxRate: 0.2, steps: 1000)
        #expect(ramp.learningRate(at: 0) == 1e-5)
        #expect(ramp.learningRate(at: 999) == 0.2)
        #expect(ramp.learningRate(at: -5) == 1e-5)
        let increments = (1..<1000).map { ramp.learningRate(at: $0) - ramp.learningRate(at: $0 - 1) }
        #expect(increments.allSatisfy { abs($0 - (0.2 - 1e-5) / 999) < 1e-15 })
    }

    @Test("a ramp needs at least two steps")
    func tooShort() {
        #expect(throws: ConfigurationError.invalidValue(path: "schedule.steps", reason: "must be at least 2, found 1")) {
            try Registry.standardSchedules.make(
                ["name": "linear_ramp", "eta_min": 0.0, "eta_max": 1.0, "steps": 1], path: "schedule")
        }
    }
}
