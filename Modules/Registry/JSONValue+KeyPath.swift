/// Setting one value of a document by its key path.
extension JSONValue {
    /// The document with `value` at `path`, written as `leaves` writes paths: keys joined by dots, array
    /// elements by index (`regularizers[0].lambda`, `model.hidden[1]`).
    ///
    /// Every object and array on the way must exist (an array index must be within the array); the last
    /// key of an object may be new, so that a search can set a key its experiment leaves to its default.
    /// Throws `ConfigurationError.invalidValue` at `path` saying which step is missing.
    public func setting(_ value: JSONValue, at path: String) throws -> JSONValue {
        let steps = try JSONValue.steps(of: path)
        return try JSONValue.set(value, in: self, steps: steps[...], path: path, walked: "")
    }

    private enum Step { case key(String), index(Int) }

    private static func steps(of path: String) throws -> [Step] {
        func bad(_ reason: String) -> ConfigurationError { .invalidValue(path: path, reason: reason) }
        var steps: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let key = rest.prefix { $0 != "[" }
            guard !key.isEmpty || !steps.isEmpty else { throw bad("is not a key path (it must start with a key)") }
            guard !key.isEmpty || rest.first == "[" else { throw bad("is not a key path (an empty key)") }
            if !key.isEmpty { steps.append(.key(String(key))) }
            rest = rest.dropFirst(key.count)
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    throw bad("is not a key path ('\(part)': write an array element as key[0])")
                }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return steps
    }

    private static func set(
        _ value: JSONValue, in document: JSONValue, steps: ArraySlice<Step>, path: String, walked: String
    ) throws -> JSONValue {
        guard let step = steps.first else { return value }
        let place = walked.isEmpty ? "the document" : walked
        switch (step, document) {
        case (.key(let key), .object(var members)):
            let next = walked.isEmpty ? key : "\(walked).\(key)"
            guard let member = members[key] ?? (steps.count == 1 ? .null : nil) else {
                throw ConfigurationError.invalidValue(path: path, reason: "\(place) has no key '\(key)'")
            }
            members[key] = try set(value, in: member, steps: steps.dropFirst(), path: path, walked: next)
            return .object(members)
        case (.index(let index), .array(var items)):
            guard index < items.count else {
                throw ConfigurationError.invalidValue(
                    path: path, reason: "\(place) has \(items.count) element(s); [\(index)] is past its end")
            }
            items[index] = try set(value, in: items[index], steps: steps.dropFirst(), path: path, walked: "\(walked)[\(index)]")
            return .array(items)
        case (.key(let key), _):
            throw ConfigurationError.invalidValue(path: path, reason: "\(place) is not an object, so has no key '\(key)'")
        case (.index(let index), _):
            throw ConfigurationError.invalidValue(path: path, reason: "\(place) is not an array, so has no [\(index)]")
        }
    }
}
