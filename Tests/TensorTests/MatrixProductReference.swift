import BackpropTensor
import Foundation
import Testing

// Helpers of the matrix-product tests: shapes, random operands, the Double reference product and
// runners for a chosen kernel family.

/// m×n×k of a product `C[m, n] = op(A)[m, k] · op(B)[k, n]`.
struct ProductShape: Sendable, CustomTestStringConvertible {
    var m: Int, n: Int, k: Int
    init(_ m: Int, _ n: Int, _ k: Int) { (self.m, self.n, self.k) = (m, n, k) }
    var testDescription: String { "\(m)×\(n)×\(k)" }
}

/// A product with its transposes, scalars and row strides (the width plus `padding`).
struct ProductCase {
    var shape: ProductShape
    var transposeA = false, transposeB = false
    var alpha = 1.0, beta = 0.0
    var padding = 0

    var aRows: Int { transposeA ? shape.k : shape.m }
    var aColumns: Int { transposeA ? shape.m : shape.k }
    var bRows: Int { transposeB ? shape.n : shape.k }
    var bColumns: Int { transposeB ? shape.k : shape.n }
    var lda: Int { aColumns + padding }
    var ldb: Int { bColumns + padding }
    var ldc: Int { shape.n + padding }
}

func randomScalars<T: TensorScalar>(_ count: Int, _ generator: inout SeededGenerator) -> [T] {
    (0..<count).map { _ in T(generator.nextUniform(in: -1, 1)) }
}

/// alpha·op(A)·op(B) + beta·C in Double (C as stored, with stride `ldc`), and each element's scale
/// |alpha|·Σ|a·b| + |beta·c|, against which errors are measured.
func referenceProduct<T: TensorScalar>(_ product: ProductCase, a: [T], b: [T], c: [T]) -> (
    values: [Double], scale: [Double]
) {
    let (m, n, k) = (product.shape.m, product.shape.n, product.shape.k)
    let (lda, ldb, ldc) = (product.lda, product.ldb, product.ldc)
    // Strides per step of i, j and p, so one loop serves every transpose (unchecked: tests run in debug).
    let (aI, aP) = product.transposeA ? (1, lda) : (lda, 1)
    let (bP, bJ) = product.transposeB ? (1, ldb) : (ldb, 1)
    var values = [Double](repeating: 0, count: m * n), scale = values
    // Concrete Double loops: unspecialised generic code is slow in debug builds.
    let a = a.map { Double($0) }, b = b.map { Double($0) }
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0, magnitude = 0.0
                    var ia = i &* aI, ib = j &* bJ
                    for _ in 0..<k {
                        let term = a[ia] * b[ib]
                        sum += term
                        magnitude += abs(term)
                        ia &+= aP
                        ib &+= bP
                    }
                    let old = product.beta == 0 ? 0 : product.beta * Double(c[i * ldc + j])
                    values[i * n + j] = product.alpha * sum + old
                    scale[i * n + j] = abs(product.alpha) * magnitude + abs(old) + Double.leastNormalMagnitude
                }
            }
        }
    }
    return (values, scale)
}

/// The largest |got − expected| / scale over the m×n elements of `got` (n columns, row stride `ldc`);
/// NaN counts as infinitely wrong.
func worstError<T: TensorScalar>(_ got: [T], _ reference: (values: [Double], scale: [Double]), n: Int, ldc: Int)
    -> Double
{
    var worst = 0.0
    for index in reference.values.indices {
        let value = Double(got[index / n * ldc + index % n])
        let error = abs(value - reference.values[index]) / reference.scale[index]
        worst = error.isNaN ? .infinity : max(worst, error)
    }
    return worst
}

/// Tensor.matmul against the reference.
func checkTensorProduct<T: TensorScalar>(
    _: T.Type, _ shape: ProductShape, _ transposeA: Bool, _ transposeB: Bool, tolerance: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var generator = SeededGenerator(seed: UInt64(shape.m * 1_000_003 + shape.n * 1009 + shape.k))
    let product = ProductCase(shape: shape, transposeA: transposeA, transposeB: transposeB)
    let a = Tensor<T>(shape: [product.aRows, product.aColumns], scalars: randomScalars(shape.m * shape.k, &generator))
    let b = Tensor<T>(shape: [product.bRows, product.bColumns], scalars: randomScalars(shape.k * shape.n, &generator))
    let c = a.matmul(b, transposeSelf: transposeA, transposeOther: transposeB)
    #expect(c.shape == [shape.m, shape.n], sourceLocation: sourceLocation)
    let reference = referenceProduct(product, a: a.scalars, b: b.scalars, c: c.scalars)
    let worst = worstError(c.scalars, reference, n: shape.n, ldc: shape.n)
    #expect(
        worst <= tolerance, "\(T.self) \(shape.testDescription) T\(transposeA)\(transposeB): error \(worst)",
        sourceLocation: sourceLocation)
}

/// A strided product (through `kernel`, or `TensorScalar.gemm` when nil) against the reference; C
/// starts as NaN when beta is 0, and the padding after each row of C must stay untouched.
func checkStrided<T: TensorScalar>(
    _: T.Type, _ product: ProductCase, kernel: MatrixProductKernel?, tolerance: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let (m, n, k) = (product.shape.m, product.shape.n, product.shape.k)
    var generator = SeededGenerator(seed: UInt64(m * 7919 + n * 31 + k))
    let a: [T] = randomScalars(max(product.aRows * product.lda, 1), &generator)
    let b: [T] = randomScalars(max(product.bRows * product.ldb, 1), &generator)
    let sentinel = T(12345)
    var c: [T] = (0..<(m * product.ldc)).map { index in
        if index % product.ldc >= n { return sentinel }
        return product.beta == 0 ? .nan : T(generator.nextUniform(in: -1, 1))
    }
    let reference = referenceProduct(product, a: a, b: b, c: c)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                guard let pc = pc.baseAddress else { return }
                if let kernel {
                    kernel.gemm(
                        transposeA: product.transposeA, transposeB: product.transposeB, m: m, n: n, k: k,
                        alpha: T(product.alpha), a: pa.baseAddress!, lda: product.lda, b: pb.baseAddress!,
                        ldb: product.ldb, beta: T(product.beta), c: pc, ldc: product.ldc)
                } else {
                    T.gemm(
                        transposeA: product.transposeA, transposeB: product.transposeB, m: m, n: n, k: k,
                        alpha: T(product.alpha), a: pa.baseAddress!, lda: product.lda, b: pb.baseAddress!,
                        ldb: product.ldb, beta: T(product.beta), c: pc, ldc: product.ldc)
                }
            }
        }
    }
    let worst = worstError(c, reference, n: n, ldc: product.ldc)
    let label =
        "\(T.self) \(kernel?.description ?? "default") \(product.shape.testDescription) "
        + "T\(product.transposeA)\(product.transposeB) alpha \(product.alpha) beta \(product.beta)"
    #expect(worst <= tolerance, "\(label): error \(worst)", sourceLocation: sourceLocation)
    let padding = c.indices.filter { $0 % product.ldc >= n }
    #expect(
        padding.allSatisfy { c[$0] == sentinel }, "\(label): wrote past the row width", sourceLocation: sourceLocation)
}

/// op(A)·op(B) for dense operands through one kernel family and thread cap.
func run<T: TensorScalar>(
    _ kernel: MatrixProductKernel, _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
    _ a: [T], _ b: [T], threads: Int
) -> [T] {
    var c = [T](repeating: .nan, count: m * n)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                kernel.gemm(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                    a: pa.baseAddress!, lda: transposeA ? m : k, b: pb.baseAddress!, ldb: transposeB ? k : n,
                    beta: 0, c: pc.baseAddress!, ldc: n, threads: threads)
            }
        }
    }
    return c
}

/// Results written from concurrent jobs.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[Float]]
    init(count: Int) { values = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [Float]) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> [Float] { lock.withLock { values[index] } }
}
