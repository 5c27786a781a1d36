import Backprop

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
/// A command of one's own joins the built-in ones through ``commands``, declared with
/// ``CommandInterface`` as they are (its `--help` is generated from the declaration):
///
/// ```swift
/// var tool = BackpropTool(registries: registries)
/// tool.commands.subcommands.append(Subcommand(CommandInterface(
///     name: "hello", abstract: "say hello", arguments: [.flag("loud", help: "in capitals")]
/// )) { arguments in print(arguments.flag("loud") ? "HELLO" : "hello") })
/// tool.main()
/// ```
///
/// Semantics:
/// - Every command runs with `registries`: `train` and `search` build the experiment's schedule,
///   regularisers and augmentations from them, and `schedule` previews and lists their schedules.
///   `gradcheck` and `bench` check and time the built-in models and use no plug-ins.
/// - `backprop --version` and `backprop version` print ``BackpropVersion/current``.
/// - `run(_:)` throws (``CleanExit`` for help and version, ``CLIError`` for usage errors) and never
///   exits; `main()` reads `CommandLine.arguments` and ends through ``runProgram(_:)``.
public struct BackpropTool: Sendable {
    /// The plug-ins the built-in commands know by name.
    public let registries: PluginRegistries
    /// The tool's commands: the built-in ones with `registries`, and any a user appends.
    public var commands: CommandGroup

    /// A command line whose commands use `registries`.
    public init(registries: PluginRegistries = .standard) {
        self.registries = registries
        self.commands = CommandGroup(
            name: "backprop",
            abstract: "Backprop — train and understand small neural networks, from scratch in Swift.",
            version: BackpropVersion.current,
            subcommands: [
                TrainCommand.subcommand(registries: registries),
                EvaluateCommand.subcommand(registries: registries),
                PredictCommand.subcommand(registries: registries),
                CompareCommand.subcommand,
                RunsCommand.subcommand,
                SearchCommand.subcommand(registries: registries),
                GradientCheckCommand.subcommand,
                ScheduleCommand.subcommand(registries: registries),
                LRRangeCommand.subcommand(registries: registries),
                BenchCommand.subcommand,
            ])
    }

    /// Runs the command named by the process's arguments; on an error, prints it and exits non-zero.
    public func main() {
        runProgram { try run($0) }
    }

    /// Runs the command named by `arguments` (the process's arguments without the program name).
    public func run(_ arguments: [String]) throws {
        try commands.run(arguments)
    }

    /// The overview `backprop --help` prints.
    public var help: String { commands.help }
}
