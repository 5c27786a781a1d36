/// The files and `Package.swift` lines of a new schedule module.
///
/// The schedule it writes is a working one, exponential decay (`eta · gamma^step`), so that the new
/// package builds and its tests pass at once; the comments mark what to replace with one's own formula.
struct ScheduleScaffold {
    var request: ScaffoldRequest
    /// How a target names Backprop in `Package.swift`: `"Backprop"` or `.product(name:package:)`.
    var backprop: String

    var type: String { "\(request.target)Schedule" }
    var testTarget: String { "\(request.target)Tests" }
    var sourcePath: String { "\(request.sources)/\(request.target)" }
    var testPath: String { "\(request.tests)/\(testTarget)" }

    /// Each file's path relative to the package and its contents.
    var files: [(path: String, contents: String)] {
        [("\(sourcePath)/\(type).swift", source), ("\(testPath)/\(type)Tests.swift", tests)]
    }

    /// A statement to append to `Package.swift`, between marker comments a script can find.
    var packageLines: String {
        """
        // scaffold-schedule \(request.name): begin
        package.targets += [
            .target(name: "\(request.target)", dependencies: [\(backprop)], path: "\(sourcePath)"),
            .testTarget(name: "\(testTarget)", dependencies: ["\(request.target)", \(backprop)], path: "\(testPath)"),
        ]
        // scaffold-schedule \(request.name): end

        """
    }

    var source: String {
        #"""
        import Backprop
        import Foundation

        /// The learning-rate schedule `"\#(request.name)"`.
        ///
        /// Written by `scaffold-schedule` as exponential decay, `rate = eta · gamma^step`: replace the
        /// parameters, `learningRate(at:)` and the options reader with your schedule's, keeping the
        /// contract of `LearningRateSchedule`: a pure function of the step, steps counted from 0, a finite
        /// non-negative rate for every step.
        ///
        /// ```json
        /// {"name": "\#(request.name)", "eta": 0.1, "gamma": 0.999, "total_steps": 1000}
        /// ```
        public struct \#(type): LearningRateSchedule, Equatable {
            /// The rate of step 0.
            public let eta: Double
            /// The factor the rate is multiplied by at every step.
            public let gamma: Double
            /// The number of steps training is meant to last, if given.
            public let steps: Int?

            /// A schedule; `eta` finite and ≥ 0, `gamma` in (0, 1], `steps` ≥ 1. `init(options:)` checks
            /// the same conditions and throws instead.
            public init(eta: Double, gamma: Double, steps: Int? = nil) {
                precondition(eta.isFinite && eta >= 0, "\#(request.name): eta must be finite and ≥ 0")
                precondition(gamma > 0 && gamma <= 1, "\#(request.name): gamma must be in (0, 1]")
                precondition(steps.map { $0 >= 1 } ?? true, "\#(request.name): steps must be ≥ 1")
                self.eta = eta
                self.gamma = gamma
                self.steps = steps
            }

            public func learningRate(at step: Int) -> Double {
                eta * pow(gamma, Double(max(step, 0)))
            }

            public var naturalLength: Int? { steps }

            public var description: String {
                "\#(request.name)(eta: \(eta), gamma: \(gamma)" + (steps.map { ", total_steps: \($0))" } ?? ")")
            }
        }

        extension \#(type) {
            /// Reads `eta`, `gamma` and the optional `total_steps` and checks them.
            ///
            /// - Throws: `ConfigurationError` naming the misspelt, missing, mistyped or impossible key.
            public init(options: inout Options) throws {
                // Declare every key first, so that a misspelt key is reported before a missing one;
                // `.steps` lets `total_steps` be given in epochs too.
                try options.declare("eta", "gamma", .steps("total_steps"))
                let eta: Double = try options.required("eta", .nonNegative)
                let gamma: Double = try options.required("gamma", .positive)
                try options.check(gamma <= 1, "gamma", "must be in (0, 1], found \(gamma)")
                let steps = try options.steps("total_steps")
                self.init(eta: eta, gamma: gamma, steps: steps)
            }
        }

        /// Registers `"\#(request.name)"`; call it on the registries your program hands to
        /// `ExperimentConfig` or `BackpropTool`:
        ///
        /// ```swift
        /// var registries = PluginRegistries.standard
        /// register\#(request.target)(in: &registries.schedules)
        /// ```
        public func register\#(request.target)(in registry: inout Registry<any LearningRateSchedule>) {
            registry.register("\#(request.name)") { options in try \#(type)(options: &options) }
        }

        """#
    }

    var tests: String {
        #"""
        import Backprop
        import Foundation
        import Testing
        import \#(request.target)

        @Suite struct \#(type)Tests {
            /// The registry a program would use: the built-in schedules plus this one.
            var schedules: Registry<any LearningRateSchedule> {
                var registry = Registry<any LearningRateSchedule>.standardSchedules
                register\#(request.target)(in: &registry)
                return registry
            }

            @Test func ratesFollowTheFormula() {
                let schedule = \#(type)(eta: 0.1, gamma: 0.5, steps: 4)
                #expect(schedule.learningRate(at: 0) == 0.1)
                #expect(abs(schedule.learningRate(at: 3) - 0.0125) < 1e-15)
                #expect(schedule.learningRate(at: -1) == 0.1)
                #expect(schedule.naturalLength == 4)
            }

            @Test func isMadeByNameFromJSON() throws {
                let schedule = try schedules.make(
                    JSONValue(parsing: #"{"name": "\#(request.name)", "eta": 0.2, "gamma": 0.5}"#, source: "test"),
                    path: "schedule")
                #expect(schedule.learningRate(at: 1) == 0.1)
                #expect(schedule.naturalLength == nil)
            }

            @Test func badOptionsNameTheKey() throws {
                let cases = [
                    (#"{"name": "\#(request.name)", "eta": 0.1, "gamma": 0}"#, "schedule.gamma"),
                    (#"{"name": "\#(request.name)", "eta": 0.1}"#, "schedule.gamma"),
                    (#"{"name": "\#(request.name)", "eta": 0.1, "gama": 0.5}"#, "gama"),
                ]
                for (json, key) in cases {
                    #expect { try schedules.make(JSONValue(parsing: json, source: "test"), path: "schedule") } throws: {
                        "\($0)".contains(key)
                    }
                }
            }
        }

        """#
    }
}
