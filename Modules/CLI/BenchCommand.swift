import Backprop
import BackpropBenchmarks
import BackpropCommandLine
import Foundation

/// `backprop bench [--compare-numpy]`: matrix-product GFLOP/s, fraction of peak, seconds per epoch.
enum BenchCommand {
    static let help = """
    USAGE: backprop bench [--compare-numpy] [--quick] [--epochs N] [--examples N] [--repetitions N]
                         [--threads N] [--epoch-only]

    Times, in this process (build with -c release):
      - the matrix product for the Assignment 2 shapes (batch 100, 3072 → 50 → 10) and square cases, in
        Float and Double: GFLOP/s and the fraction of the machine's peak (from its clock and vector width);
      - a Float training epoch of the Assignment 2 network on 45,000 synthetic images (median seconds);
      - the process's peak memory, against the training set's size as Float.
    With --compare-numpy it runs scripts/numpy_matmul_bench.py and scripts/numpy_epoch_bench.py (NumPy
    with OpenBLAS, the epoch with default threads and with one) in the same run and ends with
    'ratio epoch_fp32 backprop/numpy: R' (against the faster NumPy epoch; R < 1: Backprop is faster).

    OPTIONS:
      --compare-numpy   also time NumPy (python3 with numpy required)
      --quick           fewer repetitions and epochs (for CI)
      --epochs N        timed epochs (default 5; 2 with --quick)
      --examples N      training examples (default 45000)
      --repetitions N   timed runs per product (default 11; 5 with --quick)
      --threads N       the most threads Backprop may use, 1 or 2 (default 2), for the products and the epoch
      --epoch-only      time only the training epoch (and NumPy's, with --compare-numpy)
    """

    static func run(_ arguments: [String]) throws {
        let args = try Arguments(arguments, options: ["epochs", "examples", "repetitions", "threads"],
                                 flags: ["compare-numpy", "quick", "epoch-only"], command: "backprop bench")
        let quick = args.has("quick")
        let epochs = try args.int("epochs") ?? (quick ? 2 : 5)
        let examples = try args.int("examples") ?? 45_000
        let repetitions = try args.int("repetitions") ?? (quick ? 5 : 11)
        let threads = try args.int("threads") ?? 2
        guard threads == 1 || threads == 2 else { throw CLIError.usage("--threads must be 1 or 2") }
        guard epochs >= 1, examples >= 100, repetitions >= 1 else {
            throw CLIError.usage("--epochs and --repetitions must be at least 1, --examples at least 100")
        }
        #if DEBUG
        print("warning: this is a debug build; time a release build (swift run -c release backprop bench)")
        #endif

        let peak = MatrixProductBenchmark.machinePeak()
        print(String(format: "machine: %d cores at %.2f GHz, kernel %@, peak %.0f GFLOP/s fp32 (%.0f per core), %.0f fp64",
                     peak.cores, peak.clockGHz, MatrixProductKernel.active.description, peak.float32GFLOPS,
                     peak.float32GFLOPS / Double(peak.cores), peak.float64GFLOPS))
        let epochOnly = args.has("epoch-only")
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
        if let memory = EpochBenchmark.peakMemoryBytes() {
            print(String(format: "peak memory: %.0f MB, %.2f× the training set as Float (%.0f MB)", Double(memory) / 1e6,
                         Double(memory) / Double(epoch.trainingSetBytes), Double(epoch.trainingSetBytes) / 1e6))
        }

        guard args.has("compare-numpy") else { return }
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
