import BackpropRegistry
import Testing

/// The reading rules every plug-in shares: unknown keys first, declared reads, nothing ignored.
@Suite("Options")
struct OptionsTests {
    struct Rate: Equatable { var low: Double, high: Double, cycles: Int? }

    /// A plug-in that reads its values and checks them before it reads the next: the order in which a
    /// hand-rolled reader would report a missing or bad value before an unknown key.
    func registry() -> Registry<Rate> {
        var registry = Registry<Rate>(kind: "schedule")
        registry.register("ramp") { options in
            try options.declare("eta_min", "eta_max", "cycles")
            let low: Double = try options.required("eta_min", .nonNegative)
            let high: Double = try options.required("eta_max", .nonNegative)
            return Rate(low: low, high: high, cycles: try options.optional("cycles", .atLeast(1)))
        }
        return registry
    }

    func error(_ value: JSONValue) -> ConfigurationError? {
        do {
            _ = try registry().make(value, path: "schedule")
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test("an unknown key is reported before a missing key, whatever the reading order")
    func unknownBeforeMissing() throws {
        // eta_min is read first and is missing; the unknown key hides eta_max, read later.
        let found = try #require(error(["name": "ramp", "eta_mx": 0.1]))
        #expect(found == .unknownKey(path: "schedule.eta_mx", allowed: ["cycles", "eta_max", "eta_min", "name"]))
        #expect(found.description.contains("Did you mean 'eta_max'?"))
        // A key that resembles nothing is reported too, not the missing eta_min.
        #expect(error(["name": "ramp", "speed": 1]) == .unknownKey(
            path: "schedule.speed", allowed: ["cycles", "eta_max", "eta_min", "name"]))
    }

    @Test("an unknown key is reported before an impossible value")
    func unknownBeforeInvalid() {
        guard case .unknownKey(let path, _)? = error(["name": "ramp", "eta_min": -1, "eta_max": 1, "cyles": 2]) else {
            Issue.record("the negative eta_min was reported before the unknown key")
            return
        }
        #expect(path == "schedule.cyles")
    }

    @Test("without unknown keys: missing, mistyped and impossible values name their key")
    func valuesNameTheirKey() throws {
        #expect(error(["name": "ramp", "eta_max": 1]) == .missingKey(path: "schedule.eta_min"))
        #expect(error(["name": "ramp", "eta_min": "low", "eta_max": 1])
            == .wrongType(path: "schedule.eta_min", expected: "a number", found: "string"))
        #expect(error(["name": "ramp", "eta_min": -1, "eta_max": 1])
            == .invalidValue(path: "schedule.eta_min", reason: "must not be negative, found -1.0"))
        #expect(error(["name": "ramp", "eta_min": 0, "eta_max": 1, "cycles": 0])
            == .invalidValue(path: "schedule.cycles", reason: "must be at least 1, found 0"))
        #expect(try registry().make(["name": "ramp", "eta_min": 0, "eta_max": 1, "cycles": .null], path: "s")
            == Rate(low: 0, high: 1, cycles: nil))
    }

    @Test("a plug-in that reads before declaring, or reads an undeclared key, fails with the fix, on every input")
    func declarationIsEnforced() {
        var registry = Registry<Double>(kind: "regularizer")
        registry.register("undeclared") { options in try options.required("lambda") }
        registry.register("partly") { options in
            try options.declare("lambda")
            return try options.required("lambda") + (try options.optional("mu") ?? 0)
        }
        registry.register("peeks") { options in options.contains("lambda") ? 1 : 0 }
        #expect(throws: ConfigurationError.invalidValue(
            path: "r.lambda",
            reason: "is read before the plug-in declared its keys: its reader must call options.declare(…) first"
        )) { try registry.make(["name": "undeclared", "lambda": 1], path: "r") }
        #expect(throws: ConfigurationError.invalidValue(
            path: "r.mu", reason: "is read but was not declared: the plug-in's options.declare(…) must list it"
        )) { try registry.make(["name": "partly", "lambda": 1], path: "r") }
        // A non-throwing read is reported when the factory returns.
        #expect(throws: ConfigurationError.self) { try registry.make("peeks", path: "r") }
    }

    @Test("a declared key that the plug-in leaves unread is not silently ignored")
    func declaredButUnused() {
        var registry = Registry<Int>(kind: "augmentation")
        registry.register("flip") { options in
            try options.declare("mode", "angle")
            let mode: String = try options.required("mode")
            return mode == "rotate" ? try options.required("angle") : 0
        }
        #expect(throws: ConfigurationError.invalidValue(
            path: "a.angle", reason: "is not used with the other settings given here"
        )) { try registry.make(["name": "flip", "mode": "mirror", "angle": 90], path: "a") }
        #expect((try? registry.make(["name": "flip", "mode": "rotate", "angle": 90], path: "a")) == 90)
    }

    @Test("nested options inherit the context and the declaration rule")
    func nestedInherits() throws {
        var registry = Registry<PluginContext>(kind: "augmentation")
        registry.register("crop") { options in
            try options.declare("size")
            var size = try options.nested("size")
            try size.declare("height", "width")
            _ = try size.required("height", .atLeast(1)) as Int
            _ = try size.required("width", .atLeast(1)) as Int
            try size.finish()
            return size.context
        }
        let context = PluginContext(batchesPerEpoch: 3, imageShape: .mnist)
        let seen = try registry.make(["name": "crop", "size": ["height": 2, "width": 2]], path: "a", context: context)
        #expect(seen == context)
        #expect(throws: ConfigurationError.unknownKey(path: "a.size.widht", allowed: ["height", "width"])) {
            try registry.make(["name": "crop", "size": ["height": 2, "widht": 2]], path: "a")
        }
    }

    @Test("the context reaches the factory; make(name:options:) keeps the options' context")
    func contextReachesTheFactory() throws {
        var registry = Registry<PluginContext>(kind: "thing")
        registry.register("echo") { options in options.context }
        #expect(try registry.make("echo", path: "x") == PluginContext())
        let context = PluginContext(batchesPerEpoch: 450, imageShape: .cifar)
        #expect(try registry.make(["name": "echo"], path: "x", context: context) == context)
        #expect(try registry.make(name: "echo", options: Options(path: "x", context: context)) == context)
    }

    @Test("without a declaration (an experiment file's sections): unread keys fail at finish, typos before missing")
    func undeclaredReading() throws {
        var options = try Options(["batch_sise": 100, "epochs": 3], path: "training")
        #expect(try options.optional("epochs") == 3)
        // The missing key has a likely misspelling among the unread keys: that is reported.
        #expect(throws: ConfigurationError.unknownKey(path: "training.batch_sise", allowed: ["batch_size", "epochs"])) {
            _ = try options.required("batch_size") as Int
        }
        var other = try Options(["seed": 1, "momentum": 0.9], path: "training")
        #expect(throws: ConfigurationError.missingKey(path: "training.batch_size")) {
            _ = try other.required("batch_size") as Int
        }
        _ = try other.optional("momentum") as Double?
        #expect(throws: ConfigurationError.unknownKey(path: "training.seed", allowed: ["batch_size", "momentum"])) {
            try other.finish()
        }
    }

    @Test("a non-object is a type error naming the path")
    func notAnObject() {
        #expect(throws: ConfigurationError.wrongType(path: "schedule", expected: "an object", found: "array")) {
            _ = try Options([1, 2], path: "schedule")
        }
    }
}
