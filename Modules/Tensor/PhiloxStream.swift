import CBackpropKernels

/// A counter-based stream of random numbers, computed in bulk: the source of dropout masks, Gaussian
/// noise and flips.
///
/// The stream of a 64-bit `key` is a sequence of 32-bit words. Word `i` is word `i % 4` of the
/// Philox4x32-10 block (Salmon, Moraes, Dror and Shaw, SC 2011, as the Random123 library defines it) of
/// counter `(i / 4` low 32 bits, `i / 4` high 32 bits, 0, 0)` under the key (its low 32 bits, then its
/// high 32 bits). A word depends on the key and its index only, so any part of the stream can be
/// computed alone: eight blocks at a time with AVX2, on both cores for long passes, with the same bits
/// as one word at a time on any machine.
///
/// The derived streams:
/// - ``normals(from:standardDeviation:into:)``: Box–Muller on each block `(w0, w1, w2, w3)`: with
///   `u = ((w0 >> 8) + 1)·2⁻²⁴` in (0, 1], `r = √(−2 ln u)` and `θ = 2π·(w1 >> 8)·2⁻²⁴`, elements
///   `4j` and `4j + 1` are `σr·cos θ` and `σr·sin θ`; `(w2, w3)` give `4j + 2` and `4j + 3`. Computed in
///   `Float` with fixed polynomials for ln, cos and sin (absolute error under 1e-6 against exact
///   arithmetic), the same on every CPU; no draw exceeds 5.8σ.
/// - ``bernoulli(_:threshold:)`` decisions: element `i` is true when word `i` is below
///   ``threshold(probability:)``.
///
/// A training step draws a stream's key from its ``SeededGenerator`` (``SeededGenerator/nextStream()``),
/// so the generator's state stays the only state to save and restore.
///
/// ```swift
/// var generator = SeededGenerator(seed: 1)
/// var noise = [Float](repeating: 0, count: 3072)
/// noise.withUnsafeMutableBufferPointer { generator.nextStream().normals(standardDeviation: 0.1, into: $0) }
/// ```
public struct PhiloxStream: Sendable, Hashable {
    /// The key that selects the stream.
    public let key: UInt64

    /// The stream of `key`.
    public init(key: UInt64) {
        self.key = key
    }

    /// Writes words `start ..< start + buffer.count` of the stream to `buffer`.
    public func words(from start: UInt64 = 0, into buffer: UnsafeMutableBufferPointer<UInt32>) {
        guard let base = buffer.baseAddress else { return }
        bp_random_words(key, start, base, buffer.count)
    }

    /// Writes elements `start ..< start + buffer.count` of the stream's N(0, σ²) draws to `buffer`, with
    /// σ = `standardDeviation`.
    public func normals(
        from start: UInt64 = 0, standardDeviation: Float, into buffer: UnsafeMutableBufferPointer<Float>
    ) {
        guard let base = buffer.baseAddress else { return }
        bp_srandom_normal(key, start, standardDeviation, base, buffer.count)
    }

    /// Whether each of the first `count` words is below `threshold`: element `i` is true with
    /// probability `threshold / 2³²`.
    public func bernoulli(_ count: Int, threshold: UInt64) -> [Bool] {
        var words = [UInt32](repeating: 0, count: count)
        words.withUnsafeMutableBufferPointer { self.words(into: $0) }
        return words.map { UInt64($0) < threshold }
    }

    /// The word threshold for an event of probability `probability` (clamped to [0, 1]):
    /// `⌊probability·2³² + ½⌋`, so that the event's probability is exact to 2⁻³³. 2³² (probability 1)
    /// is above every word.
    public static func threshold(probability: Double) -> UInt64 {
        guard probability > 0 else { return 0 }
        guard probability < 1 else { return 1 << 32 }
        return min(UInt64((probability * 0x1p32 + 0.5).rounded(.down)), 1 << 32)
    }
}

extension SeededGenerator {
    /// A ``PhiloxStream`` keyed by this generator's next 64 bits (one ``next()``).
    public mutating func nextStream() -> PhiloxStream {
        PhiloxStream(key: next())
    }
}
