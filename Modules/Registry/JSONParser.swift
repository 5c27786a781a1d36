import Foundation

/// The strict JSON reader behind `JSONValue(parsing:)`: RFC 8259, nothing more, with errors that say where.
///
/// `JSONDecoder` accepts a trailing comma, keeps the first of two equal keys and reports `1e999` as a
/// type mismatch without a place; a configuration file deserves better, so Backprop reads JSON itself.
///
/// Semantics:
/// - The input is UTF-8, optionally after a byte-order mark; anything else is an error.
/// - Exactly one value, surrounded by optional whitespace (space, tab, CR, LF). No comments, no trailing
///   commas, no single quotes, no `NaN` or `Infinity`, no leading zeros or `+`, no control characters
///   inside strings, no lone surrogates in `\u` escapes.
/// - A number's text is converted by the standard library's `Double(String)` (correctly rounded); one
///   whose magnitude is beyond `Double.greatestFiniteMagnitude` is an error, one below the smallest
///   subnormal becomes zero, as in every JSON reader.
/// - Two equal keys in one object are an error naming the key path (`data.source`).
/// - Arrays and objects nest at most `maximumDepth` deep, so a hostile file cannot exhaust the stack.
/// - Every error is `ConfigurationError.malformedJSON` whose reason starts with `source:line:column`
///   (lines and columns count from 1, columns in Unicode scalars) and names the key path when inside one.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted; experiment files use fewer than ten levels.
    static let maximumDepth = 256

    private let bytes: [UInt8]
    private let source: String
    private var position = 0
    /// The keys and indices from the root to the value being read, for messages.
    private var path: [String] = []

    /// Parses `data`; `source` names the file in errors.
    static func parse(_ data: Foundation.Data, source: String) throws -> JSONValue {
        var parser = JSONParser(bytes: [UInt8](data), source: source)
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.position = 3 }
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else {
            throw parser.error("unexpected \(parser.describeNext()) after the JSON value")
        }
        return value
    }

    private init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    // MARK: - Values

    private mutating func value(depth: Int) throws -> JSONValue {
        guard position < bytes.count else { throw error("the text ends where a value was expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: throw error("expected a value, found \(describeNext())")
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        position += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if take("}") { return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                let reason = position < bytes.count && bytes[position] == UInt8(ascii: "}")
                    ? "a trailing comma before '}' is not JSON" : "expected a key in double quotes, found \(describeNext())"
                throw error(reason)
            }
            let keyStart = position
            let key = try string()
            path.append(key)
            guard members[key] == nil else {
                position = keyStart
                throw error("duplicate key '\(pathText)'", naming: false)
            }
            skipWhitespace()
            guard take(":") else { throw error("expected ':' after the key, found \(describeNext())") }
            skipWhitespace()
            members[key] = try value(depth: depth)
            path.removeLast()
            skipWhitespace()
            if take("}") { return .object(members) }
            guard take(",") else { throw error("expected ',' or '}' in the object, found \(describeNext())") }
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        position += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if take("]") { return .array(items) }
        while true {
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                throw error("a trailing comma before ']' is not JSON")
            }
            path.append("[\(items.count)]")
            items.append(try value(depth: depth))
            path.removeLast()
            skipWhitespace()
            if take("]") { return .array(items) }
            guard take(",") else { throw error("expected ',' or ']' in the array, found \(describeNext())") }
        }
    }

    private func checkDepth(_ depth: Int) throws {
        guard depth <= Self.maximumDepth else {
            throw error("arrays and objects nest more than \(Self.maximumDepth) deep")
        }
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard bytes[position...].starts(with: expected) else {
            throw error("expected a value, found \(describeNext())")
        }
        position += expected.count
    }

    // MARK: - Numbers

    private mutating func number() throws -> Double {
        let start = position
        func digits() -> Int {
            let first = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - first
        }
        _ = take("-")
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0 else { position = start; throw error("a number needs a digit after '-'") }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            position = start
            throw error("a number may not start with 0 followed by digits")
        }
        if take(".") {
            guard digits() > 0 else { position = start; throw error("a number needs digits after its '.'") }
        }
        if take("e") || take("E") {
            _ = take("+") || take("-")
            guard digits() > 0 else { position = start; throw error("a number needs digits in its exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            position = start
            throw error("the number \(text) is out of the range of a Double (about ±1.8e308)")
        }
        return value
    }

    // MARK: - Strings

    private mutating func string() throws -> String {
        let start = position
        position += 1  // "
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else { position = start; throw error("the string never ends (no closing '\"')") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    position = start
                    throw error("the string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                try escape(into: &utf8)
            case 0..<0x20:
                throw error("a control character (U+\(hex(UInt32(byte)))) must be escaped inside a string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func escape(into utf8: inout [UInt8]) throws {
        guard position < bytes.count else { throw error("the text ends inside an escape") }
        let letter = bytes[position]
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let byte = simple[letter] { utf8.append(byte); return }
        guard letter == UInt8(ascii: "u") else {
            position -= 2
            throw error("'\\\(String(decoding: [letter], as: UTF8.self))' is not a JSON escape")
        }
        var scalar = try hexQuad()
        if (0xD800..<0xDC00).contains(scalar) {
            guard take("\\"), take("u") else { throw error("a high surrogate \\u\(hex(scalar)) must be followed by a low one") }
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw error("\\u\(hex(low)) is not a low surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw error("a lone low surrogate \\u\(hex(scalar)) is not a character")
        }
        utf8 += Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
    }

    private mutating func hexQuad() throws -> UInt32 {
        guard bytes.count - position >= 4,
              let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16),
              bytes[position..<(position + 4)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
            throw error("\\u must be followed by four hexadecimal digits")
        }
        position += 4
        return value
    }

    // MARK: - Scanning and errors

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    /// Consumes `character` when it is next.
    private mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(character.value) else { return false }
        position += 1
        return true
    }

    /// The key path as `training.layers[2].units`; a deep one keeps its first and last five parts.
    private var pathText: String {
        func joined(_ parts: ArraySlice<String>) -> String {
            parts.reduce("") { text, part in part.hasPrefix("[") || text.isEmpty ? text + part : text + "." + part }
        }
        guard path.count > 12 else { return joined(path[...]) }
        return joined(path.prefix(5)) + "…(\(path.count - 10) more)…" + joined(path.suffix(5))
    }

    private func describeNext() -> String {
        guard position < bytes.count else { return "the end of the text" }
        let byte = bytes[position]
        return (0x21...0x7E).contains(byte) ? "'\(String(decoding: [byte], as: UTF8.self))'" : "byte 0x\(hex(UInt32(byte)))"
    }

    /// The error at the current position: `source:line:column: reason (at 'key.path')`, without the
    /// path when `naming` is false (the reason names it already).
    private func error(_ reason: String, naming: Bool = true) -> ConfigurationError {
        var line = 1, column = 1
        for byte in bytes[..<min(position, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        let place = path.isEmpty || !naming ? "" : " (at '\(pathText)')"
        return .malformedJSON(source: source, reason: "\(source):\(line):\(column): \(reason)\(place)")
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
