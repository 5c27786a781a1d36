import Backprop
import BackpropCommandLine

/// The `backprop` command line: train, check gradients, preview schedules, search λ, benchmark.
@main
enum BackpropCommand {
    /// The tool: each subcommand's interface and body, in the order `backprop --help` lists them.
    static let tool = CommandGroup(
        name: "backprop",
        abstract: "Backprop — train and understand small neural networks, from scratch in Swift.",
        version: BackpropVersion.current,
        subcommands: [
            TrainCommand.subcommand,
            SearchCommand.subcommand,
            GradientCheckCommand.subcommand,
            ScheduleCommand.subcommand(registry: PluginRegistries.standard.schedules),
            BenchCommand.subcommand,
        ])

    static func main() {
        runProgram { try tool.run($0) }
    }
}
