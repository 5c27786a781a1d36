import BackpropData
import BackpropRegistry
import BackpropTensor
import BackpropTraining
import Foundation

/// Writes a training run's directory: history, metrics, parameters, charts, images and `report.html`.
///
/// The directory holds:
/// - `history.csv`: one row per update step: the step's learning rate and, at evaluation steps, loss,
///   cost and accuracy on the training and validation sets (the row of step t holds the rate of update
///   t and the metrics measured after t updates);
/// - `metrics.json`: final accuracies as fractions, `final_cost`, the configuration and seed;
/// - `timing.json`: the seconds training took (in this process, for a resumed run);
/// - `<parameter>.npy` (`fc1.weight.npy` is `[inputs, outputs]`) plus `standardizer_mean.npy` and
///   `standardizer_std.npy`, enough to evaluate the model in NumPy: `softmax(((x − mean) / std) · W + b)`;
/// - `model.json`: the layers, precision, classes and pre-processing, so that `TrainedModel.load(from:)`
///   builds the model again (written when every layer is a `ConfigurableLayer`);
/// - `cost.svg`, `loss.svg`, `accuracy.svg`, `learning_rate.svg`, and for a linear classifier on colour
///   images `weights.png` (one template per class);
/// - `report.html`, which shows all of it.
///
/// Every file is written atomically, so an interrupted run never leaves a half-written file.
public enum RunReport {
    /// Writes every file of the run into `directory` (created if needed), first removing the temporary
    /// files an earlier, killed writer left there (`AtomicFile.removeStaleTemporaries`).
    public static func write(_ result: RunResult, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        AtomicFile.removeStaleTemporaries(in: directory)
        try historyTable(result.history).write(to: directory.appendingPathComponent("history.csv"))
        try AtomicFile.write(metricsJSON(result).prettyJSONText + "\n", to: directory.appendingPathComponent("metrics.json"))
        try AtomicFile.write(timingJSON(result).prettyJSONText + "\n", to: directory.appendingPathComponent("timing.json"))
        try writeParameters(result.parameters, to: directory)
        if let archive = ModelArchive(result) {
            try AtomicFile.write(archive.json.prettyJSONText + "\n", to: directory.appendingPathComponent(ModelArchive.fileName))
        }
        let standardizer = result.standardizer
        try NumpyFile.write(Tensor<Float>(shape: [standardizer.featureCount], scalars: standardizer.mean),
                            to: directory.appendingPathComponent("standardizer_mean.npy"))
        try NumpyFile.write(Tensor<Float>(shape: [standardizer.featureCount], scalars: standardizer.standardDeviation),
                            to: directory.appendingPathComponent("standardizer_std.npy"))
        for (file, chart) in charts(result) {
            try chart.write(to: directory.appendingPathComponent(file))
        }
        if let image = try weightImage(result) {
            try image.write(to: directory.appendingPathComponent("weights.png"))
        }
        var report = HTMLReport(title: "Backprop run: \(result.name)")
        addSummary(of: result, to: &report, assetPrefix: "")
        try report.write(to: directory.appendingPathComponent("report.html"))
    }

    // MARK: - Pieces, also used by reports that gather several runs

    /// Writes each parameter as `<name>.npy`, in the precision it was trained in.
    public static func writeParameters(_ parameters: [(name: String, value: ParameterTensor)], to directory: URL) throws {
        for (name, value) in parameters {
            let url = directory.appendingPathComponent("\(name).npy")
            switch value {
            case .float32(let t): try NumpyFile.write(t, to: url)
            case .float64(let t): try NumpyFile.write(t, to: url)
            }
        }
    }

    /// The per-step table written to `history.csv` (while training, before the rates are known, only the
    /// evaluation rows).
    public static func historyTable(_ history: TrainingHistory) -> CSVTable {
        var table = CSVTable(columns: [
            "step", "epoch", "learning_rate", "train_loss", "train_cost", "train_accuracy",
            "validation_loss", "validation_cost", "validation_accuracy",
        ])
        let byStep = Dictionary(history.evaluations.map { ($0.step, $0) }, uniquingKeysWith: { _, last in last })
        let perEpoch = history.evaluations.first(where: { $0.step > 0 }).map { Double($0.step) / $0.epoch } ?? 1
        let lastStep = max(history.learningRates.count, history.evaluations.last?.step ?? 0)
        for step in 0...lastStep where step < history.learningRates.count || byStep[step] != nil {
            var row: [CSVTable.Cell] = [.integer(step), .number(Double(step) / perEpoch)]
            row.append(step < history.learningRates.count ? .number(history.learningRates[step]) : .empty)
            if let record = byStep[step] {
                row += [.number(record.train.loss), .number(record.train.cost), .number(record.train.accuracy)]
                if let v = record.validation {
                    row += [.number(v.loss), .number(v.cost), .number(v.accuracy)]
                } else {
                    row += [.empty, .empty, .empty]
                }
            } else {
                row += Array(repeating: .empty, count: 6)
            }
            table.append(row)
        }
        return table
    }

    /// Cost, loss and accuracy (training against validation; accuracy in percent) and the learning rate,
    /// by file name.
    public static func charts(_ history: TrainingHistory, title: String) -> [(file: String, chart: LineChart)] {
        let steps = history.evaluations.map { Double($0.step) }
        func chart(_ name: String, _ value: (Metrics) -> Double) -> LineChart {
            var chart = LineChart(title: "\(title): \(name)", xLabel: "update step", yLabel: name == "accuracy" ? "accuracy (%)" : name)
            chart.add(.init(name: "training", x: steps, y: history.evaluations.map { value($0.train) }))
            let validation = history.evaluations.compactMap { $0.validation.map(value) }
            if validation.count == steps.count {
                chart.add(.init(name: "validation", x: steps, y: validation))
            }
            return chart
        }
        var rate = LineChart(title: "\(title): learning rate", xLabel: "update step", yLabel: "learning rate")
        rate.add(.init(name: "η", x: history.learningRates.indices.map(Double.init), y: history.learningRates))
        return [
            ("cost.svg", chart("cost", \.cost)), ("loss.svg", chart("loss", \.loss)),
            ("accuracy.svg", chart("accuracy", { 100 * $0.accuracy })), ("learning_rate.svg", rate),
        ]
    }

    /// The run's charts: `charts(_:title:)`, plus accuracy against the learning rate for an LR range
    /// test (Smith 2015: the rate where accuracy starts to rise and where it turns ragged bound η).
    public static func charts(_ result: RunResult) -> [(file: String, chart: LineChart)] {
        var all = charts(result.history, title: result.name)
        if isRateSweep(result.history.learningRates) {
            let records = result.history.evaluations.filter { $0.step > 0 }
            var chart = LineChart(title: "\(result.name): LR range test", xLabel: "learning rate",
                                  yLabel: "accuracy (%)", xScale: .logarithmic)
            chart.add(.init(name: "training", x: records.map(\.learningRate), y: records.map { 100 * $0.train.accuracy }))
            let validation = records.compactMap { $0.validation.map { 100 * $0.accuracy } }
            if validation.count == records.count {
                chart.add(.init(name: "validation", x: records.map(\.learningRate), y: validation))
            }
            all.append(("accuracy_vs_learning_rate.svg", chart))
        }
        return all
    }

    /// Whether the learning rate rises at every step of the run, as in an LR range test: then accuracy
    /// against the rate is worth a chart. Read from the rates themselves, whatever the schedule's name.
    static func isRateSweep(_ rates: [Double]) -> Bool {
        rates.count >= 2 && zip(rates, rates.dropFirst()).allSatisfy { $0 < $1 }
    }

    /// The class templates of a linear classifier on 32×32 colour images, or nil for other models.
    public static func weightImage(_ result: RunResult) throws -> PNGImage? {
        guard hasWeightImage(result), let shape = result.imageShape,
              let weight = result.parameters.first?.value.doubles else { return nil }
        let images = try PNGImage.weightImages(columnsOf: weight, width: shape.width, height: shape.height)
        return PNGImage.grid(images, columns: images.count, padding: 2, scale: 3)
    }

    /// Whether the run is a linear classifier on colour images, whose weights `weightImage` draws.
    static func hasWeightImage(_ result: RunResult) -> Bool {
        guard result.isLinearClassifier, let shape = result.imageShape else { return false }
        return shape.channels == 3 && shape.featureCount == result.parameters[0].value.shape[0]
    }

    /// `timing.json`: the seconds training took. Kept out of `metrics.json`, which is a function of the
    /// experiment alone: a resumed run's metrics are byte for byte those of the run never interrupted.
    public static func timingJSON(_ result: RunResult) -> JSONValue {
        ["seconds": .number((result.seconds * 1000).rounded() / 1000)]
    }

    /// `metrics.json`: final figures as fractions, the configuration, the seed and the data used; a
    /// function of the experiment alone (the time is in `timing.json`).
    public static func metricsJSON(_ result: RunResult) -> JSONValue {
        func metrics(_ m: Metrics) -> JSONValue { ["loss": .number(m.loss), "cost": .number(m.cost), "accuracy": .number(m.accuracy)] }
        return .object([
            "name": .string(result.name),
            "train_accuracy": .number(result.train.accuracy),
            "validation_accuracy": .number(result.validation.accuracy),
            "test_accuracy": .number(result.test.accuracy),
            "final_cost": .number(result.train.cost),
            "train": metrics(result.train), "validation": metrics(result.validation), "test": metrics(result.test),
            "seed": .number(Double(result.seed)),
            "config": result.configuration,
            "steps": .number(Double(result.totalSteps)),
            "diverged_at_step": result.history.divergedAtStep.map { .number(Double($0)) } ?? .null,
            "stopped": result.history.stop.map {
                ["step": .number(Double($0.step)), "reason": .string($0.reason.message)]
            } ?? .null,
            "notes": .array(result.history.notes.map(JSONValue.string)),
            "data": [
                "summary": .string(result.dataSummary),
                "train_count": .number(Double(result.trainCount)),
                "validation_count": .number(Double(result.validationCount)),
                "test_count": .number(Double(result.testCount)),
                "notes": .array(result.dataNotes.map(JSONValue.string)),
            ],
            "model": .string(result.modelDescription),
            "schedule": .string(result.scheduleDescription),
            "regularizers": .array(result.regularizerDescriptions.map(JSONValue.string)),
            "parameters": .array(result.parameters.map { .string("\($0.name).npy") }),
        ])
    }

    /// Adds the run's figures, configuration and charts to `report`; images are linked under `assetPrefix`.
    ///
    /// - Parameters:
    ///   - result: the run.
    ///   - report: the page it is added to.
    ///   - assetPrefix: the run directory's path relative to the page (`""` for the run's own page).
    ///   - dataNotes: whether to show the run's data notes; a page gathering several runs shows them once
    ///     at its top instead, so that each note appears once.
    public static func addSummary(
        of result: RunResult, to report: inout HTMLReport, assetPrefix: String, dataNotes: Bool = true
    ) {
        // A figure that is not finite (a diverged run) is named as such, never printed as `-nan`.
        let diverged = result.history.divergedAtStep.map { "diverged at step \($0)" } ?? "diverged"
        let fmt = { (x: Double) in x.isFinite ? Self.fmt(x) : diverged }
        let percent = { (x: Double) in x.isFinite ? NumberKind.percent(x) : diverged }
        report.addTable(headers: ["split", "examples", "loss", "cost", "accuracy"], rows: [
            ["training", "\(result.trainCount)", fmt(result.train.loss), fmt(result.train.cost), percent(result.train.accuracy)],
            ["validation", "\(result.validationCount)", fmt(result.validation.loss), fmt(result.validation.cost), percent(result.validation.accuracy)],
            ["test", "\(result.testCount)", fmt(result.test.loss), fmt(result.test.cost), percent(result.test.accuracy)],
        ], caption: "Final figures")
        for note in result.dataNotes where dataNotes { report.addParagraph("Data note: \(note)") }
        if let step = result.history.divergedAtStep {
            report.addParagraph("Training diverged: the training loss was not finite at step \(step), so the run stopped there.")
        } else if let stop = result.history.stop {
            report.addParagraph("Stopped after \(stop.step) of \(result.totalSteps) update steps: \(stop.reason.message).")
        }
        for note in result.history.notes { report.addParagraph(note) }
        report.addKeyValues([
            ("model", result.modelDescription),
            // The examples actually used first: a data note may have changed them from the configuration's
            // (asked for the last 5000 for validation, used 516 of a partial copy).
            ("data", "\(result.trainCount) training, \(result.validationCount) validation, \(result.testCount) test examples "
                + (result.dataNotes.isEmpty ? "of \(result.dataSummary)" : "(configured: \(result.dataSummary); changed as the data notes say)")),
            ("schedule", result.scheduleDescription),
            ("regularizers", result.regularizerDescriptions.isEmpty ? "none" : result.regularizerDescriptions.joined(separator: ", ")),
            ("batch size", "\(result.batchSize)"), ("update steps", "\(result.totalSteps)"),
            ("seed", "\(result.seed)"), ("precision", result.precision),
            ("training time", String(format: "%.1f s", result.seconds)),
        ])
        for (_, chart) in charts(result) {
            report.addSVG(chart.svg(width: 640, height: 360))
        }
        if hasWeightImage(result) {
            report.addImage(relativePath: assetPrefix + "weights.png", caption: "Weights of each class, shown as images",
                            tileLabels: result.classNames)
        }
        report.addHeading("Configuration", level: 3)
        report.addPreformatted(result.configuration.prettyJSONText)
    }

    static func fmt(_ x: Double) -> String { String(format: "%.4f", x) }
}
