import Backprop
import Foundation

/// The work of DD2424 Assignment 2, stage by stage: what the `Assignment2` example runs and what
/// `backprop bench --pipeline` times against NumPy.
///
/// In order: the gradient check (Double, 20 features), the "overfit 100 examples" sanity check, one
/// cycle (n_s = 500) and three cycles (n_s = 800) on batch 1, the coarse-to-fine λ search (2 cycles with
/// n_s = 2⌊n/100⌋ on all batches less 5,000, scored on those 5,000) and the final model (best λ, all
/// batches less 1,000, 3 cycles). Every run writes its run directory under the base directory.
///
/// The stages are values (``sanity``, ``cycles``, ``searchJSON``, ``final(lambda:)``), so a caller can
/// read or change them; ``run(in:log:)`` runs them in order and times each.
public struct Assignment2Pipeline: Sendable {
    /// The seed of the shuffles and the weights (the search uses `seed + 1` for its draws).
    public var seed: UInt64
    /// Every stage shrunk, its structure kept (for tests and a first look).
    public var quick: Bool
    /// Trainings at once: the two cycle runs and the search's trials.
    public var parallel: Int
    /// The CIFAR-10 folder (the command line's `--data`), or nil for the default.
    public var dataDirectory: String?
    /// Whether a missing CIFAR-10 is downloaded.
    public var download = false
    /// The progress lines of the runs one at a time (runs side by side never draw one).
    public var progress: ProgressReporter.Style = .automatic
    /// Where the search's line per trial goes (by default, standard output).
    public var trialLog: @Sendable (String) -> Void = { print($0) }

    /// The name of the search's stage in `Outcome.times`.
    static let searchStage = "λ search"

    /// The labels of the two cycle runs and the course report's test accuracy for each.
    public static let cycleLabels = [("One cycle, n_s = 500", 0.4598), ("Three cycles, n_s = 800", 0.4746)]

    public init(seed: UInt64 = 42, quick: Bool = false, parallel: Int = 2, dataDirectory: String? = nil) {
        self.seed = seed
        self.quick = quick
        self.parallel = parallel
        self.dataDirectory = dataDirectory
    }

    /// A stage's name and wall-clock seconds, data loading included.
    public struct StageTime: Sendable {
        public var stage: String
        public var seconds: Double
        /// When the stage began, in seconds of the system's uptime (`CLOCK_MONOTONIC` on Linux, the
        /// clock of `perf record -k mono`), to line a recording up with the stages.
        public var start: Double
    }

    /// Everything the stages produced: each run with its directory, the search, and the stage times.
    public struct Outcome {
        public var gradientChecks: [GradientCheckSuite.Case] = []
        public var sanity: (RunResult, URL)?
        public var cycles: [(RunResult, URL)] = []
        public var search: SearchSession?
        public var final: (RunResult, URL)?
        /// The data loads' notes (a partial copy of CIFAR-10, say), in load order.
        public var dataNotes: [String] = []
        public var times: [StageTime] = []

        /// The λ search stage's seconds (its data load included), or 0 before it ran.
        public var searchSeconds: Double { times.first { $0.stage == Assignment2Pipeline.searchStage }?.seconds ?? 0 }
    }

    // MARK: - The stages

    /// The course's experiment with the network, schedule and λ varied.
    public func experiment(
        name: String, data: JSONValue, lambda: Double?, schedule: JSONValue, batch: Int = 100,
        evaluations: Int = 10, epochs: Int? = nil
    ) -> JSONValue {
        var training: [String: JSONValue] = ["batch_size": .number(Double(batch))]
        if let epochs { training["epochs"] = .number(Double(epochs)) }
        var json: [String: JSONValue] = [
            "name": .string(name), "seed": .number(Double(seed)), "data": data,
            "model": ["hidden": [50], "initializer": "lecun_normal"],
            "training": .object(training), "schedule": schedule,
            "evaluation": ["times": .number(Double(evaluations))],
        ]
        if let lambda { json["regularizers"] = [["name": "l2", "lambda": .number(lambda)]] }
        return .object(json)
    }

    /// The triangular schedule from 1e-5 to 1e-1; without a step size, n_s = 2⌊n/batch⌋ (two epochs).
    public static func cyclical(stepSize: Int?, cycles: Int) -> JSONValue {
        var schedule: [String: JSONValue] = ["name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "cycles": .number(Double(cycles))]
        if let stepSize { schedule["step_size"] = .number(Double(stepSize)) } else { schedule["step_size_epochs"] = 2 }
        return .object(schedule)
    }

    /// "Overfit 100 examples": λ = 0, batches of 10, a constant rate of 0.05, 200 epochs.
    public var sanity: JSONValue {
        experiment(name: "a2-sanity-overfit-100", data: ["kind": "cifar10", "split": "batch1", "train_limit": 100],
                   lambda: nil, schedule: ["name": "constant", "eta": 0.05], batch: 10, evaluations: 20,
                   epochs: quick ? 20 : 200)
    }

    /// One cycle with n_s = 500 and three with n_s = 800, λ = 0.01, on batch 1 (batch 2 validates).
    public var cycles: [JSONValue] {
        let batch1: JSONValue = ["kind": "cifar10", "split": "batch1"]
        return [
            experiment(name: "a2-one-cycle-ns500", data: batch1, lambda: 0.01,
                       schedule: Self.cyclical(stepSize: quick ? 50 : 500, cycles: 1)),
            experiment(name: "a2-three-cycles-ns800", data: batch1, lambda: 0.01,
                       schedule: Self.cyclical(stepSize: quick ? 80 : 800, cycles: 3), evaluations: 30),
        ]
    }

    /// The coarse-to-fine search of log₁₀ λ in [−5, −1]: 8 grid points, then 8 random draws around the
    /// best 3, each trial 2 cycles on all batches less 5,000.
    public var searchJSON: JSONValue {
        [
            "name": "a2-lambda-search", "seed": .number(Double(seed) + 1), "l_min": -5, "l_max": -1,
            "coarse": ["grid": quick ? 3 : 8], "fine": ["random": quick ? 2 : 8, "top": 3],
            "experiment": experiment(name: "trial", data: ["kind": "cifar10", "split": "all", "validation": 5000],
                                     lambda: nil, schedule: Self.cyclical(stepSize: nil, cycles: quick ? 1 : 2)),
        ]
    }

    /// The final model: `lambda`, all batches less 1,000, 3 cycles of n_s = 2⌊n/100⌋.
    public func final(lambda: Double) -> JSONValue {
        experiment(name: "a2-final", data: ["kind": "cifar10", "split": "all", "validation": 1000], lambda: lambda,
                   schedule: Self.cyclical(stepSize: nil, cycles: quick ? 1 : 3), evaluations: 30)
    }

    // MARK: - Running

    /// Runs every stage in order, each run into a directory under `base`; `log` gets one line per
    /// stage result (what the example prints).
    public func run(in base: URL, log: (String) -> Void = { print($0) }) throws -> Outcome {
        var outcome = Outcome()
        // Every stage reads CIFAR-10's files through one cache: each file is read once.
        let files = DataFileCache()
        let runProgress: ProgressReporter.Style = parallel > 1 ? .none : progress
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let start = ProcessInfo.processInfo.systemUptime
            defer {
                let seconds = ProcessInfo.processInfo.systemUptime - start
                outcome.times.append(StageTime(stage: stage, seconds: seconds, start: start))
            }
            return try body()
        }
        func load(_ config: ExperimentConfig, download: Bool = false) throws -> (DataSplits, Standardizer) {
            let (splits, standardizer) = try ExperimentSession.loadData(
                config.data, override: dataDirectory, download: download, cache: files)
            outcome.dataNotes += splits.notes
            return (splits, standardizer)
        }

        outcome.gradientChecks = timed("gradient check") { GradientCheckSuite.synthetic(count: 8, features: 20, seed: seed).run() }
        log(String(format: "gradient check: largest relative error %.2e", outcome.gradientChecks.map(\.worst).max() ?? 0))

        let sanityConfig = try ExperimentConfig(json: sanity)
        let sanityRun = try timed("sanity check") {
            let (tiny, standardizer) = try load(sanityConfig, download: download)
            return try ExperimentSession.run(sanityConfig, splits: tiny, standardizer: standardizer, outputBase: base,
                                             progress: runProgress)
        }
        outcome.sanity = sanityRun
        log(String(format: "sanity check (100 examples, λ = 0): training loss %.4f, accuracy %.1f%%",
                   sanityRun.0.train.loss, 100 * sanityRun.0.train.accuracy))

        let cycleConfigs = try cycles.map { try ExperimentConfig(json: $0) }
        outcome.cycles = try timed("one cycle + three cycles") {
            let (small, standardizer) = try load(cycleConfigs[0])
            log("data (batch 1 / batch 2 / test): \(small)")
            for note in small.notes { log("note: \(note)") }
            return try ParallelWork.map(cycleConfigs, maxConcurrent: parallel) { config in
                try ExperimentSession.run(config, splits: small, standardizer: standardizer, outputBase: base,
                                          progress: runProgress)
            }.map { try $0.get() }
        }
        for (run, (label, reported)) in zip(outcome.cycles, Self.cycleLabels) {
            log(String(format: "%@: test accuracy %.2f%% (course report about %.0f%%)", label, 100 * run.0.test.accuracy,
                       100 * reported))
        }

        let searchConfig = try LambdaSearchConfig(json: searchJSON)
        let search = try timed(Self.searchStage) {
            let (pool, standardizer) = try load(searchConfig.experiment)
            log("data (search): \(pool)")
            var search = try SearchSession(config: searchConfig, base: base, splits: pool, standardizer: standardizer)
            search.parallel = parallel
            search.log = trialLog
            try search.run(.all)
            return search
        }
        outcome.search = search
        guard let best = search.ranking.first else { throw CLIError.failed("the λ search finished no trial") }
        log(String(format: "best λ = %.4e (validation %.2f%%)", best.trial.lambda, 100 * best.validationAccuracy))

        let finalConfig = try ExperimentConfig(json: final(lambda: best.trial.lambda))
        let finalRun = try timed("final model") {
            let (full, standardizer) = try load(finalConfig)
            log("data (final): \(full)")
            return try ExperimentSession.run(finalConfig, splits: full, standardizer: standardizer, outputBase: base,
                                             progress: progress)
        }
        outcome.final = finalRun
        log(String(format: "final model: test accuracy %.2f%% (course reports 51–52%%)", 100 * finalRun.0.test.accuracy))
        return outcome
    }
}
