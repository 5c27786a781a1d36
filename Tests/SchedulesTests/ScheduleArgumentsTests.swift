import BackpropRegistry
import BackpropSchedules
import Testing

@Suite("Command-line schedule options")
struct ScheduleArgumentsTests {
    @Test("flags become keys with underscores and numbers become JSON numbers")
    func parsing() throws {
        let (name, parameters) = try scheduleOptions(fromArguments: [
            "triangular", "--eta-min", "1e-5", "--eta-max=0.1", "--step-size", "500",
        ])
        #expect(name == "triangular")
        #expect(parameters == ["eta_min": 1e-5, "eta_max": 0.1, "step_size": 500])
    }

    @Test("the parsed options build the same schedule as the JSON configuration")
    func buildsSchedule() throws {
        let (name, parameters) = try scheduleOptions(fromArguments: [
            "--eta-min", "1e-5", "exp_range", "--eta-max", "0.1", "--step-size", "7", "--gamma", "0.9994",
        ])
        let registry = Registry<any LearningRateSchedule>.standardSchedules
        let fromArguments = try registry.make(name: try #require(name), options: Options(parameters, path: "schedule"))
        let fromJSON = try registry.make(
            ["name": "exp_range", "eta_min": 1e-5, "eta_max": 0.1, "step_size": 7, "gamma": 0.9994], path: "schedule")
        #expect(sample(fromArguments, steps: 100) == sample(fromJSON, steps: 100))
    }

    @Test("no name, negative numbers, booleans and strings")
    func values() throws {
        let (name, parameters) = try scheduleOptions(fromArguments: ["--gamma", "-1", "--warm", "true", "--kind", "fast"])
        #expect(name == nil)
        #expect(parameters == ["gamma": -1, "warm": true, "kind": "fast"])
        #expect(try scheduleOptions(fromArguments: []).parameters == [:])
    }

    @Test("a flag without a value is an error naming the flag")
    func missingValue() {
        #expect(throws: ConfigurationError.invalidValue(path: "--eta-min", reason: "needs a value, as in --eta-min 0.01")) {
            try scheduleOptions(fromArguments: ["triangular", "--eta-min", "--step-size", "500"])
        }
        #expect(throws: ConfigurationError.invalidValue(path: "--step-size", reason: "needs a value, as in --step-size 0.01")) {
            try scheduleOptions(fromArguments: ["triangular", "--step-size"])
        }
    }

    @Test("repeated flags and a second name are errors")
    func ambiguous() {
        #expect(throws: ConfigurationError.invalidValue(path: "--eta_min", reason: "is given twice")) {
            try scheduleOptions(fromArguments: ["--eta-min", "1", "--eta_min", "2"])
        }
        #expect(throws: ConfigurationError.self) {
            try scheduleOptions(fromArguments: ["triangular", "500"])
        }
    }

    @Test("a non-finite value parses, then the schedule rejects it by key")
    func nonFinite() throws {
        let (_, parameters) = try scheduleOptions(fromArguments: ["--eta", "inf"])
        #expect(throws: ConfigurationError.invalidValue(path: "schedule.eta", reason: "must be a finite number, found inf")) {
            try Registry<any LearningRateSchedule>.standardSchedules.make(
                name: "constant", options: Options(parameters, path: "schedule"))
        }
    }
}
