import BackpropTensor
import CBackpropKernels
import Foundation

/// Times the matrix product on given shapes and compares it with what the machine can do.
///
/// The shapes are written as in `scripts/numpy_matmul_bench.py` (`NAME:MxNxK:OPS`), so that one
/// command can time both and print the ratio. Figures are medians of `repetitions` timed runs, each
/// run repeating the product for about 20 ms; the machine is shared, so compare ratios from one run.
///
/// ```swift
/// let results = MatrixProductBenchmark.run(shapes: MatrixProductBenchmark.Shape.assignment2,
///                                          repetitions: 11, threads: 2)
/// let peak = MatrixProductBenchmark.machinePeak()
/// for r in results { print(r, "\(Int(100 * r.gflops / peak.float32GFLOPS))% of peak") }
/// ```
public enum MatrixProductBenchmark {
    /// One product to time: `C[m, n] = op(A) · op(B)`, `op(A)` m×k and `op(B)` k×n.
    public struct Shape: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var m: Int, n: Int, k: Int
        /// A is stored k×m (the product uses Aᵀ).
        public var transposeA: Bool
        /// B is stored n×k (the product uses Bᵀ).
        public var transposeB: Bool

        public init(name: String, m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false) {
            self.name = name
            (self.m, self.n, self.k) = (m, n, k)
            (self.transposeA, self.transposeB) = (transposeA, transposeB)
        }

        /// Reads `NAME:MxNxK:OPS` (OPS one of NN, NT, TN, TT), the NumPy script's format; `nil` if malformed.
        public init?(parsing text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[0].isEmpty else { return nil }
            let extents = parts[1].split(separator: "x").compactMap { Int($0) }
            let ops = Array(parts[2])
            guard extents.count == 3, extents.allSatisfy({ $0 >= 0 }), ops.count == 2,
                ops.allSatisfy({ $0 == "N" || $0 == "T" })
            else { return nil }
            self.init(
                name: String(parts[0]), m: extents[0], n: extents[1], k: extents[2],
                transposeA: ops[0] == "T", transposeB: ops[1] == "T")
        }

        /// `NAME:MxNxK:OPS`.
        public var description: String {
            "\(name):\(m)x\(n)x\(k):\(transposeA ? "T" : "N")\(transposeB ? "T" : "N")"
        }

        /// Floating-point operations of one product (a multiply and an add per term).
        public var flop: Double { 2 * Double(m) * Double(n) * Double(k) }

        /// The products of an Assignment 2 step (batch 100, 3072 → 50 → 10).
        public static let assignment2: [Shape] = [
            Shape(name: "a2-forward", m: 100, n: 50, k: 3072),
            Shape(name: "a2-weight-gradient", m: 3072, n: 50, k: 100, transposeA: true),
            Shape(name: "a2-input-gradient", m: 100, n: 3072, k: 50, transposeB: true),
            Shape(name: "a2-second-layer", m: 100, n: 10, k: 50),
        ]

        /// The largest products of a wide step (batch 100, 3072 → 1024 → 512 → 10; see `WideStepBenchmark`).
        public static let wide: [Shape] = [
            Shape(name: "wide-forward", m: 100, n: 1024, k: 3072),
            Shape(name: "wide-weight-gradient", m: 3072, n: 1024, k: 100, transposeA: true),
            Shape(name: "wide-input-gradient", m: 100, n: 1024, k: 512, transposeB: true),
        ]

        /// Square products, for the comparison with the machine's peak.
        public static let square: [Shape] = [
            Shape(name: "square-512", m: 512, n: 512, k: 512),
            Shape(name: "square-2048", m: 2048, n: 2048, k: 2048),
        ]

        /// The shapes of `scripts/numpy_matmul_bench.py` by default.
        public static let standard: [Shape] = assignment2 + wide + square
    }

    /// The scalar type of a timed product.
    public enum Precision: String, Sendable, CaseIterable {
        case float32, float64
    }

    /// The timing of one shape in one precision.
    public struct Result: Sendable, CustomStringConvertible {
        public var shape: Shape
        public var precision: Precision
        /// The thread cap the product ran with.
        public var threads: Int
        /// The kernel family's name ("avx2-fma", "portable").
        public var kernel: String
        /// The median of the timed runs, seconds per product.
        public var medianSeconds: Double
        /// Every timed run, seconds per product, in the order measured.
        public var samples: [Double]
        /// `shape.flop / medianSeconds / 1e9`.
        public var gflops: Double { medianSeconds > 0 ? shape.flop / medianSeconds / 1e9 : 0 }

        public var description: String {
            let seconds = String(format: "%.3e", medianSeconds)
            let rate = String(format: "%.1f", gflops)
            return "\(shape) \(precision.rawValue) \(threads) thread(s) \(kernel): \(seconds) s, \(rate) GFLOP/s"
        }
    }

    /// Times each shape in each precision and returns one result per pair, precisions outermost.
    ///
    /// - Parameters:
    ///   - shapes: the products to time.
    ///   - precisions: Float and/or Double.
    ///   - repetitions: timed runs per result (the median is reported); at least 1.
    ///   - threads: the most threads one product may use (1 or 2).
    ///   - kernel: the kernel family, or `nil` for the active one.
    ///   - seed: the seed of the random operands.
    public static func run(
        shapes: [Shape] = Shape.standard, precisions: [Precision] = Precision.allCases, repetitions: Int = 11,
        threads: Int = 2, kernel: MatrixProductKernel? = nil, seed: UInt64 = 1
    ) -> [Result] {
        var generator = SeededGenerator(seed: seed)
        var results: [Result] = []
        for precision in precisions {
            for shape in shapes {
                let samples: [Double]
                switch precision {
                case .float32:
                    samples = time(Float.self, shape, repetitions, threads, kernel, &generator)
                case .float64:
                    samples = time(Double.self, shape, repetitions, threads, kernel, &generator)
                }
                results.append(
                    Result(
                        shape: shape, precision: precision, threads: threads,
                        kernel: (kernel ?? MatrixProductKernel.active).description,
                        medianSeconds: median(samples), samples: samples))
            }
        }
        return results
    }

    /// The machine's peak floating-point rate for the active kernel family, estimated from the clock.
    ///
    /// The clock is the larger of /proc/cpuinfo's "cpu MHz" and a measured one (a chain of dependent
    /// additions, about 50 ms), since virtual machines often report only the nominal frequency. FLOP per
    /// cycle and core: 32 Float / 16 Double with AVX2 + FMA (two 256-bit FMA pipes), 8 / 4 for the
    /// portable kernel on x86-64 (SSE2 multiply and add) and 16 / 8 on arm64 (two NEON FMA pipes).
    public static func machinePeak() -> (clockGHz: Double, float32GFLOPS: Double, float64GFLOPS: Double, cores: Int) {
        let clock = max(cpuinfoGHz() ?? 0, bp_measure_clock_ghz(0.05))
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var perCycle: Double
        switch MatrixProductKernel.active {
        case .avx2: perCycle = 32
        case .portable:
            #if arch(arm64)
                perCycle = 16
            #else
                perCycle = 8
            #endif
        }
        perCycle *= Double(cores)
        return (clock, clock * perCycle, clock * perCycle / 2, cores)
    }

    // MARK: - Timing

    private static func time<Scalar: TensorScalar>(
        _: Scalar.Type, _ shape: Shape, _ repetitions: Int, _ threads: Int, _ kernel: MatrixProductKernel?,
        _ generator: inout SeededGenerator
    ) -> [Double] {
        let kernel = kernel ?? MatrixProductKernel.active
        let a = (0..<(shape.m * shape.k)).map { _ in Scalar(generator.nextUniform(in: -1, 1)) }
        let b = (0..<(shape.k * shape.n)).map { _ in Scalar(generator.nextUniform(in: -1, 1)) }
        var c = [Scalar](repeating: 0, count: shape.m * shape.n)
        let lda = shape.transposeA ? shape.m : shape.k
        let ldb = shape.transposeB ? shape.k : shape.n
        let clock = ContinuousClock()
        func seconds(calls: Int) -> Double {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return 0 }
                        let elapsed = clock.measure {
                            for _ in 0..<calls {
                                kernel.gemm(
                                    transposeA: shape.transposeA, transposeB: shape.transposeB, m: shape.m,
                                    n: shape.n, k: shape.k, alpha: 1, a: pa, lda: max(lda, 1), b: pb,
                                    ldb: max(ldb, 1), beta: 0, c: pc, ldc: max(shape.n, 1), threads: threads)
                            }
                        }
                        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    }
                }
            }
        }
        // Warm up for ~50 ms (packing buffers, the helper thread, an idle core's clock), then time
        // enough calls per run for ~20 ms.
        var once = max(seconds(calls: 1), 1e-7)
        var warm = once
        while warm < 0.05 {
            let calls = max(1, Int(0.01 / once))
            let elapsed = seconds(calls: calls)
            once = max(elapsed / Double(calls), 1e-7)
            warm += elapsed
        }
        let calls = max(1, Int(0.02 / once))
        return (0..<max(repetitions, 1)).map { _ in seconds(calls: calls) / Double(calls) }
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The highest "cpu MHz" of /proc/cpuinfo in GHz, or `nil` where there is none (macOS).
    private static func cpuinfoGHz() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        let values = text.split(separator: "\n").compactMap { line -> Double? in
            guard line.hasPrefix("cpu MHz"), let colon = line.firstIndex(of: ":") else { return nil }
            return Double(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return values.max().map { $0 / 1000 }
    }
}
