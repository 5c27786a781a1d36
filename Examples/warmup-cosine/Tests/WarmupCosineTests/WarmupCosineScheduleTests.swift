import Backprop
import BackpropCommandLine
import Foundation
import Testing
import WarmupCosine

@Suite struct WarmupCosineScheduleTests {
    /// The schedule registries of `backprop-plus`: the built-ins and `warmup_cosine`.
    var schedules: Registry<any LearningRateSchedule> {
        var registry = Registry<any LearningRateSchedule>.standardSchedules
        registerWarmupCosine(in: &registry)
        return registry
    }

    func make(_ json: String) throws -> any LearningRateSchedule {
        try schedules.make(JSONValue(parsing: json, source: "test"), path: "schedule")
    }

    /// Hugging Face's `get_cosine_schedule_with_warmup` multiplier, written as it is there.
    func huggingFace(step: Int, warmup: Int, total: Int) -> Double {
        if step < warmup { return Double(step) / Double(max(1, warmup)) }
        let progress = Double(step - warmup) / Double(max(1, total - warmup))
        return max(0, 0.5 * (1 + cos(Double.pi * 0.5 * 2 * progress)))
    }

    /// Up to the last step: past it Hugging Face's schedule climbs again, this one stays at its floor.
    @Test func matchesHuggingFaceWithoutAFloor() {
        let schedule = WarmupCosineSchedule(maxRate: 0.3, warmupSteps: 7, steps: 50)
        for step in 0...50 {
            let expected = 0.3 * huggingFace(step: step, warmup: 7, total: 50)
            #expect(abs(schedule.learningRate(at: step) - expected) < 1e-15, "step \(step)")
        }
    }

    /// Values from the formula in the type's documentation, evaluated in Python.
    @Test func matchesTheFormulaWithAFloor() {
        let schedule = WarmupCosineSchedule(minRate: 1e-3, maxRate: 0.1, warmupSteps: 10, steps: 110)
        let reference: [(Int, Double)] = [
            (0, 0.001), (1, 0.0109), (5, 0.0505), (10, 0.1), (35, 0.0855017856687341), (60, 0.0505),
            (85, 0.0154982143312659), (109, 0.0010244252618962857), (110, 0.001), (1000, 0.001), (-3, 0.001),
        ]
        for (step, rate) in reference {
            #expect(abs(schedule.learningRate(at: step) - rate) < 1e-15, "step \(step)")
        }
        #expect(schedule.naturalLength == 110)
    }

    @Test func isMadeByNameWithDefaults() throws {
        let schedule = try make(#"{"name": "warmup_cosine", "eta_max": 0.1, "total_steps": 100}"#)
        #expect(schedule as? WarmupCosineSchedule == WarmupCosineSchedule(minRate: 0, maxRate: 0.1, warmupSteps: 0, steps: 100))
        #expect(schedule.learningRate(at: 0) == 0.1)
    }

    @Test(arguments: [
        (#"{"name": "warmup_cosine", "eta_max": 0.1}"#, "'schedule.total_steps'"),
        (#"{"name": "warmup_cosine", "eta_mx": 0.1, "total_steps": 10}"#, "eta_max"),
        (#"{"name": "warmup_cosine", "eta_max": 0.1, "total_steps": 10, "warmup_steps": 10}"#, "'schedule.warmup_steps'"),
        (#"{"name": "warmup_cosine", "eta_max": 0.1, "total_steps": 0}"#, "'schedule.total_steps'"),
        (#"{"name": "warmup_cosine", "eta_min": 0.2, "eta_max": 0.1, "total_steps": 10}"#, "'schedule.eta_max'"),
        (#"{"name": "warmup_cosine", "eta_max": "fast", "total_steps": 10}"#, "'schedule.eta_max'"),
    ])
    func badOptionsNameTheKey(json: String, key: String) {
        #expect { try make(json) } throws: { "\($0)".contains(key) }
    }

    /// `backprop-plus` knows the schedule by name where plain `backprop` does not.
    @Test func theCommandLineKnowsTheSchedule() throws {
        var registries = PluginRegistries.standard
        registerWarmupCosine(in: &registries.schedules)
        let arguments = ["schedule", "warmup_cosine", "--eta-max", "0.1", "--warmup-steps", "2", "--total-steps", "4"]
        try BackpropTool(registries: registries).run(arguments)
        #expect { try BackpropTool(registries: .standard).run(arguments) } throws: {
            "\($0)".contains("unknown schedule 'warmup_cosine'")
        }
    }
}
