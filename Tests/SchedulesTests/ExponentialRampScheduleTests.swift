import BackpropRegistry
import BackpropSchedules
import Foundation
import Testing

@Suite("ExponentialRampSchedule")
struct ExponentialRampScheduleTests {
    @Test("grows by equal ratios from eta_min at step 0 to eta_max at step steps − 1, then stays")
    func ramp() throws {
        let json: JSONValue = ["name": "exponential_ramp", "eta_min": 1e-5, "eta_max": 1.0, "steps": 6]
        let schedule = try Registry.standardSchedules.make(json, path: "schedule")
        let rates = sample(schedule, steps: 9)
        // Five equal ratios over five decades: one decade per step.
        for step in 0...5 {
            let expected = 1e-5 * pow(10, Double(step))
            #expect(abs(rates[step] - expected) <= 1e-12 * expected, "step \(step): \(rates[step])")
        }
        #expect(rates[0] == 1e-5 && rates[5] == 1)
        #expect(rates[6...].allSatisfy { $0 == 1 })
        #expect(schedule.naturalLength == 6)
    }

    @Test("each decade gets the same number of steps")
    func decades() {
        let ramp = ExponentialRampSchedule(minRate: 1e-4, maxRate: 1, steps: 401)
        let rates = (0..<401).map { ramp.learningRate(at: $0) }
        func inDecade(_ d: Int) -> Int {
            let (low, high): (Double, Double) = (pow(10, Double(d - 4)), pow(10, Double(d - 3)))
            return rates.filter { $0 >= low * (1 - 1e-12) && $0 < high * (1 - 1e-12) }.count
        }
        let perDecade = (0..<4).map(inDecade)
        #expect(perDecade == [100, 100, 100, 100], "\(perDecade)")
    }

    @Test("a zero or negative eta_min is refused by name: a geometric ramp cannot start at 0")
    func zeroStart() {
        #expect(throws: ConfigurationError.self) {
            try Registry.standardSchedules.make(["name": "exponential_ramp", "eta_min": 0, "eta_max": 1, "steps": 10],
                                                path: "schedule")
        }
    }
}
