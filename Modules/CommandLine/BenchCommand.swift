import Backprop
import BackpropBenchmarks
import Foundation

/// `backprop bench [--compare-numpy]`: matrix-product GFLOP/s, fraction of peak, seconds per epoch.
enum BenchCommand {
    static let interface = CommandInterface(
        name: "bench",
        abstract: "time the matrix product and a training epoch (release build)",
        discussion: """
            Times, in this process (build with -c release):
              - the matrix product for the Assignment 2 shapes (batch 100, 3072 → 50 → 10) and square cases, in
                Float and Double: GFLOP/s and the fraction of the machine's peak (from its clock and vector width);
              - a Float training epoch of the Assignment 2 network on 45,000 synthetic images (median seconds);
              - training steps of a wide network (3072 → 1024 → 512 → 10, momentum, L2, flips) with and without
                dropout 0.3: milliseconds per step, GFLOP/s and the fraction of peak, and dropout's overhead;
              - the process's peak memory, against the training set's size as Float.
            With --compare-numpy it runs scripts/numpy_matmul_bench.py and scripts/numpy_epoch_bench.py (NumPy
            with OpenBLAS, the epoch with default threads and with one) in the same run and ends with
            'ratio epoch_fp32 backprop/numpy: R' (against the faster NumPy epoch; R < 1: Backprop is faster).

            With --pipeline it instead runs Assignment 2's whole work (every stage, its evaluations, data loads and
            2-way parallel search) on a synthetic CIFAR-10 of full size, in this process and in
            scripts/numpy_pipeline_bench.py, alternately for --pairs pairs, and ends with
            'ratio pipeline backprop/numpy: R' (the median of the pairs' ratios). --quick shrinks every stage.
            """,
        arguments: [
            .flag("compare-numpy", help: "also time NumPy (python3 with numpy required)"),
            .flag("quick", help: "fewer repetitions and epochs (for CI)"),
            .option("epochs", value: "N", help: "timed epochs (default: 5; 2 with --quick)"),
            .option("examples", value: "N", help: "training examples", default: "45000"),
            .option("repetitions", value: "N", help: "timed runs per product (default: 11; 5 with --quick)"),
            .option("threads", value: "N", help: "the most threads Backprop may use, 1 or 2, for the products and the epoch",
                    default: "2"),
            .flag("epoch-only", help: "time only the training epoch (and NumPy's, with --compare-numpy)"),
            .flag("pipeline", help: "time Assignment 2's whole work against scripts/numpy_pipeline_bench.py instead"),
            .option("pairs", value: "N", help: "alternating Backprop and NumPy runs of --pipeline", default: "3"),
        ])

    /// The command; it checks the built-in models and uses no plug-ins.
    static let subcommand = Subcommand(interface, run: run)

    static func run(_ args: ParsedArguments) throws {
        let quick = args.flag("quick")
        let atLeastOne = { (n: Int) in n >= 1 }
        let epochs = try args.value("epochs", as: Int.self, where: atLeastOne, must: "be at least 1") ?? (quick ? 2 : 5)
        let examples = try args.required("examples", as: Int.self, where: { $0 >= 100 }, must: "be at least 100")
        let repetitions = try args.value("repetitions", as: Int.self, where: atLeastOne, must: "be at least 1")
            ?? (quick ? 5 : 11)
        let threads = try args.required("threads", as: Int.self, where: { $0 == 1 || $0 == 2 }, must: "be 1 or 2")
        if args.flag("pipeline") {
            return try PipelineBenchmark.run(
                pairs: try args.required("pairs", as: Int.self, where: atLeastOne, must: "be at least 1"), quick: quick)
        }
        // The synthetic training set (3,072 Floats an example), before anything is timed or allocated.
        try MemoryBudget.machine.require(
            bytes: Double(examples) * 3072 * Double(MemoryLayout<Float>.size), for: "\(examples) synthetic examples",
            path: "--examples")
        #if DEBUG
        print("warning: this is a debug build; time a release build (swift run -c release backprop bench)")
        #endif

        let peak = MatrixProductBenchmark.machinePeak()
        print(String(format: "machine: %d cores at %.2f GHz, kernel %@, peak %.0f GFLOP/s fp32 (%.0f per core), %.0f fp64",
                     peak.cores, peak.clockGHz, MatrixProductKernel.active.description, peak.float32GFLOPS,
                     peak.float32GFLOPS / Double(peak.cores), peak.float64GFLOPS))
        let epochOnly = args.flag("epoch-only")
        let products = epochOnly ? [] : MatrixProductBenchmark.run(repetitions: repetitions, threads: threads)
        for r in products {
            let top = r.precision == .float32 ? peak.float32GFLOPS : peak.float64GFLOPS
            print(String(format: "matmul %@ %@ %@: %.1f GFLOP/s (%.0f%% of peak)", r.precision.rawValue,
                         r.shape.name, r.shape.description, r.gflops, 100 * r.gflops / top))
        }

        let data = EpochBenchmark.syntheticData(count: examples)
        let epoch = MatrixProductKernel.withThreadLimit(threads) { EpochBenchmark.run(data: data, epochs: epochs) }
        print(String(format: "epoch_fp32: median %.3f s per epoch of %d images (runs: %@)", epoch.median, examples,
                     epoch.samples.map { String(format: "%.3f", $0) }.joined(separator: " ")))
        if !epochOnly {
            let (steps, runs) = quick ? (10, 2) : (40, 3)
            let layers = WideStepBenchmark.widths.map(String.init).joined(separator: "-")
            var perStep: [Bool: Double] = [:]
            for dropout in [false, true] {
                let wide = MatrixProductKernel.withThreadLimit(threads) {
                    WideStepBenchmark.run(data: data, steps: steps, runs: runs, dropout: dropout)
                }
                perStep[dropout] = wide.medianSecondsPerStep
                print(String(format: "wide_step %@ (momentum, L2, flips%@): median %.1f ms per step, %.1f GFLOP/s (%.0f%% of peak)",
                             layers, dropout ? ", dropout 0.3" : "", 1000 * wide.medianSecondsPerStep, wide.gflops,
                             100 * wide.gflops / peak.float32GFLOPS * (threads == 1 ? Double(peak.cores) : 1)))
            }
            if let with = perStep[true], let without = perStep[false] {
                print(String(format: "wide_step dropout overhead: %.0f%%", 100 * (with / without - 1)))
            }
        }
        if let memory = EpochBenchmark.peakMemoryBytes() {
            print(String(format: "peak memory: %.0f MB, %.2f× the training set as Float (%.0f MB)", Double(memory) / 1e6,
                         Double(memory) / Double(epoch.trainingSetBytes), Double(epoch.trainingSetBytes) / 1e6))
        }

        guard args.flag("compare-numpy") else { return }
        let numpyProducts = epochOnly
            ? "" : try python(["scripts/numpy_matmul_bench.py", "--repetitions", "\(repetitions)"])
        var numpyGFLOPS: [String: Double] = [:]
        for line in numpyProducts.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 6, let gflops = Double(fields[5]) { numpyGFLOPS["\(fields[0]) \(fields[3])"] = gflops }
        }
        for r in products {
            guard let reference = numpyGFLOPS["\(r.shape.name) \(r.precision.rawValue)"] else { continue }
            print(String(format: "numpy matmul %@ %@: %.1f GFLOP/s; backprop/numpy GFLOP/s: %.2f", r.precision.rawValue,
                         r.shape.name, reference, r.gflops / reference))
        }
        // NumPy twice: with OpenBLAS's default threads, and with one thread, which is faster whenever the
        // other core is slowed by another tenant (OpenBLAS splits evenly and waits for the slower half).
        // The ratio is taken against the faster of the two: the stricter comparison.
        var numpySeconds: [Double] = []
        for openBLASThreads in [nil, "1"] {
            let output = try python(
                ["scripts/numpy_epoch_bench.py", "--epochs", "\(epochs)", "--examples", "\(examples)"],
                openBLASThreads: openBLASThreads)
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("epoch_fp32_median") }),
                  let seconds = line.split(separator: " ").last.flatMap({ Double($0) }) else {
                throw CLIError.failed("could not read NumPy's epoch time from:\n\(output)")
            }
            let label = openBLASThreads.map { "\($0) thread" } ?? "default threads"
            print("\(output.split(separator: "\n").first.map(String.init) ?? "") (\(label))")
            print(String(format: "numpy epoch_fp32 (%@): median %.3f s per epoch", label, seconds))
            numpySeconds.append(seconds)
        }
        let reference = numpySeconds.min() ?? .nan
        print(String(format: "ratio epoch_fp32 backprop/numpy: %.2f", epoch.median / reference))
    }

    /// Runs a repository script with python3, OpenBLAS left to choose its own kernel (and its threads,
    /// unless `openBLASThreads` is given).
    static func python(_ arguments: [String], openBLASThreads: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = nil
        environment["OPENBLAS_L2_SIZE"] = nil
        environment["OPENBLAS_NUM_THREADS"] = openBLASThreads
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch {
            throw CLIError.failed("cannot run python3 \(arguments[0]): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError.failed("python3 \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus) (run it from the repository root, with numpy installed)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
