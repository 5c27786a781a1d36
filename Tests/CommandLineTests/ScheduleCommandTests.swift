import Backprop
import Testing

@testable import BackpropCommandLine

/// `backprop schedule`'s command line: the schedule's parameters as undeclared `--key value` options.
@Suite("backprop schedule's parameters")
struct ScheduleCommandTests {
    let registry = PluginRegistries.standard.schedules

    func parse(_ words: [String]) throws -> (name: String?, parameters: JSONValue) {
        let parsed = try ScheduleCommand.interface(registry: registry).within("backprop").parse(words)
        return (try parsed.value("schedule", as: String.self), try ScheduleCommand.parameters(parsed.otherOptions))
    }

    @Test("options become keys with underscores and numbers become JSON numbers")
    func parsing() throws {
        let (name, parameters) = try parse(["triangular", "--eta-min", "1e-5", "--eta-max=0.1", "--step-size", "500"])
        #expect(name == "triangular")
        #expect(parameters == ["eta_min": 1e-5, "eta_max": 0.1, "step_size": 500])
    }

    @Test("the parsed options build the same schedule as the JSON configuration")
    func buildsSchedule() throws {
        let (name, parameters) = try parse([
            "--eta-min", "1e-5", "exp_range", "--eta-max", "0.1", "--step-size", "7", "--gamma", "0.9994", "--steps", "9",
        ])
        let fromArguments = try registry.make(name: try #require(name), options: Options(parameters, path: "schedule"))
        let fromJSON = try registry.make(
            ["name": "exp_range", "eta_min": 1e-5, "eta_max": 0.1, "step_size": 7, "gamma": 0.9994], path: "schedule")
        #expect(sample(fromArguments, steps: 100) == sample(fromJSON, steps: 100))
    }

    @Test("no name, negative numbers, booleans and strings")
    func values() throws {
        let (name, parameters) = try parse(["--gamma", "-1", "--warm", "true", "--kind", "fast"])
        #expect(name == nil)
        #expect(parameters == ["gamma": -1, "warm": true, "kind": "fast"])
        #expect(try parse([]).parameters == [:])
    }

    @Test("an option without a value is an error naming it")
    func missingValue() {
        #expect(usageError { _ = try parse(["triangular", "--eta-min", "--step-size", "500"]) }
            == "option '--eta-min' needs a value. See 'backprop schedule --help'.")
        #expect(usageError { _ = try parse(["triangular", "--step-size"]) }
            == "option '--step-size' needs a value. See 'backprop schedule --help'.")
    }

    @Test("a parameter given twice and a second name are errors")
    func ambiguous() {
        #expect(usageError { _ = try parse(["--eta-min", "1", "--eta_min", "2"]) } == "option '--eta_min' is given twice")
        #expect(usageError { _ = try parse(["triangular", "500"]) }
            == "unexpected argument '500' for 'backprop schedule'. See 'backprop schedule --help'.")
        #expect(usageError { _ = try parse(["--steps", "1", "--steps", "2"]) }
            == "option '--steps' is given twice. See 'backprop schedule --help'.")
    }

    @Test("a non-finite value parses, then the schedule rejects it by key")
    func nonFinite() throws {
        let (_, parameters) = try parse(["--eta", "inf"])
        #expect(throws: ConfigurationError.invalidValue(path: "schedule.eta", reason: "must be a finite number, found inf")) {
            try registry.make(name: "constant", options: Options(parameters, path: "schedule"))
        }
    }

    @Test("an unknown parameter is an unknown option, with the nearest parameter or option suggested")
    func unknownParameter() throws {
        func error(_ words: [String]) -> String? {
            usageError {
                try ScheduleCommand.run(try ScheduleCommand.interface(registry: registry).within("backprop").parse(words),
                                        registry: registry)
            }
        }
        #expect(error(["triangular", "--eta-min", "1e-5", "--eta-mx", "0.1", "--step-size", "2"])
            == "unknown option '--eta-mx' for 'backprop schedule triangular'. Did you mean '--eta-max'? "
            + "Its parameters: --cycles, --eta-max, --eta-min, --step-size, --step-size-epochs. See 'backprop schedule --help'.")
        #expect(error(["constant", "--eta", "0.1", "--step", "5"])?
            .hasPrefix("unknown option '--step' for 'backprop schedule constant'. Did you mean '--steps'?") == true)
        #expect(error(["constant"]) == "missing key '--eta'")
        #expect(error(["constant", "--eta", "0.1", "--steps", "0"])
            == "--steps must be a positive whole number, got '0'. See 'backprop schedule --help'.")
        #expect(error([])?.hasPrefix("name a schedule: constant,") == true)
    }

    @Test("a schedule whose parameter is steps (a ramp) takes the command's --steps as its length")
    func stepsIsShared() throws {
        let parsed = try ScheduleCommand.interface(registry: registry).parse(
            ["lr_range_test", "--eta-min", "1e-5", "--eta-max", "1", "--steps", "5"])
        #expect(throws: Never.self) { try ScheduleCommand.run(parsed, registry: registry) }
        #expect(!parsed.otherOptions.contains { $0.name == "steps" })
    }

    @Test("the help lists the registry's schedules")
    func help() {
        let help = ScheduleCommand.interface(registry: registry).help
        for name in registry.names { #expect(help.contains(name)) }
        #expect(help.contains("--PARAM VALUE"))
        // Names padded to the longest (exponential_ramp) plus two spaces.
        #expect(help.contains("\n  triangular        --eta-min --eta-max --step-size --cycles\n"), "\(help)")
        #expect(help.contains("\n  constant          --eta\n"))
        #expect(help.contains("\n  exponential_ramp  --eta-min --eta-max --steps\n"))
    }
}
