import CBackpropKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Float: TensorScalar {}

extension Float: MatrixProductScalar {
    /// Through `bp_sgemm_rows_using`: the packed, register-tiled C kernels.
    public static func gemm(
        kernel: MatrixProductKernel?, threads: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, aRows: UnsafePointer<Int>?,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        bp_sgemm_rows_using(
            kernel?.code ?? Int32(BP_GEMM_KERNEL_AUTO), Int32(clamping: threads), transposeA ? 1 : 0,
            transposeB ? 1 : 0, m, n, k, alpha, a, lda, aRows, b, ldb, beta, c, ldc)
    }
}

extension Float: VectorKernelScalar {
    public static func resize(_ array: inout [Float], to count: Int) {
        VectorKernels.resize(&array, to: count)
    }

    /// Through `bp_saxpy`, which splits long arrays (a weight matrix) over both cores.
    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        bp_saxpy(count, alpha, x, y)
    }

    /// Through `bp_sdecay_and_step`, split over both cores like `axpy`.
    public static func decayAndStep(
        count: Int, decay: Float, rate: Float, value: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>
    ) {
        bp_sdecay_and_step(count, decay, rate, value, gradient)
    }

    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by alpha: Float) {
        VectorKernels.scale(x, count: count, by: alpha)
    }

    public static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Double {
        VectorKernels.dot(count: count, x, y)
    }

    public static func addRow(_ row: UnsafePointer<Float>, to matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        VectorKernels.addRow(row, to: matrix, rows: rows, columns: columns)
    }

    public static func columnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
        VectorKernels.columnSums(matrix, rows: rows, columns: columns, into: sums)
    }

    public static func multiplyInPlace(_ x: UnsafeMutablePointer<Float>, by y: UnsafePointer<Float>, count: Int) {
        VectorKernels.multiplyInPlace(x, by: y, count: count)
    }

    public static func bernoulliMask(
        _ mask: UnsafeMutablePointer<Float>, count: Int, dropProbability: Double, keep: Float,
        generator: inout SeededGenerator
    ) {
        let threshold = PhiloxStream.threshold(probability: dropProbability)
        bp_sbernoulli_mask(generator.nextStream().key, threshold, keep, mask, count)
    }
}

extension Float: ActivationKernelScalar {
    public static func relu(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        bp_srelu(x, y, count)
    }

    public static func reluBackward(
        output: UnsafePointer<Float>, gradient: UnsafePointer<Float>, into inputGradient: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        bp_srelu_backward(output, gradient, inputGradient, count)
    }

    public static func softmaxCrossEntropy(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int>, rows: Int, columns: Int, scale: Float,
        gradient: UnsafeMutablePointer<Float>
    ) -> Double {
        VectorKernels.softmaxCrossEntropy(
            logits: logits, labels: labels, rows: rows, columns: columns, scale: scale, gradient: gradient,
            exp: { bp_sexp($0, $0, $1) }, log: { logf($0) })
    }

    /// Through `bp_sexp`, the vectorised exponential (the softmax of a batch is 1,000 of them in A2).
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        VectorKernels.softmaxRows(x, rows: rows, columns: columns, exp: { bp_sexp($0, $0, $1) })
    }
}

extension Float: ScalarElementaryFunctions {
    public static func exponential(_ x: Float) -> Float { expf(x) }
    public static func logarithm(_ x: Float) -> Float { logf(x) }
}

extension Float: NumpyStorable {
    public static var numpyDescriptor: String { "<f4" }
}

extension Float: NormalizationKernelScalar {
    public static func columnStatistics(
        _ x: UnsafePointer<Float>, rows: Int, columns: Int, mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>
    ) {
        NormalizationKernels.columnStatistics(x, rows: rows, columns: columns, mean: mean, variance: variance)
    }

    public static func normalize(
        _ x: UnsafePointer<Float>, rows: Int, columns: Int, mean: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, xHat: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        NormalizationKernels.normalize(
            x, rows: rows, columns: columns, mean: mean, inverseDeviation: inverseDeviation, gamma: gamma, beta: beta,
            xHat: xHat, y: y)
    }

    public static func normalizationParameterGradients(
        _ g: UnsafePointer<Float>, xHat: UnsafePointer<Float>, rows: Int, columns: Int, shift: UnsafeMutablePointer<Float>,
        scale: UnsafeMutablePointer<Float>
    ) {
        NormalizationKernels.parameterGradients(g, xHat: xHat, rows: rows, columns: columns, shift: shift, scale: scale)
    }

    public static func normalizationInputGradient(
        _ g: UnsafePointer<Float>, xHat: UnsafePointer<Float>, rows: Int, columns: Int, shift: UnsafePointer<Float>,
        scale: UnsafePointer<Float>, factor: UnsafePointer<Float>, batchTerms: Float, dx: UnsafeMutablePointer<Float>
    ) {
        NormalizationKernels.inputGradient(
            g, xHat: xHat, rows: rows, columns: columns, shift: shift, scale: scale, factor: factor,
            batchTerms: batchTerms, dx: dx)
    }
}
