import Backprop
import BackpropCommandLine
import BackpropReports
import Foundation

/// Assignment 2 of DD2424: a 2-layer ReLU network (d → 50 → 10) with cyclical learning rates.
///
/// In order: the gradient check, the "overfit 100 examples" sanity check, one cycle (n_s = 500) and
/// three cycles (n_s = 800) on 10,000 images, the coarse-to-fine λ search (2 cycles with
/// n_s = 2⌊n/100⌋ on 45,000 images, scored on 5,000), and the final model (best λ, 49,000 images,
/// 3 cycles). Writes every run directory and one report.
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

    /// The course's experiment with the network, schedule and λ varied.
    static func experiment(
        name: String, data: JSONValue, lambda: Double?, schedule: JSONValue, batch: Int = 100,
        evaluations: Int = 10, epochs: Int? = nil, seed: UInt64
    ) -> JSONValue {
        var training: [String: JSONValue] = ["batch_size": .number(Double(batch))]
        if let epochs { training["epochs"] = .number(Double(epochs)) }
        var json: [String: JSONValue] = [
            "name": .string(name), "seed": .number(Double(seed)), "data": data,
            "model": ["hidden": [50], "initializer": "lecun_normal"],
            "training": .object(training), "schedule": schedule,
            "evaluation": ["times": .number(Double(evaluations))],
        ]
        if let lambda { json["regularizers"] = [["name": "l2", "lambda": .number(lambda)]] }
        return .object(json)
    }

    /// The triangular schedule from 1e-5 to 1e-1; without a step size, n_s = 2⌊n/batch⌋ (two epochs).
    static func cyclical(stepSize: Int?, cycles: Int) -> JSONValue {
        var schedule: [String: JSONValue] = ["name": "triangular", "eta_min": 1e-5, "eta_max": 0.1, "cycles": .number(Double(cycles))]
        if let stepSize { schedule["step_size"] = .number(Double(stepSize)) } else { schedule["step_size_epochs"] = 2 }
        return .object(schedule)
    }

    static func run(_ arguments: [String]) throws {
        let options = try interface.parse(arguments)
        let seed = try options.required("seed", as: UInt64.self)
        let parallel = try options.required("parallel", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
        let out = try options.required("out", as: URL.self)
        let data = try options.value("data", as: String.self)
        let quick = options.flag("quick")
        let base = try RunDirectory.create(under: out, name: "assignment2")
        var report = Assignment2Report(directory: base)

        // 1. Gradients, in Double on 20 features as the course does.
        let checks = GradientCheckSuite.synthetic(count: 8, features: 20, seed: seed).run()
        report.gradientChecks = checks
        print(String(format: "gradient check: largest relative error %.2e", checks.map(\.worst).max() ?? 0))

        // 2–4: batch 1 for training (10,000 images in the full set), batch 2 for validation.
        let batch1: JSONValue = ["kind": "cifar10", "split": "batch1"]
        let sanity = try ExperimentConfig(json: experiment(
            name: "a2-sanity-overfit-100", data: ["kind": "cifar10", "split": "batch1", "train_limit": 100],
            lambda: nil, schedule: ["name": "constant", "eta": 0.05], batch: 10, evaluations: 20,
            epochs: quick ? 20 : 200, seed: seed))
        let oneCycle = try ExperimentConfig(json: experiment(
            name: "a2-one-cycle-ns500", data: batch1, lambda: 0.01,
            schedule: cyclical(stepSize: quick ? 50 : 500, cycles: 1), seed: seed))
        let threeCycles = try ExperimentConfig(json: experiment(
            name: "a2-three-cycles-ns800", data: batch1, lambda: 0.01,
            schedule: cyclical(stepSize: quick ? 80 : 800, cycles: 3), evaluations: 30, seed: seed))
        let (small, smallStandardizer) = try ExperimentSession.loadData(
            oneCycle.data, override: data, download: options.flag("download"))
        let (tiny, tinyStandardizer) = try ExperimentSession.loadData(sanity.data, override: data)
        print("data (batch 1 / batch 2 / test): \(small)")
        for note in small.notes { print("note: \(note)") }
        report.dataNotes += small.notes

        // Runs side by side would draw over each other's progress line.
        let progress: ProgressReporter.Style = options.flag("quiet") || parallel > 1 ? .none : .automatic
        let sanityRun = try ExperimentSession.run(sanity, splits: tiny, standardizer: tinyStandardizer, outputBase: base, progress: progress)
        print(String(format: "sanity check (100 examples, λ = 0): training loss %.4f, accuracy %.1f%%",
                     sanityRun.0.train.loss, 100 * sanityRun.0.train.accuracy))
        report.add(sanityRun, label: "Sanity check: overfit 100 examples, λ = 0", reported: nil)
        let cycles = ParallelWork.map([oneCycle, threeCycles], maxConcurrent: parallel) { config in
            try ExperimentSession.run(config, splits: small, standardizer: smallStandardizer, outputBase: base, progress: progress)
        }
        let labels = [("One cycle, n_s = 500", 0.4598), ("Three cycles, n_s = 800", 0.4746)]
        for (outcome, (label, reported)) in zip(cycles, labels) {
            let run = try outcome.get()
            print(String(format: "%@: test accuracy %.2f%% (course report about %.0f%%)", label, 100 * run.0.test.accuracy, 100 * reported))
            report.add(run, label: label, reported: reported)
        }

        // 5. λ search on all batches less 5,000 for validation.
        let searchJSON: JSONValue = [
            "name": "a2-lambda-search", "seed": .number(Double(seed) + 1), "l_min": -5, "l_max": -1,
            "coarse": ["grid": quick ? 3 : 8], "fine": ["random": quick ? 2 : 8, "top": 3],
            "experiment": experiment(name: "trial", data: ["kind": "cifar10", "split": "all", "validation": 5000],
                                     lambda: nil, schedule: cyclical(stepSize: nil, cycles: quick ? 1 : 2), seed: seed),
        ]
        let searchConfig = try LambdaSearchConfig(json: searchJSON)
        let (pool, poolStandardizer) = try ExperimentSession.loadData(searchConfig.experiment.data, override: data)
        print("data (search): \(pool)")
        report.dataNotes += pool.notes
        var search = try SearchSession(config: searchConfig, base: base, splits: pool, standardizer: poolStandardizer)
        search.parallel = parallel
        let start = Date()
        try search.run(.all)
        report.search = search
        report.searchSeconds = Date().timeIntervalSince(start)
        guard let best = search.ranking.first else { throw CLIError.failed("the λ search finished no trial") }
        print(String(format: "best λ = %.4e (validation %.2f%%)", best.trial.lambda, 100 * best.validationAccuracy))

        // 6. The final model: best λ, all batches less 1,000, 3 cycles of n_s = 2⌊n/100⌋.
        let final = try ExperimentConfig(json: experiment(
            name: "a2-final", data: ["kind": "cifar10", "split": "all", "validation": 1000], lambda: best.trial.lambda,
            schedule: cyclical(stepSize: nil, cycles: quick ? 1 : 3), evaluations: 30, seed: seed))
        let (full, fullStandardizer) = try ExperimentSession.loadData(final.data, override: data)
        print("data (final): \(full)")
        report.dataNotes += full.notes
        let finalRun = try ExperimentSession.run(final, splits: full, standardizer: fullStandardizer, outputBase: base, progress: options.flag("quiet") ? .none : .automatic)
        print(String(format: "final model: test accuracy %.2f%% (course reports 51–52%%)", 100 * finalRun.0.test.accuracy))
        report.add(finalRun, label: String(format: "Final model, λ = %.4e", best.trial.lambda), reported: 0.515)
        try report.write()
        print(base.appendingPathComponent("report.html").path)
    }
}
