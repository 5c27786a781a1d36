import BackpropRegistry

/// A command line read by ``CommandInterface/parse(_:)``: typed access to its values by declared name.
///
/// ```swift
/// let seed = try arguments.value("seed", as: UInt64.self) ?? 42
/// let epochs = try arguments.value("epochs", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
/// let out = try arguments.value("out", as: URL.self)          // the declared default when not given
/// let stage = try arguments.choice("stage", as: Stage.self)   // a String-backed CaseIterable enum
/// let quiet = arguments.flag("quiet")
/// ```
///
/// Semantics:
/// - A value is the word given, else the declaration's default, read the same way; nil when neither.
/// - A word that does not read as the type throws ``CLIError/usage(_:)`` naming the option, what it must
///   be and the word: `--epochs must be a whole number, got 'ten'`.
/// - Asking for a name the command does not declare throws ``CLIError/failed(_:)``: a bug in the command,
///   reported rather than read as "not given".
public struct ParsedArguments: Sendable {
    /// An undeclared `--key VALUE`, kept for a command that declares ``CommandArgument/otherOptions(value:help:)``.
    public struct OtherOption: Sendable, Equatable {
        /// The key as typed, without the leading dashes (`eta-min`).
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The command these arguments were read for.
    public let interface: CommandInterface
    /// The words given to each option and positional, by name, in order.
    var given: [String: [String]] = [:]
    var flags: Set<String> = []
    /// Every undeclared `--key VALUE`, in the order given.
    public internal(set) var otherOptions: [OtherOption] = []

    init(interface: CommandInterface) {
        self.interface = interface
    }

    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool {
        assert(interface.argument(named: name)?.kind == .flag, "'\(name)' is not a flag of '\(interface.name)'")
        return flags.contains(name)
    }

    /// Whether the option or positional `name` was given (rather than left to its default).
    public func isGiven(_ name: String) -> Bool {
        given[name] != nil
    }

    /// The word given for `name`, else its default; nil when neither.
    public func word(_ name: String) throws -> String? {
        let declaration = try declaration(of: name)
        return given[name]?.last ?? declaration.defaultValue
    }

    /// The value of `name` read as `T`; nil when it was not given and has no default.
    public func value<T: ArgumentValue>(_ name: String, as type: T.Type = T.self) throws -> T? {
        try value(name, must: "be \(T.expectation)") { T(argument: $0) }
    }

    /// The value of `name` read as `T` and checked: `must` says what `isValid` requires, for the error.
    public func value<T: ArgumentValue>(
        _ name: String, as type: T.Type = T.self, where isValid: (T) -> Bool, must requirement: String
    ) throws -> T? {
        guard let value = try value(name, as: type) else { return nil }
        guard isValid(value) else { throw invalid(name, must: requirement, got: try word(name) ?? "") }
        return value
    }

    /// The value of `name` read by `read`, which returns nil for a word it rejects; `must` says what it
    /// accepts (`be K/N with 1 ≤ K ≤ N`).
    public func value<T>(_ name: String, must requirement: String, _ read: (String) -> T?) throws -> T? {
        guard let word = try word(name) else { return nil }
        guard let value = read(word) else { throw invalid(name, must: requirement, got: word) }
        return value
    }

    /// The value of `name`, which must be there: given, or declared with a default.
    public func required<T: ArgumentValue>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let value = try value(name, as: type) else {
            throw interface.usageError("missing option '\(try declaration(of: name).spelling)'.")
        }
        return value
    }

    /// The value of `name`, which must be there (given, or declared with a default), checked by `isValid`.
    public func required<T: ArgumentValue>(
        _ name: String, as type: T.Type = T.self, where isValid: (T) -> Bool, must requirement: String
    ) throws -> T {
        let value = try required(name, as: type)
        guard isValid(value) else { throw invalid(name, must: requirement, got: try word(name) ?? "") }
        return value
    }

    /// Every value of the repeated option (or repeated positional) `name`, in order.
    public func values<T: ArgumentValue>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        _ = try declaration(of: name)
        return try (given[name] ?? []).map { word in
            guard let value = T(argument: word) else { throw invalid(name, must: "be \(T.expectation)", got: word) }
            return value
        }
    }

    /// The case of a `String`-backed enumeration named by `name`; an unknown word is an error listing the
    /// cases and suggesting the nearest.
    public func choice<T: CaseIterable & RawRepresentable>(_ name: String, as type: T.Type = T.self) throws -> T?
    where T.RawValue == String {
        guard let word = try word(name) else { return nil }
        if let value = T(rawValue: word) { return value }
        let cases = T.allCases.map(\.rawValue)
        let hint = nearest(to: word, in: cases).map { " Did you mean '\($0)'?" } ?? ""
        throw invalid(name, must: "be one of \(cases.joined(separator: ", "))", got: word, hint: hint)
    }

    // MARK: - Errors

    func declaration(of name: String) throws -> CommandArgument {
        guard let declaration = interface.argument(named: name) else {
            throw CLIError.failed("'\(name)' is not an argument of '\(interface.name)' (a bug in the command)")
        }
        return declaration
    }

    func invalid(_ name: String, must requirement: String, got word: String, hint: String = "") -> CLIError {
        let kind = interface.argument(named: name)?.kind
        let label = kind == .positional || kind == .repeatedPositional ? (interface.argument(named: name)?.valueName ?? name) : "--\(name)"
        return interface.usageError("\(label) must \(requirement), got '\(word)'.\(hint)")
    }
}
