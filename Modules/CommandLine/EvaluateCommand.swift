import Backprop
import Foundation

/// `backprop evaluate RUN_DIR [--data DIR] [--split S] [--ensemble RUN_DIR]… [--out DIR]`.
enum EvaluateCommand {
    /// The split to evaluate on.
    enum Split: String, CaseIterable { case test, validation, train }

    static let interface = CommandInterface(
        name: "evaluate",
        abstract: "evaluate a trained model (or an ensemble) on a data split",
        discussion: """
            Loads the model of RUN_DIR (its model.json, parameters and standardiser), evaluates it on a split
            of the data set its experiment names, and writes evaluation.json, per_class.csv, confusion.csv
            and evaluation.html (a coloured confusion matrix). With --ensemble, the models' class probabilities
            are averaged, and each member and the ensemble are reported.
            """,
        arguments: [
            .positional("run", value: "RUN_DIR", help: "a run directory written by 'backprop train'", required: true),
            .option("data", value: "DIR", help: """
                where the data set is (default: the experiment's data.directory, $BACKPROP_DATA, or the data set's
                usual folder)
                """),
            .option("split", value: "S", help: "test, validation or train", default: "test"),
            .repeatedOption("ensemble", value: "RUN_DIR", help: "another run of the same classes to average with; repeatable"),
            .option("out", value: "DIR", help: "where the files go (default: RUN_DIR/evaluation-SPLIT)"),
        ])

    static func subcommand(registries: PluginRegistries) -> Subcommand {
        Subcommand(interface) { try run($0, registries: registries) }
    }

    static func run(_ args: ParsedArguments, registries: PluginRegistries) throws {
        let run = try args.required("run", as: URL.self)
        let split = try args.choice("split", as: Split.self) ?? .test
        let others = try args.values("ensemble", as: URL.self)
        let data = try args.value("data", as: String.self)
        let out = try args.value("out", as: URL.self) ?? run.appendingPathComponent("evaluation-\(split.rawValue)")

        let runs = [run] + others
        let models = try runs.map { try TrainedModel.load(from: $0, layers: registries.layers) }
        let configuration = try dataConfiguration(of: run)
        let splits = try ExperimentSession.loadRawData(configuration, override: data)
        let dataset = switch split {
        case .test: splits.test
        case .validation: splits.validation
        case .train: splits.train
        }
        guard dataset.count > 0 else { throw CLIError.failed("the \(split.rawValue) split of \(configuration) is empty") }
        print("data: \(dataset.count) \(split.rawValue) images of \(configuration)")

        var evaluations: [ModelEvaluation] = []
        for (directory, model) in zip(runs, models) {
            try fits(model, dataset, directory)
            let probabilities = try model.probabilities(dataset.features)
            evaluations.append(ModelEvaluation(name: directory.lastPathComponent, probabilities: probabilities,
                                               labels: dataset.labels, classNames: model.classNames))
        }
        if models.count > 1 {
            let averaged = try TrainedModel.averageProbabilities(models, dataset.features)
            evaluations.append(ModelEvaluation(name: "ensemble of \(models.count)", probabilities: averaged,
                                               labels: dataset.labels, classNames: models[0].classNames))
        }
        for e in evaluations {
            print(String(format: "%@: accuracy %.2f%%, loss %.4f", e.name, 100 * e.accuracy, e.loss))
        }
        try EvaluationReport.write(evaluations, split: split.rawValue, to: out)
        print(out.appendingPathComponent("evaluation.html").path)
    }

    /// The data section of the run's experiment, from its `metrics.json`.
    static func dataConfiguration(of run: URL) throws -> DatasetConfiguration {
        let file = run.appendingPathComponent("metrics.json")
        guard let bytes = FileManager.default.contents(atPath: file.path) else {
            throw CLIError.failed("cannot read \(file.path): is \(run.path) a run directory?")
        }
        guard case .object(let metrics) = try JSONValue(parsing: bytes, source: file.path),
              case .object(let config)? = metrics["config"], let data = config["data"], case .object = data else {
            throw CLIError.failed("""
                \(file.path) names no data set (config.data): the model was composed in code; evaluate it in \
                Swift with TrainedModel.load(from:) and evaluate(_:)
                """)
        }
        return try DatasetConfiguration(data, path: "\(file.path): config.data")
    }

    /// Refuses data the model cannot take, naming the run.
    static func fits(_ model: TrainedModel, _ dataset: Dataset, _ run: URL) throws {
        guard dataset.featureCount == model.archive.inputs, dataset.classNames.count == model.classNames.count else {
            throw CLIError.failed("""
                the model of \(run.path) takes \(model.archive.inputs) features and \(model.classNames.count) classes; \
                the data have \(dataset.featureCount) and \(dataset.classNames.count)
                """)
        }
    }
}
