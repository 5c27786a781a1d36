import Foundation

/// Several runs side by side, as one self-contained HTML page (`backprop compare`): a table of their
/// final figures and times, a table of their settings with the ones that differ highlighted, and
/// their curves overlaid, one chart per metric and one line per run.
///
/// ```swift
/// let comparison = try RunComparison.read([oneCycle, threeCycles, final])
/// try comparison.write(to: URL(fileURLWithPath: "compare.html"))
/// ```
///
/// Semantics:
/// - Every directory must be a run directory (see `RunSummary.read(_:)`) with a readable
///   `metrics.json`, or a run still in progress; anything else is an error naming it.
/// - Each run keeps one colour in every chart (`LineChart.palette`, in the order given) and one
///   label: its experiment's name, or its directory's name when two runs share a name.
/// - The charts are training and validation loss, cost and accuracy (in percent) and the learning
///   rate, each against the update step; a chart no run has data for is left out. Values that are
///   not finite (a diverged run) are skipped, and a curve spanning many decades is drawn on a
///   logarithmic axis (`LineChart.svg(width:height:)`).
/// - The page links each run's `report.html` by a path relative to where the page is written.
public struct RunComparison: Sendable {
    /// The runs, in the order given.
    public var runs: [RunSummary]
    /// The curves of each run, in the same order (empty for a run with no history yet).
    public var curves: [RunCurves]

    /// A comparison of `runs` with their `curves` (one per run).
    public init(runs: [RunSummary], curves: [RunCurves]) {
        precondition(runs.count == curves.count, "RunComparison: \(runs.count) runs for \(curves.count) curves")
        self.runs = runs
        self.curves = curves
    }

    /// Reads the summary and the history of each of `directories`.
    ///
    /// - Throws: `ReportFileError.cannotRead` naming a directory that is not a run directory, a damaged
    ///   `metrics.json`, or a missing or damaged `history.csv` of a run that has finished.
    public static func read(_ directories: [URL]) throws -> RunComparison {
        var runs: [RunSummary] = []
        var curves: [RunCurves] = []
        for directory in directories {
            guard let run = RunSummary.read(directory) else {
                throw ReportFileError.cannotRead(
                    path: directory.path,
                    reason: "it is not a run directory (no metrics.json, no checkpoint/ folder): give the folders 'backprop train' wrote")
            }
            if case .unreadable(let reason) = run.status {
                throw ReportFileError.cannotRead(path: directory.path, reason: "its metrics are unreadable: \(reason)")
            }
            runs.append(run)
            let history = directory.appendingPathComponent("history.csv")
            if run.status.hasFinalFigures || FileManager.default.fileExists(atPath: history.path) {
                curves.append(try RunCurves.read(from: directory))
            } else {
                curves.append(RunCurves())
            }
        }
        return RunComparison(runs: runs, curves: curves)
    }

    /// The label of each run in tables and legends: its name, or its directory's name when another run
    /// has the same name (two seeds of one experiment), made unique with a number if need be.
    public var labels: [String] {
        let names = runs.map(\.name)
        var labels = runs.map { run in
            names.filter { $0 == run.name }.count > 1 ? run.directory.lastPathComponent : run.name
        }
        for index in labels.indices where labels[..<index].contains(labels[index]) {
            labels[index] += " (\(index + 1))"
        }
        return labels
    }

    /// The colour of run `index` in every chart.
    public static func color(ofRun index: Int) -> String {
        LineChart.palette[index % LineChart.palette.count]
    }

    // MARK: - Charts

    /// One metric of the charts: its `history.csv` column and how it is shown.
    struct Metric {
        var column: String
        var title: String
        var axis: String
        var scale: Double = 1
    }

    static let metrics = [
        Metric(column: "train_loss", title: "Training loss", axis: "loss"),
        Metric(column: "validation_loss", title: "Validation loss", axis: "loss"),
        Metric(column: "train_cost", title: "Training cost", axis: "cost"),
        Metric(column: "validation_cost", title: "Validation cost", axis: "cost"),
        Metric(column: "train_accuracy", title: "Training accuracy", axis: "accuracy (%)", scale: 100),
        Metric(column: "validation_accuracy", title: "Validation accuracy", axis: "accuracy (%)", scale: 100),
        Metric(column: "learning_rate", title: "Learning rate", axis: "learning rate"),
    ]

    /// The overlaid charts, by `history.csv` column: one series per run that has the column, in the
    /// run's colour, with the legend under the plot.
    public func charts() -> [(column: String, chart: LineChart)] {
        let labels = self.labels
        return Self.metrics.compactMap { metric in
            var chart = LineChart(title: metric.title, xLabel: "update step", yLabel: metric.axis)
            chart.legendPlacement = .below
            for (index, run) in curves.enumerated() where !run[metric.column].isEmpty {
                let points = run[metric.column].map { (x: $0.x, y: $0.y * metric.scale) }
                chart.add(.init(name: labels[index], points: points, color: Self.color(ofRun: index)))
            }
            return chart.series.isEmpty ? nil : (metric.column, chart)
        }
    }

    // MARK: - Page

    /// The page, with links relative to `folder`, the directory it is written in.
    public func page(linkingFrom folder: URL) -> HTMLReport {
        let labels = self.labels
        var report = HTMLReport(title: "Backprop: \(runs.count) run\(runs.count == 1 ? "" : "s") compared")
        let figures = runs.enumerated().map { index, run -> [String] in
            let finite = { (x: Double?) in x.map(NumberKind.percent) ?? (run.status.hasFinalFigures ? "diverged" : "—") }
            return [
                labels[index], run.status.description, run.steps.map(String.init) ?? "—",
                run.seconds.map { String(format: "%.1f s", $0) } ?? "—",
                finite(run.trainAccuracy), finite(run.validationAccuracy), finite(run.testAccuracy),
                run.finalCost.map { String(format: "%.4f", $0) } ?? (run.status.hasFinalFigures ? "diverged" : "—"),
            ]
        }
        let links = runs.map { run in
            run.hasReport ? RelativePath.from(folder, to: run.directory.appendingPathComponent("report.html")) : nil
        }
        report.addTable(
            headers: ["run", "status", "steps", "time", "training accuracy", "validation accuracy", "test accuracy", "final cost"],
            rows: figures, caption: "Final figures", rowLinks: links)

        let settings = runs.map(\.settings)
        let keys = RunSettings.allKeys(settings)
        let differing = Set(RunSettings.differingKeys(settings))
        if !keys.isEmpty {
            let rows = keys.map { key in [key] + settings.map { $0[key] ?? "—" } }
            let highlighted = Set(keys.indices.filter { differing.contains(keys[$0]) })
            report.addTable(
                headers: ["setting"] + labels, rows: rows,
                caption: differing.isEmpty ? "Settings (the same in every run)"
                    : "Settings (highlighted: the \(differing.count) that differ between the runs)",
                highlightedRows: highlighted)
        }
        for (index, run) in runs.enumerated() {
            let location = RelativePath.from(folder, to: run.directory)
            var facts = ["\(labels[index]): \(location)"]
            if let data = run.dataSummary { facts.append("data \(data)") }
            if let counts = run.exampleCounts {
                facts.append("used \(counts.train) training, \(counts.validation) validation, \(counts.test) test examples")
            }
            report.addParagraph(facts.joined(separator: "; "))
        }
        let charts = self.charts()
        if charts.isEmpty {
            report.addParagraph("No run has a history to draw yet.")
        }
        for (_, chart) in charts {
            report.addSVG(chart.svg(width: 720, height: 380 + LineChart.legendRowHeight * chart.series.count))
        }
        return report
    }

    /// Writes the page to `file` atomically.
    ///
    /// - Throws: `ReportFileError.cannotWrite` naming the file.
    public func write(to file: URL) throws {
        try page(linkingFrom: file.deletingLastPathComponent()).write(to: file)
    }
}
