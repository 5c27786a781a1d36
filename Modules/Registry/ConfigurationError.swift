/// An error in an experiment file or in a plug-in's parameters.
///
/// Every case names the place (a dotted key path such as `schedule.eta_max`) so that the user can find
/// and fix the culprit without reading Backprop's source.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case malformedJSON(source: String, reason: String)
    case unknownKey(path: String, allowed: [String])
    case missingKey(path: String)
    case wrongType(path: String, expected: String, found: String)
    case invalidValue(path: String, reason: String)
    case unknownName(kind: String, name: String, registered: [String])

    public var description: String {
        switch self {
        case let .malformedJSON(source, reason):
            return "\(source) is not valid JSON: \(reason)"
        case let .unknownKey(path, allowed):
            let hint = nearest(to: path.split(separator: ".").last.map(String.init) ?? path, in: allowed)
                .map { " Did you mean '\($0)'?" } ?? ""
            return "unknown key '\(path)'.\(hint) Allowed here: \(allowed.sorted().joined(separator: ", "))"
        case let .missingKey(path):
            return "missing key '\(path)'"
        case let .wrongType(path, expected, found):
            return "'\(path)' must be \(expected), found \(found)"
        case let .invalidValue(path, reason):
            return "'\(path)' \(reason)"
        case let .unknownName(kind, name, registered):
            let hint = nearest(to: name, in: registered).map { " Did you mean '\($0)'?" } ?? ""
            return "unknown \(kind) '\(name)'.\(hint) Registered: \(registered.sorted().joined(separator: ", "))"
        }
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
public func nearest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}

/// Levenshtein distance between two strings.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where j <= b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        previous = current
    }
    return previous[b.count]
}
