import Backprop
import Dispatch
import Foundation

/// `backprop bench --pipeline`: Assignment 2's whole work, Backprop against NumPy, end to end.
///
/// Writes a synthetic CIFAR-10 of full size in the official binary layout (five training batches and a
/// test batch of 10,000 random images and labels each: the arithmetic does not depend on the values),
/// then runs, in alternation, ``Assignment2Pipeline`` in this process and `scripts/numpy_pipeline_bench.py`
/// (the same stages, updates, evaluations, data loads and 2-way parallel search, in NumPy) on it. Each run
/// writes its files into a folder of its own; everything is removed at the end.
///
/// The ratio of each pair is Backprop's seconds over NumPy's; the last line is the median over the pairs.
enum PipelineBenchmark {
    /// The images of each synthetic batch file, as in the official files.
    static let imagesPerFile = 10_000

    /// Writes the six batch files of a synthetic CIFAR-10 (`imagesPerFile` records each) into `folder`.
    static func writeSyntheticCIFAR10(into folder: URL, imagesPerFile: Int = imagesPerFile, seed: UInt64 = 1) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = SeededGenerator(seed: seed)
        let names = (1...5).map { "data_batch_\($0).bin" } + ["test_batch.bin"]
        for name in names {
            var bytes = [UInt8](repeating: 0, count: imagesPerFile * CIFAR10.recordSize)
            bytes.withUnsafeMutableBytes { buffer in
                // Eight random bytes at a time, then each record's first byte made a label below 10.
                let words = buffer.count / 8
                let wordPointer = buffer.baseAddress!.assumingMemoryBound(to: UInt64.self)
                for i in 0..<words { wordPointer[i] = rng.next() }
                for i in (words * 8)..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: rng.next()) }
                for record in 0..<imagesPerFile {
                    buffer[record * CIFAR10.recordSize] = UInt8(rng.nextIndex(below: CIFAR10.classCount))
                }
            }
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
    }

    /// One timed run of each side.
    struct Pair {
        var backprop: Double
        var numpy: Double
        var ratio: Double { backprop / numpy }
    }

    /// Runs `pairs` alternating pairs (Backprop first in odd pairs, NumPy first in even ones) and prints
    /// each run's stage times, each pair's ratio and, last, `ratio pipeline backprop/numpy: R`.
    static func run(pairs: Int, quick: Bool, seed: UInt64 = 42) throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("backprop-pipeline-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("cifar-10-batches-bin")
        try writeSyntheticCIFAR10(into: data)
        print("pipeline: Assignment 2 on a synthetic CIFAR-10 of 60,000 images\(quick ? " (--quick stages)" : ""), \(pairs) pair\(pairs == 1 ? "" : "s")")

        var results: [Pair] = []
        for index in 0..<pairs {
            let out = root.appendingPathComponent("pair-\(index)")
            var backprop = 0.0, numpy = 0.0
            for side in index % 2 == 0 ? ["backprop", "numpy"] : ["numpy", "backprop"] {
                if side == "backprop" {
                    backprop = try runBackprop(data: data, out: out.appendingPathComponent("backprop"), quick: quick, seed: seed)
                } else {
                    numpy = try runNumPy(data: data, out: out.appendingPathComponent("numpy"), quick: quick)
                }
            }
            let pair = Pair(backprop: backprop, numpy: numpy)
            results.append(pair)
            print(String(format: "pair %d: backprop %.2f s, numpy %.2f s, ratio %.3f", index + 1, backprop, numpy, pair.ratio))
            try? FileManager.default.removeItem(at: out)
        }
        let ratios = results.map(\.ratio).sorted()
        print(String(format: "ratio pipeline backprop/numpy: %.3f", ratios[ratios.count / 2]))
    }

    /// Backprop's seconds for the whole pipeline, printing each stage's.
    static func runBackprop(data: URL, out: URL, quick: Bool, seed: UInt64) throws -> Double {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var pipeline = Assignment2Pipeline(seed: seed, quick: quick, parallel: 2, dataDirectory: data.path)
        pipeline.progress = .none
        pipeline.trialLog = { _ in }
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = try pipeline.run(in: out, log: { _ in })
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let stages = outcome.times.map { String(format: "%@ %.2f", $0.stage, $0.seconds) }.joined(separator: ", ")
        print(String(format: "backprop: %.2f s (%@)", seconds, stages))
        return seconds
    }

    /// NumPy's seconds for the whole pipeline, as the script measures them (from its first stage to its
    /// last: Python's start and NumPy's import left out, the stricter comparison), printing each stage's.
    static func runNumPy(data: URL, out: URL, quick: Bool) throws -> Double {
        let output = try BenchCommand.python(
            ["scripts/numpy_pipeline_bench.py", "--data", data.path, "--out", out.path] + (quick ? ["--quick"] : []))
        var stages: [String] = []
        var total: Double?
        for line in output.split(separator: "\n") {
            if line.hasPrefix("numpy_pipeline_seconds ") {
                total = line.split(separator: " ").last.flatMap { Double($0) }
            } else if let colon = line.firstIndex(of: ":") {
                stages.append("\(line[..<colon]) \(line[line.index(after: colon)...].dropLast(2).trimmingCharacters(in: .whitespaces))")
            }
        }
        guard let total else { throw CLIError.failed("could not read NumPy's pipeline time from:\n\(output)") }
        print(String(format: "numpy: %.2f s (%@)", total, stages.joined(separator: ", ")))
        return total
    }
}
