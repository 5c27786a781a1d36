import BackpropRegistry
import Testing

/// The public value checks that built-ins and plug-ins share, and their words.
@Suite("Option checks")
struct OptionCheckTests {
    func reason<V>(_ value: V, _ check: OptionCheck<V>) -> String? { check.failure(value) }

    @Test func nonNegative() {
        #expect(reason(0.0, .nonNegative) == nil)
        #expect(reason(2.5, .nonNegative) == nil)
        #expect(reason(-0.1, .nonNegative) == "must not be negative, found -0.1")
        #expect(reason(Double.infinity, .nonNegative) == "must be a finite number, found inf")
        #expect(reason(Double.nan, .nonNegative) == "must be a finite number, found nan")
    }

    @Test func positive() {
        #expect(reason(1e-9, .positive) == nil)
        #expect(reason(0.0, .positive) == "must be positive, found 0.0")
        #expect(reason(-Double.infinity, .positive) == "must be a finite number, found -inf")
    }

    @Test func probability() {
        #expect(reason(0.0, .probability) == nil)
        #expect(reason(1.0, .probability) == nil)
        #expect(reason(1.5, .probability) == "must be in [0, 1], found 1.5")
        #expect(reason(Double.nan, .probability) == "must be in [0, 1], found nan")
        #expect(reason(0.99, .probability(includingOne: false)) == nil)
        #expect(reason(1.0, .probability(includingOne: false)) == "must be in [0, 1), found 1.0")
        #expect(reason(-0.5, .probability(includingOne: false)) == "must be in [0, 1), found -0.5")
    }

    @Test func atLeast() {
        #expect(reason(1, .atLeast(1)) == nil)
        #expect(reason(0, .atLeast(1)) == "must be at least 1, found 0")
        #expect(reason(1, .atLeast(2)) == "must be at least 2, found 1")
    }

    @Test func combinedAndCustom() {
        let even = OptionCheck<Int> { $0 % 2 == 0 ? nil : "must be even, found \($0)" }
        let check = OptionCheck<Int>.atLeast(2).and(even)
        #expect(reason(4, check) == nil)
        #expect(reason(0, check) == "must be at least 2, found 0")
        #expect(reason(3, check) == "must be even, found 3")
    }

    @Test("options name the key of a failed check, and of an unordered range")
    func optionsNameTheKey() throws {
        var options = try Options(["eta_min": 0.5, "eta_max": 0.1, "gamma": 0], path: "schedule")
        #expect(throws: ConfigurationError.invalidValue(path: "schedule.gamma", reason: "must be positive, found 0.0")) {
            _ = try options.required("gamma", .positive) as Double
        }
        #expect(throws: ConfigurationError.invalidValue(path: "schedule.eta_max", reason: "must be at least eta_min (0.5), found 0.1")) {
            try options.checkOrdered(0.5, "eta_min", 0.1, "eta_max")
        }
        #expect(try options.optional("cycles", .atLeast(1)) == nil)
        #expect(try options.optional("eta_min", .nonNegative) == 0.5)
    }
}
