import Foundation
import BackpropRegistry
import BackpropSchedules
import Testing

/// One configuration compared against PyTorch over every step of its cycles (and one cycle more).
struct CyclicSetting: Sendable, CustomTestStringConvertible {
    var name: String
    var etaMin: Double
    var etaMax: Double
    var stepSize: Int
    var cycles: Int
    var gamma: Double = 1

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "eta_min": .number(etaMin), "eta_max": .number(etaMax),
            "step_size": .number(Double(stepSize)), "cycles": .number(Double(cycles)),
        ]
        if name == "exp_range" { members["gamma"] = .number(gamma) }
        return .object(members)
    }

    var reference: PyTorchCyclicLR {
        let mode: PyTorchCyclicLR.Mode =
            switch name { case "triangular2": .triangular2; case "exp_range": .expRange; default: .triangular }
        return PyTorchCyclicLR(baseLR: etaMin, maxLR: etaMax, stepSize: stepSize, mode: mode, gamma: gamma)
    }

    var testDescription: String { "\(name) η \(etaMin)…\(etaMax), n_s \(stepSize), \(cycles) cycles, γ \(gamma)" }
}

let cyclicSettings: [CyclicSetting] = ["triangular", "triangular2", "exp_range"].flatMap { name in
    [
        CyclicSetting(name: name, etaMin: 1e-5, etaMax: 1e-1, stepSize: 500, cycles: 3, gamma: 0.9994),
        CyclicSetting(name: name, etaMin: 1e-5, etaMax: 1e-1, stepSize: 800, cycles: 3, gamma: 0.9994),
        CyclicSetting(name: name, etaMin: 1e-5, etaMax: 1e-1, stepSize: 7, cycles: 5, gamma: 0.97),
        CyclicSetting(name: name, etaMin: 0.001, etaMax: 0.003, stepSize: 13, cycles: 4, gamma: 1.0),
        CyclicSetting(name: name, etaMin: 0.01, etaMax: 0.01, stepSize: 1, cycles: 3, gamma: 0.5),
    ]
}

@Suite("TriangularSchedule")
struct TriangularScheduleTests {
    @Test("every step equals PyTorch CyclicLR", arguments: cyclicSettings)
    func matchesPyTorch(setting: CyclicSetting) throws {
        let schedule = try Registry.standardSchedules.make(setting.json, path: "schedule")
        #expect(schedule.naturalLength == 2 * setting.stepSize * setting.cycles)
        let reference = setting.reference
        var worst = 0.0
        // One cycle past the natural length: the schedule keeps cycling, as PyTorch's does.
        for step in 0..<(2 * setting.stepSize * (setting.cycles + 1)) {
            let ours = schedule.learningRate(at: step)
            let theirs = reference.lr(lastEpoch: step)
            worst = max(worst, abs(ours - theirs))
            if abs(ours - theirs) > 1e-12 {
                Issue.record("step \(step): \(ours) vs PyTorch \(theirs)")
                return
            }
        }
        #expect(worst <= 1e-12)
    }

    @Test("the course's checkpoints: η_min at 0, η_max at n_s, η_min at 2n_s, the midpoint at n_s/2")
    func courseValues() {
        let (low, high, ns) = (1e-5, 1e-1, 500)
        let clr = TriangularSchedule(minRate: low, maxRate: high, stepSize: ns)
        #expect(clr.learningRate(at: 0) == low)
        #expect(clr.learningRate(at: ns) == high)
        #expect(clr.learningRate(at: 2 * ns) == low)
        #expect(clr.learningRate(at: 3 * ns) == high)
        #expect(abs(clr.learningRate(at: ns / 2) - (low + high) / 2) < 1e-15)
        #expect(abs(clr.learningRate(at: ns + ns / 2) - (low + high) / 2) < 1e-15)
        // Linear between the checkpoints: equal steps up, then equal steps down.
        let up = clr.learningRate(at: 101) - clr.learningRate(at: 100)
        let down = clr.learningRate(at: 701) - clr.learningRate(at: 700)
        #expect(abs(up - (high - low) / Double(ns)) < 1e-15)
        #expect(abs(down + (high - low) / Double(ns)) < 1e-15)
        #expect(clr.naturalLength == nil)
    }

    @Test("triangular2 halves the peak each cycle; exp_range multiplies the height by γ^t")
    func modeScaling() {
        let halving = TriangularSchedule(minRate: 0, maxRate: 0.8, stepSize: 10, mode: .triangular2)
        #expect(halving.learningRate(at: 10) == 0.8)
        #expect(halving.learningRate(at: 30) == 0.4)
        #expect(halving.learningRate(at: 50) == 0.2)
        let decaying = TriangularSchedule(minRate: 0.1, maxRate: 0.5, stepSize: 10, mode: .exponentialRange(gamma: 0.9))
        let expected = 0.1 + 0.4 * pow(0.9, 30)
        #expect(abs(decaying.learningRate(at: 30) - expected) < 1e-15)
    }

    @Test("negative steps read as step 0, and rates stay in [η_min, η_max]")
    func bounds() {
        let clr = TriangularSchedule(minRate: 1e-5, maxRate: 1e-1, stepSize: 7, cycles: 2)
        #expect(clr.learningRate(at: -3) == clr.learningRate(at: 0))
        for step in 0..<1000 {
            let rate = clr.learningRate(at: step)
            #expect(rate >= 1e-5 && rate <= 1e-1, "step \(step): \(rate)")
        }
    }

    @Test("the description names the mode and every parameter")
    func description() {
        let clr = TriangularSchedule(minRate: 1e-5, maxRate: 0.1, stepSize: 500, cycles: 3, mode: .exponentialRange(gamma: 0.99))
        #expect(clr.description == "exp_range(eta_min: 1e-05, eta_max: 0.1, step_size: 500, cycles: 3, gamma: 0.99)")
    }
}
