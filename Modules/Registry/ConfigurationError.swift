/// An error in an experiment file or in a plug-in's parameters.
///
/// Every case names the place (a dotted key path such as `schedule.eta_max`) so that the user can find
/// and fix the culprit without reading Backprop's source.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case malformedJSON(source: String, reason: String)
    /// A configuration file that cannot be read: missing, a directory, not a regular file, too large.
    case unreadableFile(path: String, reason: String)
    case unknownKey(path: String, allowed: [String])
    case missingKey(path: String)
    case wrongType(path: String, expected: String, found: String)
    case invalidValue(path: String, reason: String)
    case unknownName(kind: String, name: String, registered: [String])

    public var description: String {
        switch self {
        case let .malformedJSON(source, reason):
            return "\(source) is not valid JSON: \(reason)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .unknownKey(path, allowed):
            let key = path.split(separator: ".").last.map(String.init) ?? path
            let list = allowed.isEmpty ? " No keys are allowed here." : " Allowed here: \(allowed.sorted().joined(separator: ", "))"
            return "unknown key '\(path)'.\(ConfigurationError.hint(for: key, among: allowed))\(list)"
        case let .missingKey(path):
            return "missing key '\(path)'"
        case let .wrongType(path, expected, found):
            return "'\(path)' must be \(expected), found \(found)"
        case let .invalidValue(path, reason):
            return "'\(path)' \(reason)"
        case let .unknownName(kind, name, registered):
            let list = registered.isEmpty ? " None is registered." : " Registered: \(registered.sorted().joined(separator: ", "))"
            return "unknown \(kind) '\(name)'.\(ConfigurationError.hint(for: name, among: registered))\(list)"
        }
    }

    /// " Did you mean 'x'?" for the likely intended name, or nothing: the one wording of every
    /// suggestion, for keys and plug-in names alike.
    static func hint(for word: String, among candidates: [String]) -> String {
        nearest(to: word, in: candidates).map { " Did you mean '\($0)'?" } ?? ""
    }
}

/// The candidate closest to `word`, when it is close enough to be a likely typo.
///
/// Closeness is `editDistance` ignoring case and treating `-` as `_` (so a command-line `--step-size`
/// meets the key `step_size`). A candidate is close enough when at most one edit in three characters of
/// `word` (at least one edit) separates them, and fewer edits than `word` has characters; ties go
/// to the candidate first in sorted order, so the suggestion does not depend on the order of a list.
///
/// ```swift
/// nearest(to: "eta_mx", in: ["eta_min", "eta_max"])   // "eta_max"
/// nearest(to: "sdt", in: ["std"])                       // "std" (one transposition)
/// nearest(to: "xy", in: ["l2"])                         // nil
/// ```
public func nearest(to word: String, in candidates: [String]) -> String? {
    func normal(_ text: String) -> String { String(text.lowercased().map { $0 == "-" ? "_" : $0 }) }
    let target = normal(word)
    let scored = candidates.sorted().map { ($0, editDistance(target, normal($0))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(1, target.count / 3) && best.1 < max(target.count, 1) ? best.0 : nil
}

/// The optimal-string-alignment distance between two strings: the fewest insertions, deletions,
/// substitutions and swaps of two neighbouring characters that turn one into the other (so `sdt` is one
/// edit from `std`).
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](), previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], before[j - 2] + 1)
            }
        }
        before = previous
        previous = current
    }
    return previous[b.count]
}
