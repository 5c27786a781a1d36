import BackpropRegistry
import BackpropTraining
import Foundation

/// The files of a learning-rate range test, written into its run directory beside the run's own:
/// `lr_range.json` (the points and the suggested ranges), `lr_range_loss.svg` and
/// `lr_range_accuracy.svg` (the smoothed curves against the rate, each suggestion drawn as two dashed
/// verticals) and `lr_range.html`, which shows them with the rules in words.
public enum LRRangeReport {
    /// Writes the test's files into `directory`.
    ///
    /// - Parameters:
    ///   - analysis: the curves and suggestions (`LRRangeTest.analysis(of:)`).
    ///   - test: the test that ran, for its ramp and rates.
    ///   - result: the run, for its name and why it stopped.
    ///   - directory: the run directory.
    /// - Throws: `ReportFileError.cannotWrite` naming the file.
    public static func write(_ analysis: LRRangeAnalysis, of test: LRRangeTest, result: RunResult, to directory: URL) throws {
        try AtomicFile.write(json(analysis, of: test, result: result).prettyJSONText + "\n",
                             to: directory.appendingPathComponent("lr_range.json"))
        let (loss, accuracy) = charts(analysis, of: test, title: result.name)
        try loss.write(to: directory.appendingPathComponent("lr_range_loss.svg"))
        try accuracy.write(to: directory.appendingPathComponent("lr_range_accuracy.svg"))

        var page = HTMLReport(title: "LR range test: \(result.name)")
        page.addParagraph("The rate rose \(test.ramp == .exponential ? "geometrically" : "linearly") from "
            + "\(NumberKind.rate(test.minRate)) to \(NumberKind.rate(test.maxRate)) over \(result.totalSteps) updates, "
            + "with \(analysis.points.count) evaluations. "
            + (result.history.stop.map { "It ended after \($0.step) updates: \($0.reason.message)." }
                ?? "The loss never rose to \(test.divergenceFactor) × its lowest: a wider ramp would show where it breaks."))
        page.addTable(headers: ["rule", "η_min", "η_max", "how"], rows: analysis.suggestions.map {
            [$0.rule, NumberKind.rate($0.minRate), NumberKind.rate($0.maxRate), $0.explanation]
        }, caption: "Suggested ranges")
        if analysis.suggestions.isEmpty { page.addParagraph("Neither rule found a range: the curves did not move.") }
        page.addImage(relativePath: "lr_range_accuracy.svg", alt: "accuracy against the learning rate")
        page.addImage(relativePath: "lr_range_loss.svg", alt: "loss against the learning rate")
        page.addParagraph("The accuracy rule (the course report's): η_min where accuracy has made 10% of its rise "
            + "to its peak, η_max where it has made 90%. The loss rule (fastai's): η_max is the rate of the lowest "
            + "smoothed loss ÷ 10, η_min is η_max ÷ 25. Curves are smoothed with an exponential moving average "
            + "(weight \(test.smoothing) on the past). The run's own report: report.html.")
        try page.write(to: directory.appendingPathComponent("lr_range.html"))
    }

    /// `lr_range.json`: the test, every point and the suggestions.
    public static func json(_ analysis: LRRangeAnalysis, of test: LRRangeTest, result: RunResult) -> JSONValue {
        [
            "ramp": .string(test.ramp.rawValue), "eta_min": .number(test.minRate), "eta_max": .number(test.maxRate),
            "steps": .number(Double(result.totalSteps)),
            "stopped": result.history.stop.map {
                ["step": .number(Double($0.step)), "reason": .string($0.reason.message)]
            } ?? .null,
            "suggestions": .array(analysis.suggestions.map {
                ["rule": .string($0.rule), "eta_min": .number($0.minRate), "eta_max": .number($0.maxRate),
                 "explanation": .string($0.explanation)]
            }),
            "steepest_eta": analysis.steepestRate.map(JSONValue.number) ?? .null,
            "points": .array(analysis.points.map {
                ["step": .number(Double($0.step)), "eta": .number($0.rate), "loss": .number($0.loss),
                 "smoothed_loss": .number($0.smoothedLoss), "accuracy": .number($0.accuracy),
                 "smoothed_accuracy": .number($0.smoothedAccuracy)]
            }),
        ]
    }

    /// The smoothed loss and accuracy against the rate, with each suggestion's bounds as dashed verticals.
    public static func charts(_ analysis: LRRangeAnalysis, of test: LRRangeTest, title: String) -> (loss: LineChart, accuracy: LineChart) {
        let scale: LineChart.Scale = test.ramp == .exponential ? .logarithmic : .linear
        let points = analysis.points.filter { scale == .linear || $0.rate > 0 }
        func chart(_ name: String, _ raw: KeyPath<LRRangeAnalysis.Point, Double>,
                   _ smoothed: KeyPath<LRRangeAnalysis.Point, Double>, percent: Double) -> LineChart {
            var chart = LineChart(title: "\(title): \(name) against the learning rate", xLabel: "learning rate",
                                  yLabel: percent == 1 ? name : "\(name) (%)", xScale: scale)
            chart.add(.init(name: name, x: points.map(\.rate), y: points.map { percent * $0[keyPath: raw] },
                            color: "#c7c7c7", style: .markers))
            chart.add(.init(name: "\(name), smoothed", x: points.map(\.rate), y: points.map { percent * $0[keyPath: smoothed] }))
            let values = points.map { percent * $0[keyPath: smoothed] }
            if let low = values.min(), let high = values.max() {
                for (index, suggestion) in analysis.suggestions.enumerated() {
                    let color = ["#d62728", "#2ca02c"][index % 2]
                    for (bound, rate) in [("η_min", suggestion.minRate), ("η_max", suggestion.maxRate)] {
                        chart.add(.init(name: "\(bound), \(suggestion.rule) rule", points: [(rate, low), (rate, high)],
                                        color: color, style: .lineAndMarkers))
                    }
                }
            }
            return chart
        }
        return (chart("loss", \.loss, \.smoothedLoss, percent: 1), chart("accuracy", \.accuracy, \.smoothedAccuracy, percent: 100))
    }
}
