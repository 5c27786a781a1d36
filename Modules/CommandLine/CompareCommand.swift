import Backprop
import BackpropReports
import Foundation

/// `backprop compare RUN_DIR... [--out FILE]`.
enum CompareCommand {
    static let interface = CommandInterface(
        name: "compare",
        abstract: "compare runs on one page: figures, settings that differ, overlaid curves",
        discussion: """
            Writes one self-contained HTML page: a table of the runs (status, steps, time, final accuracies and
            cost, each linked to its report), a table of their settings with the ones that differ highlighted
            (the experiment's values and the model, schedule, regularisers and data as built), and their loss,
            cost, accuracy and learning-rate curves overlaid, one colour per run. Example:
              backprop compare runs/a2-one-cycle-* runs/a2-three-cycles-* --out compare.html
            """,
        arguments: [
            .repeatedPositional("runs", value: "RUN_DIR", help: "run directories written by 'backprop train'", required: true),
            .option("out", value: "FILE", help: "where the page goes", default: "compare.html"),
        ])

    static let subcommand = Subcommand(interface) { try run($0) }

    static func run(_ args: ParsedArguments) throws {
        let directories = try args.values("runs", as: URL.self)
        guard !directories.isEmpty else { throw args.interface.usageError("name at least one run directory.") }
        guard let out = try args.value("out", as: OutputFile.self)?.url else {
            throw CLIError.failed("'out' has no default (a bug in the command)")
        }
        let comparison: RunComparison
        do {
            comparison = try RunComparison.read(directories)
        } catch let error as ReportFileError {
            throw CLIError.failed("\(error)")
        }
        try comparison.write(to: out)
        for (label, run) in zip(comparison.labels, comparison.runs) {
            let accuracy = run.testAccuracy.map { String(format: "test accuracy %.2f%%", 100 * $0) } ?? run.status.description
            print("\(label): \(accuracy)")
        }
        print(out.path)
    }
}
