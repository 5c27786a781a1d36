/// A number of update steps, given either as steps or as epochs of the training set.
///
/// Schedules are defined in update steps, but a length is often easier to give in epochs ("two epochs
/// per half cycle") because it then follows the data set and batch size. A `StepCount` holds either
/// and becomes steps once the batches per epoch are known:
///
/// ```swift
/// StepCount.steps(500).resolved(batchesPerEpoch: 450)     // 500
/// StepCount.epochs(2).resolved(batchesPerEpoch: 450)      // 900
/// StepCount.epochs(0.5).resolved(batchesPerEpoch: 45)     // 22, ⌊0.5 · 45⌋
/// ```
///
/// In JSON it is a whole number (`500`), `{"epochs": 2}` or `{"steps": 500}`. Plug-ins read it with
/// `Options.steps(_:minimum:)`, which also accepts the shorthand `<key>_epochs: 2`.
public enum StepCount: Sendable, Hashable, CustomStringConvertible, OptionValue {
    /// A number of update steps. JSON: `500` or `{"steps": 500}`.
    case steps(Int)
    /// A (possibly fractional) number of epochs, finite and `≥ 0`. JSON: `{"epochs": 2}`.
    case epochs(Double)

    /// The largest count `Options.steps(_:minimum:)` accepts, 10^15 (the largest whole number JSON
    /// reads exactly): far beyond any training run, and small enough that a schedule may double it, or
    /// multiply it by a few thousand cycles, without overflowing an `Int`.
    public static let maximum = 1_000_000_000_000_000

    /// The number of update steps: `n` for `.steps(n)`, `⌊x · batchesPerEpoch⌋` for `.epochs(x)`
    /// (saturating at `Int.max`).
    public func resolved(batchesPerEpoch: Int) -> Int {
        switch self {
        case .steps(let count): return count
        case .epochs(let epochs):
            let steps = (epochs * Double(batchesPerEpoch)).rounded(.down)
            guard steps.isFinite else { return steps < 0 ? Int.min : Int.max }
            // Double(Int.max) rounds up to 2^63, which does not convert back.
            if steps >= Double(Int.max) { return Int.max }
            if steps <= Double(Int.min) { return Int.min }
            return Int(steps)
        }
    }

    /// `500 steps` or `2 epochs`.
    public var description: String {
        switch self {
        case .steps(let count): return count == 1 ? "1 step" : "\(count) steps"
        case .epochs(let epochs):
            let number = epochs == epochs.rounded() && abs(epochs) < 1e15 ? "\(Int(epochs))" : "\(epochs)"
            return epochs == 1 ? "1 epoch" : "\(number) epochs"
        }
    }

    /// Reads `500`, `{"steps": 500}` or `{"epochs": 2}`.
    ///
    /// - Throws: `wrongType` naming `path` for anything else (an object with other or more keys
    ///   included), `invalidValue` for epochs that are negative or not finite.
    public init(json: JSONValue, path: String) throws {
        switch json {
        case .number:
            self = .steps(try Int(json: json, path: path))
        case .object(let members) where members.count == 1 && members["steps"] != nil:
            self = .steps(try Int(json: members["steps"]!, path: "\(path).steps"))
        case .object(let members) where members.count == 1 && members["epochs"] != nil:
            let epochs = try Double(json: members["epochs"]!, path: "\(path).epochs")
            try StepCount.checkEpochs(epochs, path: "\(path).epochs")
            self = .epochs(epochs)
        default:
            throw ConfigurationError.wrongType(
                path: path, expected: "a whole number of steps, {\"steps\": n} or {\"epochs\": x}",
                found: json.typeName == "object" ? json.jsonText : json.typeName)
        }
    }

    /// Epochs must be finite and non-negative.
    static func checkEpochs(_ epochs: Double, path: String) throws {
        guard epochs.isFinite, epochs >= 0 else {
            throw ConfigurationError.invalidValue(path: path, reason: "must be a finite number of epochs ≥ 0, found \(epochs)")
        }
    }
}
