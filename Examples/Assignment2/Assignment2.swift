import Backprop
import BackpropCommandLine
import BackpropReports
import Foundation

/// Assignment 2 of DD2424: a 2-layer ReLU network (d → 50 → 10) with cyclical learning rates.
///
/// Runs the stages of ``Assignment2Pipeline`` (the gradient check, the "overfit 100 examples" sanity
/// check, one and three cycles on 10,000 images, the coarse-to-fine λ search on 45,000 images and the
/// final model on 49,000) and writes every run directory and one report.
///
///     swift run -c release Assignment2 --data DIR [--download] [--out DIR] [--parallel N] [--quick]
///
/// `Assignment2 --help` lists every option (``interface``).
@main
enum Assignment2 {
    static let interface = CommandInterface(
        name: "Assignment2",
        abstract: "DD2424 Assignment 2: a 2-layer ReLU network with cyclical learning rates, every stage, one report.",
        discussion: """
            In order: the gradient check, the "overfit 100 examples" sanity check, one cycle (n_s = 500) and
            three cycles (n_s = 800) on 10,000 images, the coarse-to-fine λ search and the final model (best λ,
            49,000 images, 3 cycles). Writes every run directory under OUT/assignment2-…/ and one report.
            """,
        arguments: [
            .option("data", value: "DIR", help: "where CIFAR-10 is (default: data/cifar-10-batches-bin or $BACKPROP_DATA)"),
            .flag("download", help: "if CIFAR-10 is not there, download it (162 MB), check its MD5 and unpack it"),
            .option("out", value: "DIR", help: "where the report's directory goes", default: "runs"),
            .option("seed", value: "N", help: "random seed of the shuffles and the weights", default: "42"),
            .option("parallel", value: "N", help: "trainings at once (above 1, no progress lines)",
                    default: "\(ProcessInfo.processInfo.activeProcessorCount)"),
            .flag("quick", help: "shrink every stage, keeping the structure (for tests and a first look)"),
            .flag("quiet", help: "no progress line"),
        ],
        version: BackpropVersion.current)

    static func main() {
        runProgram { try run($0) }
    }

    static func run(_ arguments: [String]) throws {
        let options = try interface.parse(arguments)
        var pipeline = Assignment2Pipeline(
            seed: try options.required("seed", as: UInt64.self), quick: options.flag("quick"),
            parallel: try options.required("parallel", as: Int.self, where: { $0 >= 1 }, must: "be at least 1"),
            dataDirectory: try options.value("data", as: String.self))
        pipeline.download = options.flag("download")
        pipeline.progress = options.flag("quiet") ? .none : .automatic
        let base = try RunDirectory.create(under: try options.required("out", as: URL.self), name: "assignment2")
        let outcome = try pipeline.run(in: base)

        var report = Assignment2Report(directory: base)
        report.gradientChecks = outcome.gradientChecks
        report.dataNotes = outcome.dataNotes
        if let sanity = outcome.sanity { report.add(sanity, label: "Sanity check: overfit 100 examples, λ = 0", reported: nil) }
        for (run, (label, reported)) in zip(outcome.cycles, Assignment2Pipeline.cycleLabels) {
            report.add(run, label: label, reported: reported)
        }
        report.search = outcome.search
        report.searchSeconds = outcome.searchSeconds
        if let final = outcome.final, let best = outcome.search?.ranking.first {
            report.add(final, label: String(format: "Final model, λ = %.4e", best.trial.lambda), reported: 0.515)
        }
        try report.write()
        for time in outcome.times {
            print(String(format: "time: %@ %.2f s (from uptime %.3f s)", time.stage, time.seconds, time.start))
        }
        print(base.appendingPathComponent("report.html").path)
    }
}
