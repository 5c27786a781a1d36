import Backprop
import Foundation

/// The `backprop` command line as a value: its commands, run with the plug-in registries it is given.
///
/// The `backprop` executable is `BackpropTool(registries: .standard).main()`. A package that adds
/// plug-ins builds its own `backprop` in a few lines, and `train`, `search` and `schedule` then know its
/// plug-ins by name, in JSON experiments and on the command line alike:
///
/// ```swift
/// import Backprop
/// import BackpropCommandLine
///
/// @main enum MyBackprop {
///     static func main() {
///         var registries = PluginRegistries.standard
///         registries.schedules.register("cosine_restarts") { try CosineRestartsSchedule(options: &$0) }
///         BackpropTool(registries: registries).main()
///     }
/// }
/// ```
///
/// Semantics:
/// - Every command runs with `registries`: `train` and `search` build the experiment's schedule,
///   regularisers and augmentations from them, and `schedule` previews and lists their schedules.
///   `gradcheck` and `bench` check and time the built-in models and use no plug-ins.
/// - `run(_:)` throws (`CLIError` for usage errors) and never exits; `main()` reads
///   `CommandLine.arguments` and turns an error into a message on standard error and a non-zero exit
///   status (64 for a usage error, 1 otherwise) through `runProgram`.
public struct BackpropTool: Sendable {
    /// The plug-ins the commands know by name.
    public var registries: PluginRegistries

    /// A command line whose commands use `registries`.
    public init(registries: PluginRegistries = .standard) {
        self.registries = registries
    }

    /// Runs the command named by the process's arguments; on an error, prints it and exits non-zero.
    public func main() {
        runProgram { try run($0) }
    }

    /// Runs the command named by `arguments` (the process's arguments without the program name).
    ///
    /// - Throws: `CLIError.usage` when no command or an unknown one is named, and whatever the
    ///   command throws.
    public func run(_ arguments: [String]) throws {
        guard let name = arguments.first else { throw CLIError.usage("name a command.\n\n\(help)") }
        if ["--help", "-h", "help"].contains(name) {
            print(help)
            return
        }
        guard let command = Self.commands.first(where: { $0.name == name }) else {
            let names = Self.commands.map(\.name)
            let hint = nearest(to: name, in: names).map { " Did you mean '\($0)'?" } ?? ""
            throw CLIError.usage("unknown command '\(name)'.\(hint) Commands: \(names.sorted().joined(separator: ", "))")
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            print(command.help(registries))
            return
        }
        try command.run(rest, registries)
    }

    /// The overview `backprop --help` prints.
    public var help: String {
        let width = Self.commands.map(\.name.count).max() ?? 0
        let lines = Self.commands.map {
            "  " + $0.name + String(repeating: " ", count: width - $0.name.count + 3) + $0.summary
        }
        return """
            Backprop — train and understand small neural networks, from scratch in Swift.

            USAGE: backprop <command> [options]

            COMMANDS:
            \(lines.joined(separator: "\n"))

            Run 'backprop <command> --help' for a command's options.
            """
    }

    /// One sub-command: its name, a line for the overview, its help and its body.
    struct Command: Sendable {
        var name: String
        var summary: String
        var help: @Sendable (PluginRegistries) -> String
        var run: @Sendable ([String], PluginRegistries) throws -> Void
    }

    /// The commands, in the order the overview lists them.
    static let commands: [Command] = [
        Command(name: "train", summary: "train one experiment from a JSON file and write its report",
                help: { _ in TrainCommand.help }, run: TrainCommand.run),
        Command(name: "search", summary: "coarse-to-fine search of the L2 strength λ (parallel, resumable, shardable)",
                help: { _ in SearchCommand.help }, run: SearchCommand.run),
        Command(name: "gradcheck", summary: "compare analytic and numerical gradients (Double precision)",
                help: { _ in GradientCheckCommand.help }, run: GradientCheckCommand.run),
        Command(name: "schedule", summary: "print (and plot) the learning rate of a schedule, step by step",
                help: ScheduleCommand.help, run: ScheduleCommand.run),
        Command(name: "bench", summary: "time the matrix product and a training epoch (release build)",
                help: { _ in BenchCommand.help }, run: BenchCommand.run),
    ]
}
