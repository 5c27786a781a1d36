/// A JSON object read key by key, with errors that name the key.
///
/// A reader takes the values it understands with `required`/`optional`, then calls `finish()`, which
/// rejects every key nobody asked for. That is how a typo such as `"eta_mx"` becomes an error instead of
/// a silently ignored setting.
///
/// ```swift
/// var options = try Options(json, path: "schedule")
/// let low: Double = try options.required("eta_min")
/// let cycles: Int = try options.optional("cycles") ?? 1
/// try options.finish()
/// ```
public struct Options: Sendable {
    /// The dotted path of this object inside the document, used in messages.
    public let path: String
    /// The members of the object.
    public let members: [String: JSONValue]
    private var allowed: Set<String> = []

    /// Wraps `value`, which must be a JSON object.
    public init(_ value: JSONValue, path: String) throws {
        guard case .object(let members) = value else {
            throw ConfigurationError.wrongType(path: path, expected: "an object", found: value.typeName)
        }
        self.path = path
        self.members = members
    }

    /// An empty object.
    public init(path: String) {
        self.path = path
        self.members = [:]
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Whether the object has `key` (a `null` counts as absent). Marks the key as known.
    public mutating func contains(_ key: String) -> Bool {
        allowed.insert(key)
        if let value = members[key], value != .null { return true }
        return false
    }

    /// The value of `key`, converted to `T`.
    ///
    /// - Throws: `missingKey` when absent, `wrongType` or `invalidValue` when it does not convert.
    public mutating func required<T: OptionValue>(_ key: String) throws -> T {
        guard let value: T = try optional(key) else {
            throw ConfigurationError.missingKey(path: keyPath(key))
        }
        return value
    }

    /// The value of `key` converted to `T`, or `nil` when the key is absent or `null`.
    public mutating func optional<T: OptionValue>(_ key: String) throws -> T? {
        allowed.insert(key)
        guard let value = members[key], value != .null else { return nil }
        return try T(json: value, path: keyPath(key))
    }

    /// The raw JSON of `key`, or `nil`. Marks the key as known.
    public mutating func raw(_ key: String) -> JSONValue? {
        allowed.insert(key)
        return members[key]
    }

    /// The nested object at `key`, or an empty object when absent.
    public mutating func nested(_ key: String) throws -> Options {
        allowed.insert(key)
        guard let value = members[key], value != .null else { return Options(path: keyPath(key)) }
        return try Options(value, path: keyPath(key))
    }

    /// Throws for the first key (in sorted order) that no reader asked for.
    public func finish() throws {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ConfigurationError.unknownKey(path: keyPath(unknown), allowed: allowed.sorted())
        }
    }
}

// MARK: - Values an option can hold

/// A Swift type that can be read from one JSON value.
public protocol OptionValue {
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

// MARK: - Checks

extension Options {
    /// Throws `invalidValue` for `key` unless `condition` holds.
    public func check(_ condition: Bool, _ key: String, _ reason: @autoclosure () -> String) throws {
        if !condition { throw ConfigurationError.invalidValue(path: keyPath(key), reason: reason()) }
    }
}
