import BackpropRegistry
import BackpropSchedules
import Testing

/// The errors a user sees for a mistaken schedule configuration.
@Suite("Schedule registry")
struct ScheduleRegistryTests {
    let registry = Registry<any LearningRateSchedule>.standardSchedules
    let valid: [String: JSONValue] = ["name": "triangular", "eta_min": 1e-5, "eta_max": 1e-1, "step_size": 500]

    func making(_ changes: [String: JSONValue?]) throws -> any LearningRateSchedule {
        var members = valid
        for (key, value) in changes { members[key] = value }
        return try registry.make(.object(members), path: "schedule")
    }

    func error(_ changes: [String: JSONValue?]) -> ConfigurationError? {
        do {
            _ = try making(changes)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test("the standard set, under kind 'schedule'")
    func names() {
        #expect(registry.kind == "schedule")
        #expect(registry.names == [
            "constant", "exp_range", "exponential_ramp", "linear_ramp", "lr_range_test", "step_decay", "triangular", "triangular2",
        ])
        #expect(!registry.contains("cosine_restarts"))
    }

    @Test("an unknown name lists the registered names and suggests the nearest")
    func unknownName() throws {
        let failure = try #require(error(["name": "triangulr"]))
        #expect(failure == .unknownName(kind: "schedule", name: "triangulr", registered: registry.names))
        #expect(failure.description.contains("Did you mean 'triangular'?"))
        #expect(failure.description.contains("constant, exp_range, exponential_ramp, linear_ramp, lr_range_test"))
    }

    @Test("a missing parameter is named with its path")
    func missing() {
        #expect(error(["eta_max": nil]) == .missingKey(path: "schedule.eta_max"))
        #expect(error(["step_size": nil]) == .missingKey(path: "schedule.step_size"))
    }

    @Test("a misspelt key is reported with its correction, even when it makes a required key missing")
    func misspelt() throws {
        let alone = try #require(error(["eta_max": nil, "eta_mx": 0.1]))
        #expect(alone.description.contains("unknown key 'schedule.eta_mx'. Did you mean 'eta_max'?"))
        let extra = try #require(error(["eta_mx": 0.1]))
        #expect(extra.description.contains("Did you mean 'eta_max'?"))
    }

    @Test("gamma is accepted only where it means something")
    func gammaOnlyForExpRange() throws {
        guard case .unknownKey(let path, _)? = error(["gamma": 0.99]) else {
            Issue.record("triangular accepted gamma")
            return
        }
        #expect(path == "schedule.gamma")
        #expect(error(["name": "triangular2", "gamma": 0.99]) != nil)
        let expRange = try making(["name": "exp_range", "gamma": 0.99])
        #expect(expRange.description.hasPrefix("exp_range("))
        // gamma defaults to 1, which makes exp_range the plain triangle.
        let plain = try making(["name": "exp_range"])
        let triangle = try making([:])
        #expect(sample(plain, steps: 2000) == sample(triangle, steps: 2000))
    }

    @Test("impossible values name their key", arguments: [
        (["eta_min": -1e-5], "schedule.eta_min"),
        (["eta_max": 1e-6], "schedule.eta_max"),
        (["step_size": 0], "schedule.step_size"),
        (["cycles": 0], "schedule.cycles"),
        (["name": "exp_range", "gamma": 0], "schedule.gamma"),
        (["name": "exp_range", "gamma": -0.9], "schedule.gamma"),
        (["eta_max": .number(.infinity)], "schedule.eta_max"),
        (["eta_min": .number(.nan)], "schedule.eta_min"),
    ] as [([String: JSONValue], String)])
    func invalid(changes: [String: JSONValue], key: String) {
        guard case .invalidValue(let path, let reason)? = error(changes) else {
            Issue.record("\(changes) was accepted or gave another error: \(String(describing: error(changes)))")
            return
        }
        #expect(path == key, "\(reason)")
    }

    @Test("a fractional step size is a type error, not a silent rounding")
    func fractional() {
        #expect(error(["step_size": 2.5]) == .wrongType(path: "schedule.step_size", expected: "a whole number", found: "2.5"))
    }

    @Test("every step-count parameter takes epochs, resolved with the context's batches per epoch")
    func stepCountsInEpochs() throws {
        let context = PluginContext(batchesPerEpoch: 45)
        func make(_ value: JSONValue) throws -> any LearningRateSchedule {
            try registry.make(value, path: "schedule", context: context)
        }
        let triangular = try make(["name": "triangular", "eta_min": 0, "eta_max": 1, "step_size_epochs": 2, "cycles": 1])
        #expect((triangular as? TriangularSchedule)?.stepSize == 90)
        let half = try make(["name": "triangular2", "eta_min": 0, "eta_max": 1, "step_size": ["epochs": 0.5]])
        #expect((half as? TriangularSchedule)?.stepSize == 22)
        let decay = try make(["name": "step_decay", "eta": 0.1, "gamma": 0.5, "step_size_epochs": 1])
        #expect((decay as? StepDecaySchedule)?.every == 45)
        let ramp = try make(["name": "lr_range_test", "eta_min": 1e-5, "eta_max": 0.2, "steps_epochs": 4])
        #expect(ramp.naturalLength == 180)
        let linear = try make(["name": "linear_ramp", "eta_min": 0, "eta_max": 1, "steps": ["steps": 10]])
        #expect(linear.naturalLength == 10)
    }

    @Test("each built-in lists the parameters it declares")
    func parameters() {
        #expect(registry.parameters(of: "triangular") == ["eta_min", "eta_max", .steps("step_size"), "cycles"])
        #expect(registry.parameters(of: "exp_range") == ["eta_min", "eta_max", .steps("step_size"), "cycles", "gamma"])
        #expect(registry.parameters(of: "step_decay") == ["eta", "gamma", .steps("step_size")])
        #expect(registry.parameters(of: "lr_range_test") == ["eta_min", "eta_max", .steps("steps")])
        #expect(registry.parameters(of: "constant") == ["eta"])
    }

    @Test("the three step_size bugs, through the registry")
    func stepSizeBugs() throws {
        // 1: both spellings are an error naming them, not an overwrite.
        #expect(error(["step_size_epochs": 2]) == .invalidValue(
            path: "schedule.step_size_epochs", reason: "cannot be given together with 'step_size'; give the count once"))
        // 2: a fraction of an epoch; a count that resolves to nothing names the key written.
        let tiny = PluginContext(batchesPerEpoch: 1)
        let value: JSONValue = ["name": "triangular", "eta_min": 0, "eta_max": 1, "step_size_epochs": 0.5]
        #expect(throws: ConfigurationError.invalidValue(
            path: "schedule.step_size_epochs", reason: "must give at least 1 step, found 0.5 epochs = 0 steps at 1 batch per epoch"
        )) { try registry.make(value, path: "schedule", context: tiny) }
        #expect(throws: Never.self) { try registry.make(value, path: "schedule") }   // only checked: fine
        // 3: a parameter of another name; a ramp needs two steps, whatever the unit.
        #expect(throws: ConfigurationError.self) {
            try registry.make(["name": "lr_range_test", "eta_min": 0, "eta_max": 1, "steps_epochs": 1], path: "schedule",
                              context: tiny)
        }
        // The shorthand belongs to step counts only.
        guard case .unknownKey(let path, _)? = error(["eta_max_epochs": 1]) else {
            Issue.record("eta_max_epochs accepted")
            return
        }
        #expect(path == "schedule.eta_max_epochs")
    }

    @Test("cycles that overflow the schedule's length are an error, not a trap")
    func overflowingCycles() {
        guard case .invalidValue(let path, _)? = error(["step_size": 999_999_999_999_999, "cycles": 1_000_000]) else {
            Issue.record("an overflowing length was accepted")
            return
        }
        #expect(path == "schedule.cycles")
    }

    @Test("a schedule given by name alone needs its parameters")
    func nameOnly() {
        #expect(throws: ConfigurationError.missingKey(path: "schedule.eta")) {
            try registry.make("constant", path: "schedule")
        }
    }

    @Test("a user schedule registers next to the built-ins and can replace one")
    func userSchedule() throws {
        struct Halving: LearningRateSchedule {
            var rate: Double
            func learningRate(at step: Int) -> Double { rate / Double(1 << min(step, 60)) }
            var description: String { "halving(\(rate))" }
        }
        var schedules = registry
        schedules.register("halving") { options in
            try options.declare("eta")
            return Halving(rate: try options.required("eta", .nonNegative))
        }
        let halving = try schedules.make(["name": "halving", "eta": 1.0], path: "schedule")
        #expect(sample(halving, steps: 3) == [1, 0.5, 0.25])
        #expect(halving.naturalLength == nil)
        schedules.register("constant") { _ in Halving(rate: 2) }
        #expect(try schedules.make("constant", path: "schedule").learningRate(at: 1) == 1)
    }
}
