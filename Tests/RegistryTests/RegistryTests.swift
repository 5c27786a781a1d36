import BackpropRegistry
import Testing

@Suite struct RegistryTests {
    struct Rate: Equatable { var eta: Double }

    func registry() -> Registry<Rate> {
        var registry = Registry<Rate>(kind: "schedule")
        registry.register("constant") { options in
            try options.declare("eta")
            return Rate(eta: try options.required("eta"))
        }
        registry.register("triangular") { _ in Rate(eta: 0) }
        return registry
    }

    @Test func buildsByName() throws {
        let rate = try registry().make(["name": "constant", "eta": 0.5], path: "schedule")
        #expect(rate == Rate(eta: 0.5))
        #expect(registry().names == ["constant", "triangular"])
    }

    @Test func acceptsABareName() throws {
        #expect(try registry().make("triangular", path: "schedule") == Rate(eta: 0))
    }

    @Test func unknownNameListsTheRegisteredOnesAndSuggests() {
        #expect {
            try registry().make(["name": "triangulr"], path: "schedule")
        } throws: { error in
            let text = "\(error)"
            return text.contains("unknown schedule 'triangulr'") && text.contains("Did you mean 'triangular'")
                && text.contains("constant, triangular")
        }
    }

    @Test func unreadParameterIsAnError() {
        #expect {
            try registry().make(["name": "constant", "eta": 0.1, "eta_mx": 2], path: "schedule")
        } throws: { error in
            "\(error)".contains("unknown key 'schedule.eta_mx'")
        }
    }

    @Test func missingAndMistypedParametersNameTheKey() {
        #expect(throws: ConfigurationError.missingKey(path: "schedule.eta")) {
            try registry().make(["name": "constant"], path: "schedule")
        }
        #expect(throws: ConfigurationError.wrongType(path: "schedule.eta", expected: "a number", found: "string")) {
            try registry().make(["name": "constant", "eta": "fast"], path: "schedule")
        }
    }

    @Test func parametersAreTheDeclaredKeys() {
        var registry = registry()
        registry.register("ramp") { options in
            try options.declare("eta_min", .steps("steps"))
            return Rate(eta: try options.required("eta_min"))
        }
        #expect(registry.parameters(of: "constant") == ["eta"])
        #expect(registry.parameters(of: "ramp") == ["eta_min", .steps("steps")])
        #expect(registry.parameters(of: "ramp")?.flatMap(\.names) == ["eta_min", "steps", "steps_epochs"])
        #expect(registry.parameters(of: "triangular") == [])
        #expect(registry.parameters(of: "nothing") == nil)
    }

    @Test func laterRegistrationReplacesEarlier() throws {
        var registry = registry()
        registry.register("constant") { _ in Rate(eta: 7) }
        #expect(try registry.make("constant", path: "s") == Rate(eta: 7))
    }
}
