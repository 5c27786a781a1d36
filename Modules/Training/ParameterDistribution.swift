import BackpropRegistry
import BackpropTensor
import Foundation

/// Where a random search draws one hyper-parameter from.
///
/// ```json
/// {"log_uniform": [1e-5, 1e-2]}            λ: every decade as likely
/// {"uniform": [0, 0.5]}                     a dropout rate
/// {"log_uniform": [256, 2048], "integer": true}   a width, rounded to a whole number
/// {"choice": [100, 200, 500]}               a batch size; any JSON values, e.g. [[1024], [1024, 512]]
/// ```
///
/// Semantics:
/// - `uniform(low...high)` draws low + (high − low)·u with u uniform in [0, 1); `logUniform` draws
///   exp(log low + (log high − log low)·u), so needs 0 < low.
/// - `integer` rounds the drawn value to the nearest whole number (still within the range when its ends
///   are whole).
/// - `choice` draws one of its values, each equally likely.
/// - Every draw takes exactly one number from the generator, so the draws of one parameter do not
///   depend on another parameter's distribution.
public enum ParameterDistribution: Sendable, Equatable {
    case uniform(ClosedRange<Double>, integer: Bool = false)
    case logUniform(ClosedRange<Double>, integer: Bool = false)
    case choice([JSONValue])

    /// One value, drawn from `generator`.
    public func sample(using generator: inout SeededGenerator) -> JSONValue {
        let u = generator.nextUniform()
        switch self {
        case let .uniform(range, integer):
            return ParameterDistribution.number(range.lowerBound + (range.upperBound - range.lowerBound) * u, integer)
        case let .logUniform(range, integer):
            let low = log(range.lowerBound), high = log(range.upperBound)
            return ParameterDistribution.number(exp(low + (high - low) * u), integer)
        case .choice(let values):
            return values[min(Int(u * Double(values.count)), values.count - 1)]
        }
    }

    private static func number(_ value: Double, _ integer: Bool) -> JSONValue {
        .number(integer ? value.rounded() : value)
    }

    /// How a chart draws the parameter: linear, logarithmic, or by label for a choice.
    public var scale: SearchDimension.Scale {
        switch self {
        case .uniform: .linear
        case .logUniform: .logarithmic
        case .choice(let values): .categorical(values)
        }
    }

    /// Reads one distribution (an object with one of `uniform`, `log_uniform` or `choice`, and
    /// `integer` with the first two).
    public init(options: Options) throws {
        var options = options
        let uniform: [Double]? = try options.optional("uniform")
        let logUniform: [Double]? = try options.optional("log_uniform")
        let choice: [JSONValue]? = try options.optional("choice")
        let integer: Bool? = try options.optional("integer")
        try options.finish()
        let given = [uniform != nil, logUniform != nil, choice != nil].filter { $0 }.count
        try options.check(given == 1, "uniform", "give exactly one of uniform, log_uniform or choice")
        if let choice {
            try options.check(!choice.isEmpty, "choice", "must list at least one value")
            try options.check(integer == nil, "integer", "goes with uniform or log_uniform")
            self = .choice(choice)
            return
        }
        let key = uniform != nil ? "uniform" : "log_uniform"
        let bounds = uniform ?? logUniform ?? []
        try options.check(bounds.count == 2, key, "must be [low, high], found \(bounds.count) number(s)")
        try options.check(bounds.allSatisfy(\.isFinite) && bounds[0] < bounds[1], key,
                          "must be [low, high] with low < high, finite, found \(bounds)")
        if logUniform != nil {
            try options.check(bounds[0] > 0, key, "must be above 0 (a logarithmic range), found \(bounds[0])")
            self = .logUniform(bounds[0]...bounds[1], integer: integer ?? false)
        } else {
            self = .uniform(bounds[0]...bounds[1], integer: integer ?? false)
        }
    }

    /// The distribution as its file writes it.
    public var json: JSONValue {
        switch self {
        case let .uniform(range, integer):
            ["uniform": [.number(range.lowerBound), .number(range.upperBound)], "integer": .bool(integer)]
        case let .logUniform(range, integer):
            ["log_uniform": [.number(range.lowerBound), .number(range.upperBound)], "integer": .bool(integer)]
        case .choice(let values): ["choice": .array(values)]
        }
    }
}
