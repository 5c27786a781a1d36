/// One option, flag or positional argument of a command, declared once: the parser reads it and the
/// generated `--help` lists it from this same value.
///
/// ```swift
/// let arguments: [CommandArgument] = [
///     .option("config", value: "FILE", help: "the experiment (JSON)", required: true),
///     .option("epochs", value: "N", help: "epochs to train", default: "40"),
///     .repeatedOption("merge", value: "DIR", help: "a directory whose trials to join"),
///     .flag("quiet", help: "no progress line"),
///     .positional("name", value: "NAME", help: "the schedule"),
///     .repeatedPositional("runs", value: "RUN_DIR", help: "the runs to compare", required: true),
/// ]
/// ```
///
/// Semantics:
/// - `name` is written `--name` on the command line (`name` for a positional is only its key in
///   ``ParsedArguments``); names are unique within a command.
/// - A default is a command-line word, read exactly as a user's value would be, and is shown in the help
///   as `(default: …)`, so the help cannot disagree with the behaviour.
/// - `help` may span several lines; the help text indents the continuation lines.
public struct CommandArgument: Sendable, Equatable {
    /// How an argument is written and how many times it may be given.
    public enum Kind: Sendable, Equatable {
        /// `--name`, no value; given or not.
        case flag
        /// `--name VALUE` or `--name=VALUE`, at most once.
        case option
        /// `--name VALUE`, any number of times; the values are kept in order.
        case repeatedOption
        /// A word that is not an option, taken in the order the positionals are declared.
        case positional
        /// Every word that is not an option left after the positionals declared before it, in order
        /// (`RUN_DIR...`); declared last among the positionals.
        case repeatedPositional
        /// Every `--key VALUE` that is not declared, kept in order for the command to interpret (a
        /// schedule's parameters, say). Without it an undeclared option is an error.
        case otherOptions
    }

    /// Whether the argument is a word that is not an option (``Kind/positional`` or
    /// ``Kind/repeatedPositional``).
    public var isPositional: Bool { kind == .positional || kind == .repeatedPositional }

    /// The option's name without dashes (`epochs` for `--epochs`); a positional's key.
    public var name: String
    public var kind: Kind
    /// What the value is called in the help (`FILE`, `N`); empty for a flag.
    public var valueName: String
    /// One line (or a few) saying what the argument does, for the generated help.
    public var help: String
    /// The value used when the argument is not given, as a command-line word.
    public var defaultValue: String?
    /// Whether parsing fails when the argument is not given (options and positionals only).
    public var isRequired: Bool

    public init(name: String, kind: Kind, valueName: String, help: String, defaultValue: String? = nil,
                isRequired: Bool = false) {
        self.name = name
        self.kind = kind
        self.valueName = valueName
        self.help = help
        self.defaultValue = defaultValue
        self.isRequired = isRequired
    }

    /// `--name`: true when given.
    public static func flag(_ name: String, help: String) -> CommandArgument {
        CommandArgument(name: name, kind: .flag, valueName: "", help: help)
    }

    /// `--name VALUE`, at most once; `default` is used (and shown) when it is not given.
    public static func option(_ name: String, value: String, help: String, default defaultValue: String? = nil,
                              required: Bool = false) -> CommandArgument {
        CommandArgument(name: name, kind: .option, valueName: value, help: help, defaultValue: defaultValue,
                        isRequired: required)
    }

    /// `--name VALUE`, repeatable: every value, in order.
    public static func repeatedOption(_ name: String, value: String, help: String) -> CommandArgument {
        CommandArgument(name: name, kind: .repeatedOption, valueName: value, help: help)
    }

    /// A word that is not an option; `name` is its key in ``ParsedArguments``.
    public static func positional(_ name: String, value: String, help: String, required: Bool = false) -> CommandArgument {
        CommandArgument(name: name, kind: .positional, valueName: value, help: help, isRequired: required)
    }

    /// Every word that is not an option, from where the earlier positionals end (`RUN_DIR...`): declare
    /// it after the other positionals; read it with ``ParsedArguments/values(_:as:)``.
    public static func repeatedPositional(_ name: String, value: String, help: String, required: Bool = false) -> CommandArgument {
        CommandArgument(name: name, kind: .repeatedPositional, valueName: value, help: help, isRequired: required)
    }

    /// Every undeclared `--key VALUE`, kept for the command (``ParsedArguments/otherOptions``).
    public static func otherOptions(value: String = "--KEY VALUE", help: String) -> CommandArgument {
        CommandArgument(name: "", kind: .otherOptions, valueName: value, help: help)
    }

    /// How the argument is written in a usage line and in the help's list: `--epochs N`, `--quiet`, `NAME`.
    public var spelling: String {
        switch kind {
        case .flag: "--\(name)"
        case .option, .repeatedOption: "--\(name) \(valueName)"
        case .positional, .repeatedPositional, .otherOptions: valueName
        }
    }

    /// The argument in a usage line: brackets when optional, `...` when repeatable.
    var usage: String {
        let repeats = [.repeatedOption, .repeatedPositional, .otherOptions].contains(kind) ? " ..." : ""
        return isRequired ? spelling + repeats : "[\(spelling)\(repeats)]"
    }
}
