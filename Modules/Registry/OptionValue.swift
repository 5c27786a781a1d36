/// A Swift type that can be read from one JSON value: what `Options.required` and `optional` return.
///
/// Numbers, whole numbers, booleans, strings, arrays of them, `StepCount` and raw `JSONValue` conform.
/// A plug-in can add its own, such as an enumeration read from a string:
///
/// ```swift
/// enum Padding: String, OptionValue {
///     case zero, reflect
///     init(json: JSONValue, path: String) throws {
///         let name = try String(json: json, path: path)
///         guard let value = Padding(rawValue: name) else {
///             throw ConfigurationError.invalidValue(path: path, reason: "must be zero or reflect, found '\(name)'")
///         }
///         self = value
///     }
/// }
/// ```
///
/// Semantics:
/// - `init(json:path:)` converts the value or throws a `ConfigurationError` naming `path`: `wrongType`
///   when the JSON type is wrong, `invalidValue` when the value cannot be one of the type's values.
/// - A whole number must be written without a fraction (`2.5` is not an `Int`), so nothing is
///   silently rounded. Range checks that depend on the parameter belong in an `OptionCheck`.
public protocol OptionValue {
    /// Reads the value `json` found at the key path `path`.
    init(json: JSONValue, path: String) throws
}

extension Double: OptionValue {
    public init(json: JSONValue, path: String) throws {
        guard case .number(let value) = json else {
            throw ConfigurationError.wrongType(path: path, expected: "a number", found: json.typeName)
        }
        self = value
    }
}

extension Float: OptionValue {
    public init(json: JSONValue, path: String) throws {
        self = Float(try Double(json: json, path: path))
    }
}

extension Int: OptionValue {
    public init(json: JSONValue, path: String) throws {
        let value = try Double(json: json, path: path)
        guard value == value.rounded(), abs(value) < 1e15 else {
            throw ConfigurationError.wrongType(path: path, expected: "a whole number", found: "\(value)")
        }
        self = Int(value)
    }
}

extension UInt64: OptionValue {
    public init(json: JSONValue, path: String) throws {
        let value = try Int(json: json, path: path)
        guard value >= 0 else {
            throw ConfigurationError.invalidValue(path: path, reason: "must not be negative, found \(value)")
        }
        self = UInt64(value)
    }
}

extension Bool: OptionValue {
    public init(json: JSONValue, path: String) throws {
        guard case .bool(let value) = json else {
            throw ConfigurationError.wrongType(path: path, expected: "true or false", found: json.typeName)
        }
        self = value
    }
}

extension String: OptionValue {
    public init(json: JSONValue, path: String) throws {
        guard case .string(let value) = json else {
            throw ConfigurationError.wrongType(path: path, expected: "a string", found: json.typeName)
        }
        self = value
    }
}

extension Array: OptionValue where Element: OptionValue {
    public init(json: JSONValue, path: String) throws {
        guard case .array(let values) = json else {
            throw ConfigurationError.wrongType(path: path, expected: "an array", found: json.typeName)
        }
        self = try values.enumerated().map { try Element(json: $1, path: "\(path)[\($0)]") }
    }
}

extension JSONValue: OptionValue {
    public init(json: JSONValue, path: String) throws { self = json }
}
