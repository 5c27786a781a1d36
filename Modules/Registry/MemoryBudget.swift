#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a run may allocate: a share of the machine's physical memory, checked before anything large is
/// allocated, so that a value such as `hidden: [1e7]` or `steps: 1e12` ends in a configuration error
/// with the figure, not in an allocation failure or the kernel's out-of-memory killer.
///
/// Estimates add up bytes in `Double`, so that no product of huge values can overflow on the way.
///
/// ```swift
/// let budget = MemoryBudget.machine
/// try budget.require(bytes: 8 * Double(steps), for: "the learning rate of every step", path: "training.steps")
/// ```
///
/// Semantics:
/// - `require` throws `ConfigurationError.invalidValue` at `path` when `bytes` is above `limit`; the
///   message gives the estimate and the limit, both in readable units.
/// - A non-finite or negative estimate is refused as well (it came from a value that cannot be right).
public struct MemoryBudget: Sendable, Equatable {
    /// The most bytes one estimate may come to.
    public var limit: Double

    public init(limit: Double) {
        self.limit = limit
    }

    /// Three quarters of the machine's physical memory (the rest for the system, the data set already
    /// loaded and the estimate's slack).
    public static var machine: MemoryBudget {
        MemoryBudget(limit: 0.75 * physicalMemory)
    }

    /// The machine's physical memory in bytes (`sysconf`), or 16 GiB when it cannot be read.
    public static var physicalMemory: Double {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 16 * 1_073_741_824 }
        return Double(pages) * Double(size)
    }

    /// Throws unless `bytes` fits the budget.
    ///
    /// - Parameters:
    ///   - bytes: the estimate.
    ///   - what: what needs it, for the message ("the model's parameters").
    ///   - path: the key or option that set the size (`model.hidden`, `--steps`).
    public func require(bytes: Double, for what: String, path: String) throws {
        guard bytes.isFinite, bytes >= 0, bytes <= limit else {
            throw ConfigurationError.invalidValue(
                path: path,
                reason: "needs about \(Self.format(bytes)) for \(what), more than the \(Self.format(limit)) "
                    + "this machine allows a run (three quarters of its \(Self.format(Self.physicalMemory)))")
        }
    }

    /// `bytes` in B, KB, MB, GB or TB (powers of 1,000), with three significant figures.
    public static func format(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "an unbounded amount of memory" }
        let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes, unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if value >= 1000 { return "\(value.rounded()) \(units[unit])" }
        let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
        return "\(rounded(value, digits: digits)) \(units[unit])"
    }

    private static func rounded(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (value * scale).rounded() / scale
        return digits == 0 ? "\(Int(r))" : "\(r)"
    }
}
