extension Gzip {
    /// How far a gzip stream may expand when it is decompressed: the guard against gzip bombs.
    ///
    /// A few kilobytes of deflate data can expand to gigabytes (zlib reaches about 1000 : 1 on zeros), and a
    /// gzip trailer's size field is whatever the file says. So the output is capped by both a ratio to the
    /// compressed size and an absolute size, and the first output buffer is sized from the trailer only up
    /// to that cap.
    ///
    /// Semantics:
    /// - The cap for `n` compressed bytes is `min(maximumBytes, max(minimumCap, n × maximumRatio))`, with
    ///   `minimumCap` = 1 MiB so that small files are never refused for their ratio alone.
    /// - The first buffer is the trailer's ISIZE clamped to 64 KiB ... cap, so a truncated or lying
    ///   trailer costs at most the cap.
    /// - `standard` admits every real data set Backprop reads: Fashion-MNIST (26 MB to 47 MB, 1.8 : 1),
    ///   MNIST (9.9 MB to 47 MB, 4.8 : 1) and the CIFAR-10 archive (170 MB to 185 MB).
    public struct Limit: Sendable, Equatable, CustomStringConvertible {
        /// The largest output accepted, whatever the ratio.
        public var maximumBytes: Int
        /// The largest accepted ratio of output bytes to compressed bytes.
        public var maximumRatio: Int

        /// The cap below which the ratio is not applied: 1 MiB.
        public static let minimumCap = 1 << 20

        /// 1 GiB at most, and at most 50 times the compressed size.
        public static let standard = Limit(maximumBytes: 1 << 30, maximumRatio: 50)

        public init(maximumBytes: Int, maximumRatio: Int) {
            self.maximumBytes = min(max(0, maximumBytes), Int.max / 2)
            self.maximumRatio = max(1, maximumRatio)
        }

        /// The most bytes that `inputBytes` compressed bytes may expand to.
        public func outputCap(inputBytes: Int) -> Int {
            let (scaled, overflow) = inputBytes.multipliedReportingOverflow(by: maximumRatio)
            return min(maximumBytes, max(Self.minimumCap, overflow ? Int.max : scaled))
        }

        /// The size of the first output buffer for the gzip stream `input`: its trailer's ISIZE (the size
        /// modulo 2³²), clamped to 64 KiB ... `outputCap`.
        public func firstBufferSize(inputBytes input: [UInt8]) -> Int {
            let trailer = input.count >= 4 ? input.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) } : 0
            return max(1, min(max(trailer, 1 << 16), outputCap(inputBytes: input.count)))
        }

        public var description: String {
            "at most \(maximumRatio) times the compressed size and \(maximumBytes) bytes"
        }
    }
}
