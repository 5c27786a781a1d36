/// What a command accepts, declared once: its name, a one-line abstract, a longer discussion and its
/// arguments. ``parse(_:)`` reads a command line against it and ``help`` is generated from it, so an
/// option cannot be accepted without being documented, nor documented without being accepted.
///
/// ```swift
/// let interface = CommandInterface(
///     name: "Assignment1",
///     abstract: "The four experiments of DD2424 Assignment 1, one report.",
///     arguments: [
///         .option("data", value: "DIR", help: "where CIFAR-10 is"),
///         .option("epochs", value: "N", help: "epochs per experiment", default: "40"),
///         .flag("quiet", help: "no progress line"),
///     ])
/// let arguments = try interface.parse(["--data", "cifar", "--epochs=2"])
/// let epochs = try arguments.value("epochs", as: Int.self)   // 2
/// ```
///
/// Semantics:
/// - `--help` and `-h` (before `--`) make ``parse(_:)`` throw ``CleanExit/help(_:)`` with ``help``;
///   with a ``version``, `--version` throws ``CleanExit/version(_:)``. ``runProgram(_:)`` prints either
///   and exits with status 0.
/// - Every other mistake throws ``CLIError/usage(_:)`` naming the option and the command, with the
///   nearest declared option for a misspelt one.
/// - `help` and `version` are reserved names; a command need not declare them.
public struct CommandInterface: Sendable {
    /// The command as typed, e.g. `backprop train` (see ``within(_:)``) or `Assignment1`.
    public var name: String
    /// One line: what the command does. Shown first in the help and in a tool's list of commands.
    public var abstract: String
    /// Paragraphs after the usage line: what the command writes, examples.
    public var discussion: String
    public var arguments: [CommandArgument]
    /// The version `--version` prints; nil for no `--version`.
    public var version: String?

    public init(name: String, abstract: String, discussion: String = "", arguments: [CommandArgument],
                version: String? = nil) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.version = version
    }

    /// The same command under a parent: `train` within `backprop` is `backprop train`.
    public func within(_ parent: String) -> CommandInterface {
        var copy = self
        copy.name = "\(parent) \(name)"
        return copy
    }

    /// The declaration of the argument called `name`, if there is one.
    public func argument(named name: String) -> CommandArgument? {
        arguments.first { $0.name == name && $0.kind != .otherOptions }
    }

    // MARK: - Help

    /// `USAGE: name …`: positionals first, then required options, then the rest in declaration order.
    public var usage: String {
        let order: [CommandArgument] = arguments.filter(\.isPositional)
            + arguments.filter { !$0.isPositional && $0.isRequired }
            + arguments.filter { !$0.isPositional && !$0.isRequired }
        return (["USAGE: \(name)"] + order.map(\.usage)).joined(separator: " ")
    }

    /// The whole help: abstract, usage, discussion, then every argument with its help line and default.
    public var help: String {
        var sections = [abstract, usage]
        if !discussion.isEmpty { sections.append(discussion) }
        let positionals = arguments.filter(\.isPositional)
        if !positionals.isEmpty {
            sections.append("ARGUMENTS:\n" + Self.table(positionals.map { ($0.spelling, $0.helpLine) }))
        }
        var options = arguments.filter { !$0.isPositional }.map { ($0.spelling, $0.helpLine) }
        if let version { options.append(("--version", "print the version (\(version))")) }
        options.append(("-h, --help", "show this help"))
        sections.append("OPTIONS:\n" + Self.table(options))
        return sections.joined(separator: "\n\n")
    }

    /// Two columns, the second aligned (and continued) after the widest first one, up to 24 characters;
    /// a longer first column puts its text on the next line.
    static func table(_ rows: [(String, String)]) -> String {
        let width = min(24, rows.map(\.0.count).max() ?? 0) + 2
        let indent = String(repeating: " ", count: 2 + width)
        var lines: [String] = []
        for (left, text) in rows {
            let textLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if left.count + 2 > width {
                lines.append("  " + left)
                lines += textLines.map { indent + $0 }
            } else {
                let pad = String(repeating: " ", count: width - left.count)
                lines.append("  " + left + pad + (textLines.first ?? ""))
                lines += textLines.dropFirst().map { indent + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension CommandArgument {
    /// The help text, with the default appended when there is one.
    var helpLine: String {
        guard let defaultValue else { return help }
        return help + " (default: \(defaultValue))"
    }
}
