import BackpropRegistry
import Testing

/// The wording of configuration errors, and the one rule for "Did you mean …?".
@Suite("Configuration errors")
struct ConfigurationErrorTests {
    @Test func editDistanceCountsSwapsOnce() {
        #expect(editDistance("std", "std") == 0)
        #expect(editDistance("sdt", "std") == 1)
        #expect(editDistance("eta_mx", "eta_max") == 1)
        #expect(editDistance("", "abc") == 3)
        #expect(editDistance("abc", "") == 3)
        #expect(editDistance("kitten", "sitting") == 3)
    }

    @Test func nearestSuggestsLikelyTyposOnly() {
        #expect(nearest(to: "eta_mx", in: ["eta_min", "eta_max"]) == "eta_max")
        #expect(nearest(to: "sdt", in: ["std"]) == "std")
        #expect(nearest(to: "Step-Size", in: ["step_size", "steps"]) == "step_size")
        #expect(nearest(to: "l1", in: ["dropout", "l2"]) == "l2")
        #expect(nearest(to: "xy", in: ["l2"]) == nil)
        #expect(nearest(to: "momentum", in: ["batch_size", "epochs"]) == nil)
        #expect(nearest(to: "x", in: []) == nil)
        // Ties go to the first name in sorted order, whatever the order given.
        #expect(nearest(to: "eta_m", in: ["eta_x", "eta_a"]) == "eta_a")
    }

    @Test("keys and plug-in names are suggested with the same words")
    func consistentWording() {
        #expect(ConfigurationError.unknownKey(path: "augmentations[0].sdt", allowed: ["std", "name"]).description
            == "unknown key 'augmentations[0].sdt'. Did you mean 'std'? Allowed here: name, std")
        #expect(ConfigurationError.unknownName(kind: "augmentation", name: "gausian_noise",
                                               registered: ["horizontal_flip", "gaussian_noise"]).description
            == "unknown augmentation 'gausian_noise'. Did you mean 'gaussian_noise'? Registered: gaussian_noise, horizontal_flip")
        #expect(ConfigurationError.unknownKey(path: "x", allowed: []).description
            == "unknown key 'x'. No keys are allowed here.")
        #expect(ConfigurationError.unknownName(kind: "schedule", name: "sgdr", registered: []).description
            == "unknown schedule 'sgdr'. None is registered.")
    }
}
