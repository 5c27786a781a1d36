import Foundation

/// The curves of a learning-rate range test and the ranges two documented rules read off them.
///
/// Each evaluation of the test is a point: the rate of the update before it, the training loss and
/// the validation accuracy (the training accuracy when there is no validation set), and both
/// smoothed by an exponential moving average with bias correction (fastai's smoothing).
///
/// The rules, each on the smoothed curves up to the test's end:
/// - **accuracy** (the course report's rule, after Smith 2015): η_min where accuracy starts to rise,
///   the first rate at which it has made 10% of its rise from the first point to its peak; η_max where
///   the rise slows, the first rate after that at 90% of it. None when accuracy rose by less than one
///   percentage point.
/// - **loss** (fastai's `lr_find` and `fit_one_cycle`): η_max is the rate of the lowest loss divided by
///   10 (the `minimum` suggestion), η_min is η_max divided by 25 (`fit_one_cycle`'s `div`). The rate of
///   the loss's steepest fall per decade (the `steep` suggestion) is given too.
public struct LRRangeAnalysis: Sendable, Equatable {
    /// One evaluation of the test.
    public struct Point: Sendable, Equatable {
        public var step: Int
        public var rate: Double
        public var loss: Double
        public var smoothedLoss: Double
        public var accuracy: Double
        public var smoothedAccuracy: Double
    }

    /// A range for a cyclical schedule, with the rule that chose it.
    public struct Suggestion: Sendable, Equatable {
        /// `accuracy` or `loss` (see the type's documentation).
        public var rule: String
        public var minRate: Double
        public var maxRate: Double
        /// How the rule read the curves, in words with figures.
        public var explanation: String
    }

    public var points: [Point]
    /// The accuracy rule's range first (when it gives one), then the loss rule's.
    public var suggestions: [Suggestion]
    /// The rate of the loss's steepest fall per decade of rate (fastai's `steep`), when there are points.
    public var steepestRate: Double?

    /// Reads `history`'s evaluations with smoothing `beta` (0: none).
    public init(_ history: TrainingHistory, smoothing beta: Double = 0.8) {
        var points: [Point] = []
        var lossAverage = 0.0, accuracyAverage = 0.0, weight = 1.0
        for record in history.evaluations where record.train.loss.isFinite {
            let accuracy = record.validation?.accuracy ?? record.train.accuracy
            lossAverage = beta * lossAverage + (1 - beta) * record.train.loss
            accuracyAverage = beta * accuracyAverage + (1 - beta) * accuracy
            weight *= beta
            points.append(Point(
                step: record.step, rate: record.learningRate, loss: record.train.loss,
                smoothedLoss: lossAverage / (1 - weight), accuracy: accuracy,
                smoothedAccuracy: accuracyAverage / (1 - weight)))
        }
        self.points = points
        steepestRate = Self.steepest(points)
        suggestions = [Self.accuracyRule(points), Self.lossRule(points, steepest: steepestRate)].compactMap { $0 }
    }

    /// The suggestion of `rule`, if it gave one.
    public func suggestion(_ rule: String) -> Suggestion? { suggestions.first { $0.rule == rule } }

    // MARK: - The rules

    static func accuracyRule(_ points: [Point]) -> Suggestion? {
        guard let first = points.first, let peak = points.indices.max(by: {
            points[$0].smoothedAccuracy < points[$1].smoothedAccuracy
        }) else { return nil }
        let start = first.smoothedAccuracy, top = points[peak].smoothedAccuracy
        guard top - start >= 0.01 else { return nil }
        guard let low = points.firstIndex(where: { $0.smoothedAccuracy >= start + 0.1 * (top - start) }),
              let high = points[low...].firstIndex(where: { $0.smoothedAccuracy >= start + 0.9 * (top - start) }),
              points[low].rate < points[high].rate
        else { return nil }
        return Suggestion(
            rule: "accuracy", minRate: points[low].rate, maxRate: points[high].rate,
            explanation: String(
                format: "accuracy rose from %.2f%% to %.2f%% (peak at η = %.3g); 10%% of that rise at η = %.3g, 90%% at η = %.3g",
                100 * start, 100 * top, points[peak].rate, points[low].rate, points[high].rate))
    }

    static func lossRule(_ points: [Point], steepest: Double?) -> Suggestion? {
        guard let lowest = points.min(by: { $0.smoothedLoss < $1.smoothedLoss }), lowest.rate > 0 else { return nil }
        let maxRate = lowest.rate / 10
        var explanation = String(format: "lowest smoothed loss %.4g at η = %.3g; η_max = that ÷ 10, η_min = η_max ÷ 25",
                                 lowest.smoothedLoss, lowest.rate)
        if let steepest { explanation += String(format: "; steepest fall at η = %.3g", steepest) }
        return Suggestion(rule: "loss", minRate: maxRate / 25, maxRate: maxRate, explanation: explanation)
    }

    /// The rate between two neighbouring points where the smoothed loss falls fastest per decade of rate.
    static func steepest(_ points: [Point]) -> Double? {
        let usable = points.filter { $0.rate > 0 }
        var best: (slope: Double, rate: Double)?
        for (a, b) in zip(usable, usable.dropFirst()) where b.rate > a.rate {
            let slope = (b.smoothedLoss - a.smoothedLoss) / (log10(b.rate) - log10(a.rate))
            if slope < (best?.slope ?? 0) { best = (slope, (a.rate * b.rate).squareRoot()) }
        }
        return best?.rate
    }
}
