import BackpropBenchmarks
import BackpropTensor
import Foundation
import Testing

/// Tests of the benchmark's parsing and bookkeeping, and an opt-in timing run.
@Suite("Matrix product benchmark")
struct MatrixProductBenchmarkTests {
    @Test("Shapes parse from and print to the NumPy script's NAME:MxNxK:OPS format")
    func shapeFormat() throws {
        let shape = try #require(MatrixProductBenchmark.Shape(parsing: "a2-weight-gradient:3072x50x100:TN"))
        #expect(shape == MatrixProductBenchmark.Shape.assignment2[1])
        #expect(shape.description == "a2-weight-gradient:3072x50x100:TN")
        #expect(shape.flop == 2 * 3072 * 50 * 100)
        for bad in ["x:1x2:NN", "x:1x2x3:NX", ":1x2x3:NN", "x:1x2x3", "x:-1x2x3:NN", "x:axbxc:TT"] {
            #expect(MatrixProductBenchmark.Shape(parsing: bad) == nil, "\(bad)")
        }
        for shape in MatrixProductBenchmark.Shape.standard {
            #expect(MatrixProductBenchmark.Shape(parsing: shape.description) == shape)
        }
    }

    @Test("A short run returns one positive timing per shape and precision")
    func shortRun() {
        let shapes = [MatrixProductBenchmark.Shape(name: "small", m: 8, n: 9, k: 10, transposeB: true)]
        let results = MatrixProductBenchmark.run(shapes: shapes, repetitions: 3, threads: 1)
        #expect(results.map(\.precision) == [.float32, .float64])
        for result in results {
            #expect(result.samples.count == 3)
            #expect(result.medianSeconds > 0 && result.gflops > 0)
            #expect(result.samples.sorted()[1] == result.medianSeconds)
            #expect(result.kernel == MatrixProductKernel.active.description)
        }
    }

    @Test("The machine's peak is consistent: cores, a clock, Double at half the Float rate")
    func machinePeak() {
        let peak = MatrixProductBenchmark.machinePeak()
        #expect(peak.cores >= 1)
        #expect(peak.clockGHz > 0.2 && peak.clockGHz < 10)
        #expect(abs(peak.float32GFLOPS - 2 * peak.float64GFLOPS) < 1e-9)
        if MatrixProductKernel.active == .avx2 {
            #expect(abs(peak.float32GFLOPS - 32 * peak.clockGHz * Double(peak.cores)) < 1e-6)
        }
    }

    /// Prints GFLOP/s of the standard shapes; run with
    /// `BACKPROP_BENCHMARK=1 swift test -c release --filter MatrixProductBenchmark`. Timing is never asserted.
    @Test(
        "Timing of the standard shapes (opt-in)",
        .enabled(if: ProcessInfo.processInfo.environment["BACKPROP_BENCHMARK"] != nil))
    func printTimings() {
        let peak = MatrixProductBenchmark.machinePeak()
        print(
            String(
                format: "peak: %.2f GHz × %d cores: %.0f GFLOP/s fp32, %.0f fp64",
                peak.clockGHz, peak.cores, peak.float32GFLOPS, peak.float64GFLOPS))
        for threads in [1, 2] {
            for result in MatrixProductBenchmark.run(repetitions: 11, threads: threads) {
                let limit = result.precision == .float32 ? peak.float32GFLOPS : peak.float64GFLOPS
                let share = 100 * result.gflops / (limit / Double(peak.cores) * Double(min(threads, peak.cores)))
                print("\(result)  (\(String(format: "%.0f", share))% of \(threads)-core peak)")
            }
        }
    }
}
