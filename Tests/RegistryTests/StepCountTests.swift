import BackpropRegistry
import BackpropTestSupport
import Testing

/// Step counts given in steps or epochs, read by any plug-in parameter with no code of its own.
@Suite("Step counts")
struct StepCountTests {
    @Test func readsEveryJSONForm() throws {
        #expect(try StepCount(json: 500, path: "s") == .steps(500))
        #expect(try StepCount(json: ["steps": 500], path: "s") == .steps(500))
        #expect(try StepCount(json: ["epochs": 2], path: "s") == .epochs(2))
        #expect(try StepCount(json: ["epochs": 0.5], path: "s") == .epochs(0.5))
    }

    @Test func rejectsWhatIsNotAStepCount() {
        #expect(throws: ConfigurationError.wrongType(path: "s", expected: "a whole number", found: "2.5")) {
            try StepCount(json: 2.5, path: "s")
        }
        #expect(throws: ConfigurationError.self) { try StepCount(json: "500", path: "s") }
        #expect(throws: ConfigurationError.self) { try StepCount(json: ["epochs": 1, "steps": 2], path: "s") }
        #expect(throws: ConfigurationError.self) { try StepCount(json: ["epoch": 1], path: "s") }
        #expect(throws: ConfigurationError.invalidValue(path: "s.epochs", reason: "must be a finite number of epochs ≥ 0, found -1.0")) {
            try StepCount(json: ["epochs": -1], path: "s")
        }
        #expect(throws: ConfigurationError.wrongType(path: "s.steps", expected: "a number", found: "string")) {
            try StepCount(json: ["steps": "many"], path: "s")
        }
    }

    @Test func resolvesEpochsDownward() {
        #expect(StepCount.steps(500).resolved(batchesPerEpoch: 450) == 500)
        #expect(StepCount.epochs(2).resolved(batchesPerEpoch: 450) == 900)
        #expect(StepCount.epochs(0.5).resolved(batchesPerEpoch: 45) == 22)
        #expect(StepCount.epochs(0.01).resolved(batchesPerEpoch: 45) == 0)
        #expect(StepCount.epochs(1e300).resolved(batchesPerEpoch: 45) == Int.max)
        #expect(StepCount.steps(1).description == "1 step")
        #expect(StepCount.epochs(2).description == "2 epochs")
        #expect(StepCount.epochs(0.5).description == "0.5 epochs")
    }

    func steps(_ members: [String: JSONValue], batches: Int?, minimum: Int = 1) throws -> Int? {
        var options = try Options(.object(members), path: "schedule", context: PluginContext(batchesPerEpoch: batches))
        return try options.steps("step_size", minimum: minimum)
    }

    @Test("the three forms agree; absent is nil")
    func forms() throws {
        #expect(try steps(["step_size": 900], batches: 450) == 900)
        #expect(try steps(["step_size": ["epochs": 2]], batches: 450) == 900)
        #expect(try steps(["step_size_epochs": 2], batches: 450) == 900)
        #expect(try steps([:], batches: 450) == nil)
        #expect(try steps(["step_size": .null], batches: 450) == nil)
    }

    @Test("bug 1: step_size and step_size_epochs together are an error, not a silent overwrite")
    func bothGiven() {
        #expect(throws: ConfigurationError.invalidValue(
            path: "schedule.step_size_epochs", reason: "cannot be given together with 'step_size'; give the count once"
        )) { try steps(["step_size": 500, "step_size_epochs": 2], batches: 450) }
        // Also while the configuration is only checked.
        #expect(throws: ConfigurationError.self) { try steps(["step_size": 500, "step_size_epochs": 2], batches: nil) }
    }

    @Test("bug 2: half an epoch works, and a count that resolves to 0 names step_size_epochs")
    func fractionalEpochs() throws {
        #expect(try steps(["step_size_epochs": 0.5], batches: 45) == 22)
        #expect(try steps(["step_size_epochs": 0.5], batches: 2) == 1)
        #expect(throws: ConfigurationError.invalidValue(
            path: "schedule.step_size_epochs",
            reason: "must give at least 1 step, found 0.5 epochs = 0 steps at 1 batch per epoch"
        )) { try steps(["step_size_epochs": 0.5], batches: 1) }
        // Written as {"epochs": x}, the error names the key the user wrote.
        guard case .invalidValue(let path, _)? = captureConfigurationError({ try steps(["step_size": ["epochs": 0.5]], batches: 1) }) else {
            Issue.record("0 steps accepted")
            return
        }
        #expect(path == "schedule.step_size")
        #expect(captureConfigurationError { try steps(["step_size": 0], batches: 45) }
            == .invalidValue(path: "schedule.step_size", reason: "must be at least 1, found 0"))
    }

    @Test("while only checked (no batches per epoch), positive epochs pass and zero epochs fail")
    func checkingOnly() throws {
        #expect(try steps(["step_size_epochs": 0.5], batches: nil) == 1)
        #expect(try steps(["step_size_epochs": 0.5], batches: nil, minimum: 2) == 2)
        #expect(try steps(["step_size_epochs": 3], batches: nil) == 3)
        #expect(throws: ConfigurationError.self) { try steps(["step_size_epochs": 0], batches: nil) }
        #expect(throws: ConfigurationError.self) { try steps(["step_size": 0], batches: nil) }
    }

    @Test("a count beyond StepCount.maximum is an error, not an overflow later")
    func tooLarge() {
        guard case .invalidValue(let path, _)? = captureConfigurationError({ try steps(["step_size_epochs": 1e300], batches: 45) }) else {
            Issue.record("an absurd step count was accepted")
            return
        }
        #expect(path == "schedule.step_size_epochs")
    }

    @Test("required: missing names the key")
    func requiredSteps() throws {
        var options = try Options(["steps_epochs": 1.5], path: "schedule", context: PluginContext(batchesPerEpoch: 10))
        #expect(try options.requiredSteps("steps", minimum: 2) == 15)
        #expect(throws: ConfigurationError.missingKey(path: "schedule.period")) { try options.requiredSteps("period") }
        #expect(try options.stepCount("steps") == .epochs(1.5))
    }

    @Test("bug 3: any parameter name works through the registry, with no code for it")
    func anyName() throws {
        var registry = Registry<Int>(kind: "schedule")
        registry.register("user") { options in
            try options.declare(.steps("period"), "eta")
            return try options.requiredSteps("period")
        }
        let context = PluginContext(batchesPerEpoch: 20)
        #expect(try registry.make(["name": "user", "period_epochs": 1.5], path: "schedule", context: context) == 30)
        #expect(try registry.make(["name": "user", "period": ["epochs": 2]], path: "schedule", context: context) == 40)
        #expect(try registry.make(["name": "user", "period": 7], path: "schedule", context: context) == 7)
        #expect(captureConfigurationError { try registry.make(["name": "user", "period": 7, "period_epochs": 1], path: "schedule") }
            == .invalidValue(path: "schedule.period_epochs", reason: "cannot be given together with 'period'; give the count once"))
        // A shorthand the plug-in did not declare as a step count is an unknown key.
        guard case .unknownKey(let path, _)? = captureConfigurationError({
            try registry.make(["name": "user", "period": 7, "eta_epochs": 1], path: "schedule")
        }) else {
            Issue.record("eta_epochs accepted")
            return
        }
        #expect(path == "schedule.eta_epochs")
    }

    @Test("a step count declared as a plain key is a plug-in error with the fix")
    func declaredPlain() {
        var registry = Registry<Int>(kind: "schedule")
        registry.register("user") { options in
            try options.declare("period")
            return try options.requiredSteps("period")
        }
        #expect(throws: ConfigurationError.invalidValue(
            path: "schedule.period", reason: "is read as a step count but declared as a plain key: declare it as .steps(\"period\")"
        )) { try registry.make(["name": "user", "period": 3], path: "schedule") }
    }

}
