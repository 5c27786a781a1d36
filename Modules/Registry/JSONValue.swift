import Foundation

/// A JSON document as a plain Swift value.
///
/// Experiment files and plug-in parameters are read into `JSONValue` first, so that every reader can
/// report unknown keys and wrong types by name instead of relying on `Codable`'s generic messages.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

// MARK: - Parsing and printing

extension JSONValue {
    /// Parses UTF-8 JSON text, strictly (RFC 8259; see `JSONParser` for the rules).
    ///
    /// - Throws: `ConfigurationError.malformedJSON` whose reason starts with `source:line:column` and
    ///   names the key path: invalid syntax, a trailing comma, a duplicate key, a number beyond `Double`,
    ///   invalid UTF-8, or nesting deeper than 256.
    public init(parsing data: Foundation.Data, source: String = "JSON") throws {
        self = try JSONParser.parse(data, source: source)
    }

    /// Parses JSON text held in a string.
    public init(parsing text: String, source: String = "JSON") throws {
        try self.init(parsing: Foundation.Data(text.utf8), source: source)
    }

    /// Compact JSON text with keys sorted, so that files written twice compare equal.
    public var jsonText: String { render(indent: nil, level: 0) }

    /// Indented JSON text with keys sorted.
    public var prettyJSONText: String { render(indent: "  ", level: 0) }

    private func render(indent: String?, level: Int) -> String {
        let newline = indent == nil ? "" : "\n"
        let pad = { (n: Int) in String(repeating: indent ?? "", count: n) }
        let separator = indent == nil ? ":" : ": "
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return JSONValue.format(value)
        case .string(let value): return JSONValue.quote(value)
        case .array(let values):
            if values.isEmpty { return "[]" }
            let items = values.map { pad(level + 1) + $0.render(indent: indent, level: level + 1) }
            return "[" + newline + items.joined(separator: "," + newline) + newline + pad(level) + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let items = members.keys.sorted().map { key in
                pad(level + 1) + JSONValue.quote(key) + separator
                    + members[key]!.render(indent: indent, level: level + 1)
            }
            return "{" + newline + items.joined(separator: "," + newline) + newline + pad(level) + "}"
        }
    }

    /// Formats a number the shortest way that reads back exactly; integers print without a fraction.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

// MARK: - Coding

extension JSONValue: Decodable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool first: a decoder that accepts 1 as true is not used here, and numbers never decode as Bool.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

extension JSONValue: Encodable {
    /// Encodes the value as the JSON it is, so that a `Codable` type can hold a document.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }
}

// MARK: - Convenience

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
