/// Which trials one process runs: shard `index` (1-based) of `count`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 1, count: 1)

    /// Parses `k/n` with 1 ≤ k ≤ n.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        self.init(index: k, count: n)
    }

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Whether this shard runs the trial: trials are dealt round-robin by index within each stage.
    public func owns(_ trial: SearchTrial) -> Bool { trial.index % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
