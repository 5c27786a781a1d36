import BackpropRegistry

/// Turns command-line words such as `triangular --eta-min 1e-5 --step-size 500` into a schedule's name
/// and its JSON parameters, `{"eta_min": 1e-5, "step_size": 500}`.
///
/// The result goes to `Registry.make(name:options:)`, so a command line is checked exactly as a
/// configuration file is (unknown, missing and impossible parameters are reported by name).
///
/// ```swift
/// let (name, parameters) = try scheduleOptions(fromArguments: ["exp_range", "--gamma", "0.9994"])
/// // name == "exp_range", parameters == ["gamma": 0.9994]
/// ```
///
/// Rules:
/// - A word that does not start with `--` and is not a flag's value is the schedule's name; at most one.
/// - `--some-flag value` and `--some-flag=value` both set the key `some_flag` (dashes become underscores).
/// - A value that parses as a number becomes a JSON number, `true`/`false` a boolean, anything else a
///   string. A value may start with a single dash (`--gamma -1` reads -1, and is then rejected by the
///   schedule, not by the parser).
///
/// The caller removes its own flags (such as `--steps` or `--plot`) before calling.
///
/// - Returns: the name, if one was given, and a JSON object of the parameters.
/// - Throws: `ConfigurationError.invalidValue` naming the flag when its value is missing or the flag is
///   repeated, or naming the word when a second name is given.
public func scheduleOptions(fromArguments arguments: [String]) throws -> (name: String?, parameters: JSONValue) {
    var name: String?
    var parameters: [String: JSONValue] = [:]
    var index = 0
    while index < arguments.count {
        let word = arguments[index]
        index += 1
        guard word.hasPrefix("--") else {
            if let name {
                throw ConfigurationError.invalidValue(
                    path: word, reason: "is a second schedule name after '\(name)'; parameters are written --name value")
            }
            name = word
            continue
        }
        var flag = String(word.dropFirst(2))
        var value: String
        if let equals = flag.firstIndex(of: "=") {
            value = String(flag[flag.index(after: equals)...])
            flag = String(flag[..<equals])
        } else {
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw ConfigurationError.invalidValue(path: word, reason: "needs a value, as in \(word) 0.01")
            }
            value = arguments[index]
            index += 1
        }
        guard !flag.isEmpty else {
            throw ConfigurationError.invalidValue(path: word, reason: "is not a parameter; write --name value")
        }
        let key = flag.replacingDashes()
        guard parameters[key] == nil else {
            throw ConfigurationError.invalidValue(path: "--\(flag)", reason: "is given twice")
        }
        parameters[key] = argumentValue(value)
    }
    return (name, .object(parameters))
}

/// The JSON value a command-line word stands for.
private func argumentValue(_ word: String) -> JSONValue {
    if let number = Double(word) { return .number(number) }
    switch word {
    case "true": return .bool(true)
    case "false": return .bool(false)
    default: return .string(word)
    }
}

extension String {
    fileprivate func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
