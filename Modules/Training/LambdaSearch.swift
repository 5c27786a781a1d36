import BackpropData
import BackpropRegistry
import BackpropRegularizers
import BackpropTensor
import Foundation

/// A coarse-to-fine search of the L2 strength λ = 10^l, as in the course's Assignment 2.
///
/// The search chooses the λ of each trial; what a trial trains is up to the caller, who turns each
/// `SearchTrial` into a run (usually an experiment with an `L2Regularizer` at the trial's λ: see
/// `SearchSession`). So it works alike for an experiment file and for a model composed in code.
///
/// Semantics:
/// - `coarse` spreads l over `exponents`: `.grid(n)` evenly (both ends included), or `.random(n)`
///   uniformly at random from the search's seed.
/// - `fine` narrows around the `fineTop` best coarse trials: l over [min, max] of their exponents,
///   widened by half a coarse grid step on each side (clamped to `exponents`).
/// - Its stages are `coarse` and `fine`; each trial holds `l` and `lambda` (see `SearchTrial.exponent`),
///   and its chart is accuracy against λ.
public struct LambdaSearch: HyperparameterSearch {
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
    /// What identifies the search on disk (`search.json`): resumes and merges check that they continue
    /// the same search. The document of a search read from a file; a summary of one made in code, which
    /// should name what its trials train in `about`.
    public var identity: JSONValue

    /// A search of l over `exponents`; `about` says what each trial trains (for `identity`).
    public init(
        name: String = "lambda-search", seed: UInt64 = 1, exponents: ClosedRange<Double>, coarse: Sampling = .grid(8),
        fine: Sampling? = nil, fineTop: Int = 3, about: String = ""
    ) {
        self.name = name
        self.seed = seed
        exponentRange = exponents
        self.coarse = coarse
        self.fine = fine
        self.fineTop = fineTop
        func json(_ s: Sampling?) -> JSONValue {
            switch s {
            case .grid(let n)?: ["grid": .number(Double(n))]
            case .random(let n)?: ["random": .number(Double(n))]
            case nil: .null
            }
        }
        identity = [
            "name": .string(name), "seed": .number(Double(seed)), "l_min": .number(exponents.lowerBound),
            "l_max": .number(exponents.upperBound), "coarse": json(coarse), "fine": json(fine),
            "top": .number(Double(fineTop)), "experiment": .string(about),
        ]
    }

    static func sampling(_ options: Options, allowTop: Bool) throws -> (Sampling?, Int?) {
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

    public var stages: [String] { ["coarse", "fine"] }

    public var dimensions: [SearchDimension] {
        [SearchDimension(name: SearchTrial.exponentKey, scale: .linear),
         SearchDimension(name: SearchTrial.lambdaKey, scale: .logarithmic)]
    }

    public var chartedDimensions: [String] { [SearchTrial.lambdaKey] }

    public func trials(in stage: String, after earlier: [TrialOutcome]) -> [SearchTrial] {
        switch stage {
        case "coarse": coarseTrials()
        case "fine": fineTrials(after: earlier.filter { $0.trial.stage == "coarse" })
        default: []
        }
    }

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

}
