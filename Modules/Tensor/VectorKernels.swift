#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Generic bodies of the `TensorScalar` kernels.
///
/// `Float` and `Double` forward to these from their conformances, where the compiler specialises them;
/// written once so that both precisions run exactly the same arithmetic in the same order.
@usableFromInline
enum VectorKernels {
    @inlinable
    static func resize<T: TensorScalar>(_ array: inout [T], to count: Int) {
        if count < array.count {
            array.removeLast(array.count - count)
        } else {
            array.append(contentsOf: repeatElement(0, count: count - array.count))
        }
    }

    @inlinable
    static func scale<T: TensorScalar>(_ x: UnsafeMutablePointer<T>, count: Int, by alpha: T) {
        var i = 0
        while i < count { x[i] *= alpha; i &+= 1 }
    }

    @inlinable
    static func dot<T: TensorScalar>(count: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>) -> Double {
        // Four partial sums: vectorisable and more accurate than one running sum.
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i &+ 4 <= count {
            s0 += Double(x[i] * y[i]); s1 += Double(x[i &+ 1] * y[i &+ 1])
            s2 += Double(x[i &+ 2] * y[i &+ 2]); s3 += Double(x[i &+ 3] * y[i &+ 3])
            i &+= 4
        }
        while i < count { s0 += Double(x[i] * y[i]); i &+= 1 }
        return (s0 + s1) + (s2 + s3)
    }

    @inlinable
    static func addRow<T: TensorScalar>(_ row: UnsafePointer<T>, to matrix: UnsafeMutablePointer<T>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let line = matrix + r &* columns
            var j = 0
            while j < columns { line[j] += row[j]; j &+= 1 }
        }
    }

    @inlinable
    static func columnSums<T: TensorScalar>(_ matrix: UnsafePointer<T>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<T>) {
        sums.update(repeating: 0, count: columns)
        for r in 0..<rows {
            let line = matrix + r &* columns
            var j = 0
            while j < columns { sums[j] += line[j]; j &+= 1 }
        }
    }

    @inlinable
    static func multiplyInPlace<T: TensorScalar>(_ x: UnsafeMutablePointer<T>, by y: UnsafePointer<T>, count: Int) {
        var i = 0
        while i < count { x[i] *= y[i]; i &+= 1 }
    }

    /// Writes `xⱼ − max x` of each row of `x` to `output` (which may be `x` itself), then replaces it by
    /// its exponential through `exp` (applied in place to the whole `rows × columns` array at once, so
    /// that a vectorised exponential sees long runs): `exp(xⱼ − max x)`, which cannot overflow.
    @inlinable
    static func shiftedExponentials<T: TensorScalar>(
        _ x: UnsafePointer<T>, into output: UnsafeMutablePointer<T>, rows: Int, columns: Int,
        exp: (UnsafeMutablePointer<T>, Int) -> Void
    ) {
        for r in 0..<rows {
            let line = x + r &* columns, out = output + r &* columns
            let largest = rowMaximum(line, columns)
            for j in 0..<columns { out[j] = line[j] - largest }
        }
        exp(output, rows &* columns)
    }

    /// The largest of `count` values (−∞ for none).
    @inlinable
    static func rowMaximum<T: TensorScalar>(_ x: UnsafePointer<T>, _ count: Int) -> T {
        var largest = -T.infinity
        for j in 0..<count where x[j] > largest { largest = x[j] }
        return largest
    }

    @inlinable
    static func softmaxCrossEntropy<T: TensorScalar>(
        logits: UnsafePointer<T>, labels: UnsafePointer<Int>, rows: Int, columns: Int, scale: T,
        gradient: UnsafeMutablePointer<T>, exp: (UnsafeMutablePointer<T>, Int) -> Void, log: (T) -> T
    ) -> Double {
        shiftedExponentials(logits, into: gradient, rows: rows, columns: columns, exp: exp)
        var total = 0.0
        for r in 0..<rows {
            let s = logits + r &* columns, g = gradient + r &* columns
            var sum: T = 0
            for j in 0..<columns { sum += g[j] }
            // −log softmax(s)[y] = log Σ exp(s − max) + max − s[y]: finite even when P[y] underflows.
            total += Double(log(sum) + rowMaximum(s, columns) - s[labels[r]])
            let inverse = scale / sum
            for j in 0..<columns { g[j] *= inverse }
            g[labels[r]] -= scale
        }
        return total
    }

    @inlinable
    static func softmaxRows<T: TensorScalar>(
        _ x: UnsafeMutablePointer<T>, rows: Int, columns: Int, exp: (UnsafeMutablePointer<T>, Int) -> Void
    ) {
        shiftedExponentials(UnsafePointer(x), into: x, rows: rows, columns: columns, exp: exp)
        for r in 0..<rows {
            let line = x + r &* columns
            var total: T = 0
            for j in 0..<columns { total += line[j] }
            let inverse = 1 / total
            for j in 0..<columns { line[j] *= inverse }
        }
    }
}
