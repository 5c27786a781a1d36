import BackpropRegistry

/// The options of one sub-command, parsed from `--name value` pairs and `--flag`s.
///
/// Deliberately small: Backprop uses no third-party packages, and its commands take a handful of
/// options each. Unknown options are errors with a suggestion, like ArgumentParser's.
public struct Arguments {
    public private(set) var values: [String: String] = [:]
    public private(set) var flags: Set<String> = []
    public private(set) var positional: [String] = []
    public private(set) var repeated: [String: [String]] = [:]

    /// Parses `arguments` given the options that take a value and the flags that do not.
    public init(_ arguments: [String], options: Set<String>, flags knownFlags: Set<String>, command: String) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { positional.append(argument); continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if knownFlags.contains(name) {
                flags.insert(name)
            } else if options.contains(name) {
                guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw CLIError.usage("option --\(name) needs a value")
                }
                if inlineValue == nil { index += 1 }
                values[name] = value
                repeated[name, default: []].append(value)
            } else {
                let known = Array(options) + Array(knownFlags)
                let hint = nearest(to: name, in: known).map { " Did you mean '--\($0)'?" } ?? ""
                throw CLIError.usage("unknown option '--\(name)' for '\(command)'.\(hint) See '\(command) --help'.")
            }
        }
    }

    public subscript(_ name: String) -> String? { values[name] }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    public func int(_ name: String) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else { throw CLIError.usage("--\(name) must be a whole number, got '\(text)'") }
        return value
    }

    public func uint64(_ name: String) throws -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let value = UInt64(text) else { throw CLIError.usage("--\(name) must be a non-negative whole number, got '\(text)'") }
        return value
    }
}

/// An error the command line reports and exits with.
public enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case failed(String)

    public var description: String {
        switch self {
        case .usage(let text), .failed(let text): text
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .failed: 1
        }
    }
}
