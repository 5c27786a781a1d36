import BackpropRegistry
import BackpropTensor
import Foundation

/// A coarse-to-fine search of the L2 strength λ = 10^l, as in the course's Assignment 2.
///
/// ```json
/// {
///   "name": "a2-lambda-search",
///   "seed": 7,
///   "l_min": -5, "l_max": -1,
///   "coarse": {"grid": 8},
///   "fine": {"random": 8, "top": 3},
///   "experiment": { …an experiment without regularizers… }
/// }
/// ```
///
/// Semantics:
/// - Each trial trains `experiment` with `regularizers: [{"name": "l2", "lambda": 10^l}]` added, and is
///   scored by its validation accuracy.
/// - `coarse` spreads l over [l_min, l_max]: `{"grid": n}` evenly (both ends included), or
///   `{"random": n}` uniformly at random from the search's seed.
/// - `fine` narrows around the `top` best coarse trials: l over [min, max] of their exponents, widened
///   by half a coarse grid step on each side (clamped to [l_min, l_max]).
/// - Trials are identified by stage and index (`coarse-03`), so that an interrupted search can tell
///   which ones are finished, and shards of one search agree on who runs what.
public struct LambdaSearchSpec: Sendable {
    public enum Sampling: Sendable, Equatable {
        case grid(Int)
        case random(Int)

        var count: Int {
            switch self { case .grid(let n), .random(let n): n }
        }
    }

    public var name: String
    public var seed: UInt64
    public var exponentRange: ClosedRange<Double>
    public var coarse: Sampling
    public var fine: Sampling?
    public var fineTop: Int
    /// The experiment each trial trains, before λ is added.
    public var experiment: JSONValue
    /// The document as read, kept for the report.
    public var json: JSONValue

    /// Reads and checks a search; the experiment is checked too (with λ = 0), before any data is loaded.
    public init(json: JSONValue, registries: PluginRegistries = .standard) throws {
        var root = try Options(json, path: "")
        self.json = json
        name = try root.optional("name") ?? "lambda-search"
        seed = try root.optional("seed") ?? 1
        let low: Double = try root.optional("l_min") ?? -5
        let high: Double = try root.optional("l_max") ?? -1
        try root.check(low.isFinite && high.isFinite && low < high, "l_max", "must be greater than l_min (\(low)), found \(high)")
        exponentRange = low...high
        coarse = try LambdaSearchSpec.sampling(root.nested("coarse"), allowTop: false).0 ?? .grid(8)
        let (fine, top) = try LambdaSearchSpec.sampling(root.nested("fine"), allowTop: true)
        self.fine = fine
        fineTop = top ?? 3
        guard let experiment = root.raw("experiment") else { throw ConfigurationError.missingKey(path: "experiment") }
        self.experiment = experiment
        try root.finish()
        if case .object(let members) = experiment, members["regularizers"] != nil {
            throw ConfigurationError.invalidValue(
                path: "experiment.regularizers", reason: "is set by the search (L2 with each trial's λ); remove it")
        }
        _ = try config(for: SearchTrial(stage: "check", index: 0, exponent: low), registries: registries)
    }

    private static func sampling(_ options: Options, allowTop: Bool) throws -> (Sampling?, Int?) {
        var options = options
        let grid: Int? = try options.optional("grid")
        let random: Int? = try options.optional("random")
        let top: Int? = allowTop ? try options.optional("top") : nil
        try options.finish()
        try options.check(grid == nil || random == nil, "random", "cannot be given together with grid")
        try options.check((grid ?? random ?? 1) >= 1, grid != nil ? "grid" : "random", "must be at least 1")
        try options.check((top ?? 1) >= 1, "top", "must be at least 1")
        return (grid.map(Sampling.grid) ?? random.map(Sampling.random), top)
    }

    // MARK: - Trials

    /// The coarse stage's trials.
    public func coarseTrials() -> [SearchTrial] {
        var rng = SeededGenerator(seed: seed)
        return exponents(coarse, in: exponentRange, generator: &rng).enumerated().map {
            SearchTrial(stage: "coarse", index: $0, exponent: $1)
        }
    }

    /// The fine stage's trials, around the best of the finished coarse trials.
    public func fineTrials(after coarseOutcomes: [TrialOutcome]) -> [SearchTrial] {
        guard let fine, !coarseOutcomes.isEmpty else { return [] }
        let best = coarseOutcomes.sorted { $0.validationAccuracy > $1.validationAccuracy }.prefix(fineTop)
        let exponents = best.map(\.trial.exponent)
        let halfStep = (exponentRange.upperBound - exponentRange.lowerBound) / Double(max(coarse.count - 1, 1)) / 2
        let low = max(exponentRange.lowerBound, exponents.min()! - halfStep)
        let high = min(exponentRange.upperBound, exponents.max()! + halfStep)
        var rng = SeededGenerator(seed: seed &+ 1)
        return self.exponents(fine, in: low...high, generator: &rng).enumerated().map {
            SearchTrial(stage: "fine", index: $0, exponent: $1)
        }
    }

    private func exponents(_ sampling: Sampling, in range: ClosedRange<Double>, generator: inout SeededGenerator) -> [Double] {
        switch sampling {
        case .grid(let n):
            guard n > 1 else { return [(range.lowerBound + range.upperBound) / 2] }
            return (0..<n).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(n - 1) }
        case .random(let n):
            return (0..<n).map { _ in generator.nextUniform(in: range.lowerBound, range.upperBound) }
        }
    }

    /// The experiment a trial trains: the search's experiment with L2 at the trial's λ, named after it.
    public func config(for trial: SearchTrial, registries: PluginRegistries = .standard) throws -> ExperimentConfig {
        guard case .object(var members) = experiment else {
            throw ConfigurationError.wrongType(path: "experiment", expected: "an object", found: experiment.typeName)
        }
        members["name"] = .string("\(name)-\(trial.id)")
        members["regularizers"] = [["name": "l2", "lambda": .number(trial.lambda)]]
        return try ExperimentConfig(json: .object(members), registries: registries)
    }
}

/// One λ to try.
public struct SearchTrial: Sendable, Hashable, Codable {
    public var stage: String
    public var index: Int
    /// l, with λ = 10^l.
    public var exponent: Double
    public var lambda: Double { pow(10, exponent) }
    /// `coarse-03`: stable across runs and shards.
    public var id: String { "\(stage)-" + (index < 10 ? "0\(index)" : "\(index)") }

    public init(stage: String, index: Int, exponent: Double) {
        self.stage = stage
        self.index = index
        self.exponent = exponent
    }
}

/// What a finished trial scored.
public struct TrialOutcome: Sendable, Equatable, Codable {
    public var trial: SearchTrial
    public var trainAccuracy: Double
    public var validationAccuracy: Double
    public var testAccuracy: Double
    public var finalCost: Double
    public var seconds: Double

    public init(trial: SearchTrial, result: RunResult) {
        self.trial = trial
        trainAccuracy = result.train.accuracy
        validationAccuracy = result.validation.accuracy
        testAccuracy = result.test.accuracy
        finalCost = result.train.cost
        seconds = result.seconds
    }
}

/// Which trials one process runs: shard `index` (1-based) of `count`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 1, count: 1)

    /// Parses `k/n` with 1 ≤ k ≤ n.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        self.init(index: k, count: n)
    }

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Whether this shard runs the trial: trials are dealt round-robin by index within each stage.
    public func owns(_ trial: SearchTrial) -> Bool { trial.index % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
