import Backprop
import Foundation

/// `backprop predict RUN_DIR --input FILE [--out FILE]`.
enum PredictCommand {
    static let interface = CommandInterface(
        name: "predict",
        abstract: "predict the classes of images with a trained model",
        discussion: """
            Loads the model of RUN_DIR and writes one CSV row per example of FILE: its index, the predicted
            class, and the three most probable classes with their probabilities. FILE is a CIFAR-10 .bin file,
            an IDX image file, a .npy array of raw images (N × d, uint8 or float), or a PNG image; the model's
            own standardiser is applied.
            """,
        arguments: [
            .positional("run", value: "RUN_DIR", help: "a run directory written by 'backprop train'", required: true),
            .option("input", value: "FILE", help: "the examples (.bin, IDX, .npy or .png)", required: true),
            .option("out", value: "FILE", help: "where the CSV goes (default: standard output)"),
        ])

    static func subcommand(registries: PluginRegistries) -> Subcommand {
        Subcommand(interface) { try run($0, registries: registries) }
    }

    static func run(_ args: ParsedArguments, registries: PluginRegistries) throws {
        let run = try args.required("run", as: URL.self)
        let input = try args.required("input", as: URL.self)
        let out = try args.value("out", as: OutputFile.self)?.url
        let model = try TrainedModel.load(from: run, layers: registries.layers)
        let features = try PredictionInput.read(input)
        guard features.columns == model.archive.inputs else {
            throw CLIError.failed("""
                \(input.path): examples of \(features.columns) values, but the model of \(run.path) takes \
                \(model.archive.inputs)\(model.imageShape.map { " (\($0) images)" } ?? "")
                """)
        }
        let table = PredictionTable.make(try model.probabilities(features), classNames: model.classNames)
        if let out {
            try table.write(to: out)
            print("\(features.rows) prediction(s): \(out.path)")
        } else {
            print(table.render(), terminator: "")
        }
    }
}
