import BackpropRegistry

/// A command of a tool: what it accepts, declared once, and what it does with what it was given.
///
/// ```swift
/// let hello = Subcommand(CommandInterface(
///     name: "hello", abstract: "Greet someone.",
///     arguments: [.option("name", value: "NAME", help: "who", default: "world")]
/// )) { arguments in
///     print("hello, \(try arguments.required("name", as: String.self))")
/// }
/// ```
public struct Subcommand: Sendable {
    /// The command's interface; its `name` is the one word that selects it (`train`).
    public var interface: CommandInterface
    /// The command's work, given its parsed command line.
    public var run: @Sendable (ParsedArguments) throws -> Void

    public init(_ interface: CommandInterface, run: @escaping @Sendable (ParsedArguments) throws -> Void) {
        self.interface = interface
        self.run = run
    }
}

/// A tool made of subcommands, such as `backprop`: it picks the subcommand named by the first word and
/// gives it the rest, parsed against its interface.
///
/// ```swift
/// let tool = CommandGroup(name: "mytool", abstract: "…", version: "1.0", subcommands: [hello])
/// runProgram { try tool.run($0) }
/// ```
///
/// Semantics:
/// - `tool --help`, `tool -h` and `tool help` give the tool's help; `tool help COMMAND` and
///   `tool COMMAND --help` the command's, generated from its interface (as `tool COMMAND`).
/// - `tool --version` and `tool version` give ``version`` (when there is one).
/// - No command (the error then holds the tool's help), or an unknown one (with the nearest name
///   suggested), is a ``CLIError/usage(_:)``.
/// - The subcommands are listed, and matched, in the order given; names are unique.
public struct CommandGroup: Sendable {
    /// The tool's name as typed (`backprop`).
    public var name: String
    /// One line: what the tool is.
    public var abstract: String
    /// Text after the list of commands.
    public var discussion: String
    /// What `--version` and `version` print; nil for neither.
    public var version: String?
    /// The commands, in the order the help lists them.
    public var subcommands: [Subcommand]

    public init(name: String, abstract: String, discussion: String = "", version: String? = nil,
                subcommands: [Subcommand]) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.version = version
        self.subcommands = subcommands
    }

    /// The subcommand selected by `word`, with its interface named as typed (`backprop train`).
    public func subcommand(named word: String) -> Subcommand? {
        guard var found = subcommands.first(where: { $0.interface.name == word }) else { return nil }
        found.interface = found.interface.within(name)
        return found
    }

    /// The tool's help: its abstract, usage and every subcommand's abstract.
    public var help: String {
        var rows = subcommands.map { ($0.interface.name, $0.interface.abstract) }
        if let version { rows.append(("version", "print the version (\(version))")) }
        rows.append(("help", "show this help, or a command's: '\(name) help COMMAND'"))
        var sections = [abstract, "USAGE: \(name) <command> [options]", "COMMANDS:\n" + CommandInterface.table(rows)]
        if !discussion.isEmpty { sections.append(discussion) }
        sections.append("Run '\(name) <command> --help' for a command's options.")
        return sections.joined(separator: "\n\n")
    }

    /// Runs the subcommand named by `words[0]` with the rest of `words`.
    ///
    /// - Throws: ``CleanExit`` for help and version, ``CLIError/usage(_:)`` for a missing or unknown
    ///   command or a command line its interface rejects, and whatever the subcommand throws.
    public func run(_ words: [String]) throws {
        let commandNames = subcommands.map(\.interface.name)
        guard let word = words.first else {
            throw CLIError.usage("name a command: \(commandNames.joined(separator: ", ")).\n\n\(help)")
        }
        switch word {
        case "--help", "-h", "help":
            if word == "help", words.count > 1 {
                guard let subcommand = subcommand(named: words[1]) else { throw unknownCommand(words[1]) }
                throw CleanExit.help(subcommand.interface.help)
            }
            throw CleanExit.help(help)
        case "--version", "version":
            guard let version else { throw unknownCommand(word) }
            throw CleanExit.version(version)
        default:
            guard let subcommand = subcommand(named: word) else { throw unknownCommand(word) }
            try subcommand.run(try subcommand.interface.parse(Array(words.dropFirst())))
        }
    }

    func unknownCommand(_ word: String) -> CLIError {
        let known = subcommands.map(\.interface.name) + ["help"] + (version == nil ? [] : ["version"])
        let hint = nearest(to: word.hasPrefix("-") ? String(word.drop { $0 == "-" }) : word, in: known)
            .map { " Did you mean '\($0)'?" } ?? ""
        return .usage("unknown command '\(word)' for '\(name)'.\(hint) See '\(name) --help'.")
    }
}
