/// The dictionary at the start of a `.npy` file: element type, memory order and shape.
///
/// The header is a Python literal (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`).
/// This is a small parser for the subset NumPy writes — a dict of strings, booleans, integers and
/// tuples — rather than pattern matching, so that spacing, key order, double quotes and trailing commas
/// written by other tools are accepted too.
struct NumpyHeader: Equatable {
    var descriptor: String
    var fortranOrder: Bool
    var shape: [Int]

    /// The header text for an array of `shape` in C order, padded exactly as NumPy pads it.
    ///
    /// NumPy adds room for the first axis to grow to 21 digits, then spaces and a newline so that the
    /// data starts at a multiple of 64 bytes; writing the same bytes makes our files identical to
    /// `numpy.save`'s.
    static func encoded(descriptor: String, shape: [Int]) -> [UInt8] {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var text = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(tuple), }"
        if let first = shape.first {
            text += String(repeating: " ", count: max(0, 21 - String(first).count))
        }
        let preamble = 10 // magic (6) + version (2) + header length (2)
        let length = text.utf8.count + 1
        let padding = 64 - (preamble + length) % 64
        text += String(repeating: " ", count: padding) + "\n"
        let headerLength = text.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
            + Array(text.utf8)
    }

    /// Parses the header text; the error reason says what was expected where.
    init(parsing text: String) throws(HeaderError) {
        var parser = LiteralParser(Array(text.unicodeScalars))
        guard case let .dict(entries) = try parser.parseValue() else {
            throw HeaderError("the header is not a dictionary")
        }
        parser.skipSpace()
        guard parser.atEnd else { throw HeaderError("unexpected text after the header dictionary") }
        var descriptor: String?, fortranOrder: Bool?, shape: [Int]?
        for (key, value) in entries {
            switch (key, value) {
            case let ("descr", .string(text)): descriptor = text
            case let ("fortran_order", .bool(flag)): fortranOrder = flag
            case let ("shape", .tuple(items)):
                shape = try items.map { item throws(HeaderError) -> Int in
                    guard case let .int(extent) = item, extent >= 0 else {
                        throw HeaderError("'shape' must be a tuple of non-negative integers")
                    }
                    return extent
                }
            case ("descr", _), ("fortran_order", _), ("shape", _):
                throw HeaderError("'\(key)' has the wrong type")
            default:
                throw HeaderError("unknown header key '\(key)'")
            }
        }
        guard let descriptor else { throw HeaderError("missing key 'descr'") }
        guard let fortranOrder else { throw HeaderError("missing key 'fortran_order'") }
        guard let shape else { throw HeaderError("missing key 'shape'") }
        self.descriptor = descriptor
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    init(descriptor: String, fortranOrder: Bool, shape: [Int]) {
        self.descriptor = descriptor
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    /// Why a header could not be parsed.
    struct HeaderError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

// MARK: - Python literals

/// The Python literal values a `.npy` header may contain.
private enum Literal {
    case string(String), int(Int), bool(Bool), tuple([Literal]), dict([(String, Literal)])
}

/// A recursive-descent parser over the header's characters.
///
/// Tuples and dictionaries nest at most `maximumDepth` deep: a version 2 header may be 4 GB long, and
/// a million `(` would otherwise overflow the stack.
private struct LiteralParser {
    /// The deepest nesting accepted; NumPy's headers nest 2 deep.
    static let maximumDepth = 16

    private let characters: [Unicode.Scalar]
    private var position = 0
    private var depth = 0

    init(_ characters: [Unicode.Scalar]) { self.characters = characters }

    var atEnd: Bool { position >= characters.count }

    mutating func skipSpace() {
        while !atEnd, characters[position].properties.isWhitespace { position += 1 }
    }

    mutating func parseValue() throws(NumpyHeader.HeaderError) -> Literal {
        skipSpace()
        guard !atEnd else { throw .init("the header ends early") }
        let character = characters[position]
        if character == "{" || character == "(" {
            guard depth < Self.maximumDepth else { throw .init("tuples and dictionaries nest more than \(Self.maximumDepth) deep") }
            depth += 1
        }
        defer { if character == "{" || character == "(" { depth -= 1 } }
        switch character {
        case "{":
            position += 1
            var entries: [(String, Literal)] = []
            while try !consumeClosing("}") {
                guard case let .string(key) = try parseValue() else { throw .init("dictionary keys must be strings") }
                skipSpace()
                guard !atEnd, characters[position] == ":" else { throw .init("expected ':' after '\(key)'") }
                position += 1
                entries.append((key, try parseValue()))
                try consumeSeparator(closing: "}")
            }
            return .dict(entries)
        case "(":
            position += 1
            var items: [Literal] = []
            while try !consumeClosing(")") {
                items.append(try parseValue())
                try consumeSeparator(closing: ")")
            }
            return .tuple(items)
        case "'", "\"":
            position += 1
            var text = ""
            while !atEnd, characters[position] != character {
                text.unicodeScalars.append(characters[position])
                position += 1
            }
            guard !atEnd else { throw .init("unterminated string") }
            position += 1
            return .string(text)
        case "0"..."9":
            var digits = ""
            // Python 2 era files may write long integers as `3L`.
            while !atEnd, ("0"..."9").contains(characters[position]) {
                digits.unicodeScalars.append(characters[position])
                position += 1
            }
            if !atEnd, characters[position] == "L" { position += 1 }
            guard let value = Int(digits) else { throw .init("integer \(digits) is too large") }
            return .int(value)
        default:
            for (word, value) in [("True", true), ("False", false)] where matches(word) {
                position += word.unicodeScalars.count
                return .bool(value)
            }
            throw .init("unexpected character '\(character)' at offset \(position)")
        }
    }

    private func matches(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        return position + scalars.count <= characters.count
            && Array(characters[position..<(position + scalars.count)]) == scalars
    }

    /// Consumes `closing` if it comes next (after spaces); reports whether it did.
    private mutating func consumeClosing(_ closing: Unicode.Scalar) throws(NumpyHeader.HeaderError) -> Bool {
        skipSpace()
        guard !atEnd else { throw .init("missing '\(closing)'") }
        if characters[position] == closing {
            position += 1
            return true
        }
        return false
    }

    /// After an item: either a comma, or the closing bracket comes next (left for `consumeClosing`).
    private mutating func consumeSeparator(closing: Unicode.Scalar) throws(NumpyHeader.HeaderError) {
        skipSpace()
        guard !atEnd else { throw .init("missing '\(closing)'") }
        if characters[position] == "," {
            position += 1
        } else if characters[position] != closing {
            throw .init("expected ',' or '\(closing)' at offset \(position)")
        }
    }
}
