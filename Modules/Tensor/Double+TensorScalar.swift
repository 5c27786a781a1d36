import CBackpropKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Double: TensorScalar {}

extension Double: MatrixProductScalar {
    /// Through `bp_dgemm_rows_using`: the packed, register-tiled C kernels.
    public static func gemm(
        kernel: MatrixProductKernel?, threads: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, aRows: UnsafePointer<Int>?,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        bp_dgemm_rows_using(
            kernel?.code ?? Int32(BP_GEMM_KERNEL_AUTO), Int32(clamping: threads), transposeA ? 1 : 0,
            transposeB ? 1 : 0, m, n, k, alpha, a, lda, aRows, b, ldb, beta, c, ldc)
    }
}

extension Double: VectorKernelScalar {
    public static func resize(_ array: inout [Double], to count: Int) {
        VectorKernels.resize(&array, to: count)
    }

    /// Through `bp_daxpy`, which splits long arrays (a weight matrix) over both cores.
    public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        bp_daxpy(count, alpha, x, y)
    }

    /// Through `bp_ddecay_and_step`, split over both cores like `axpy`.
    public static func decayAndStep(
        count: Int, decay: Double, rate: Double, value: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>
    ) {
        bp_ddecay_and_step(count, decay, rate, value, gradient)
    }

    public static func scale(_ x: UnsafeMutablePointer<Double>, count: Int, by alpha: Double) {
        VectorKernels.scale(x, count: count, by: alpha)
    }

    public static func dot(count: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        VectorKernels.dot(count: count, x, y)
    }

    public static func addRow(_ row: UnsafePointer<Double>, to matrix: UnsafeMutablePointer<Double>, rows: Int, columns: Int) {
        VectorKernels.addRow(row, to: matrix, rows: rows, columns: columns)
    }

    public static func columnSums(_ matrix: UnsafePointer<Double>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Double>) {
        VectorKernels.columnSums(matrix, rows: rows, columns: columns, into: sums)
    }

    public static func multiplyInPlace(_ x: UnsafeMutablePointer<Double>, by y: UnsafePointer<Double>, count: Int) {
        VectorKernels.multiplyInPlace(x, by: y, count: count)
    }

    public static func bernoulliMask(
        _ mask: UnsafeMutablePointer<Double>, count: Int, dropProbability: Double, keep: Double,
        generator: inout SeededGenerator
    ) {
        let threshold = PhiloxStream.threshold(probability: dropProbability)
        bp_dbernoulli_mask(generator.nextStream().key, threshold, keep, mask, count)
    }
}

extension Double: ActivationKernelScalar {
    public static func relu(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        bp_drelu(x, y, count)
    }

    public static func reluBackward(
        output: UnsafePointer<Double>, gradient: UnsafePointer<Double>, into inputGradient: UnsafeMutablePointer<Double>,
        count: Int
    ) {
        bp_drelu_backward(output, gradient, inputGradient, count)
    }

    public static func softmaxCrossEntropy(
        logits: UnsafePointer<Double>, labels: UnsafePointer<Int>, rows: Int, columns: Int, scale: Double,
        gradient: UnsafeMutablePointer<Double>
    ) -> Double {
        VectorKernels.softmaxCrossEntropy(
            logits: logits, labels: labels, rows: rows, columns: columns, scale: scale, gradient: gradient,
            exp: exponentials, log: { log($0) })
    }

    public static func softmaxRows(_ x: UnsafeMutablePointer<Double>, rows: Int, columns: Int) {
        VectorKernels.softmaxRows(x, rows: rows, columns: columns, exp: exponentials)
    }

    /// `e^x` of each of `count` values, in place.
    private static func exponentials(_ x: UnsafeMutablePointer<Double>, _ count: Int) {
        for i in 0..<count { x[i] = exp(x[i]) }
    }
}

extension Double: ScalarElementaryFunctions {
    public static func exponential(_ x: Double) -> Double { exp(x) }
    public static func logarithm(_ x: Double) -> Double { log(x) }
}

extension Double: NumpyStorable {
    public static var numpyDescriptor: String { "<f8" }
}

extension Double: NormalizationKernelScalar {
    public static func columnStatistics(
        _ x: UnsafePointer<Double>, rows: Int, columns: Int, mean: UnsafeMutablePointer<Double>, variance: UnsafeMutablePointer<Double>
    ) {
        NormalizationKernels.columnStatistics(x, rows: rows, columns: columns, mean: mean, variance: variance)
    }

    public static func normalize(
        _ x: UnsafePointer<Double>, rows: Int, columns: Int, mean: UnsafePointer<Double>, inverseDeviation: UnsafePointer<Double>,
        gamma: UnsafePointer<Double>, beta: UnsafePointer<Double>, xHat: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>
    ) {
        NormalizationKernels.normalize(
            x, rows: rows, columns: columns, mean: mean, inverseDeviation: inverseDeviation, gamma: gamma, beta: beta,
            xHat: xHat, y: y)
    }

    public static func normalizationParameterGradients(
        _ g: UnsafePointer<Double>, xHat: UnsafePointer<Double>, rows: Int, columns: Int, shift: UnsafeMutablePointer<Double>,
        scale: UnsafeMutablePointer<Double>
    ) {
        NormalizationKernels.parameterGradients(g, xHat: xHat, rows: rows, columns: columns, shift: shift, scale: scale)
    }

    public static func normalizationInputGradient(
        _ g: UnsafePointer<Double>, xHat: UnsafePointer<Double>, rows: Int, columns: Int, shift: UnsafePointer<Double>,
        scale: UnsafePointer<Double>, factor: UnsafePointer<Double>, batchTerms: Double, dx: UnsafeMutablePointer<Double>
    ) {
        NormalizationKernels.inputGradient(
            g, xHat: xHat, rows: rows, columns: columns, shift: shift, scale: scale, factor: factor,
            batchTerms: batchTerms, dx: dx)
    }
}
