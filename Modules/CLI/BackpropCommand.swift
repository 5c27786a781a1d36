import BackpropCommandLine
import Backprop
import Foundation

/// The `backprop` command line: train, check gradients, preview schedules, search λ, benchmark.
@main
enum BackpropCommand {
    static let help = """
    Backprop — train and understand small neural networks, from scratch in Swift.

    USAGE: backprop <command> [options]

    COMMANDS:
      train       train one experiment from a JSON file and write its report
      search      coarse-to-fine search of the L2 strength λ (parallel, resumable, shardable)
      gradcheck   compare analytic and numerical gradients (Double precision)
      schedule    print (and plot) the learning rate of a schedule, step by step
      bench       time the matrix product and a training epoch (release build)

    Run 'backprop <command> --help' for a command's options.
    """

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else {
            print(help)
            exit(64)
        }
        arguments.removeFirst()
        let commands: [String: (help: String, run: ([String]) throws -> Void)] = [
            "train": (TrainCommand.help, TrainCommand.run),
            "search": (SearchCommand.help, SearchCommand.run),
            "gradcheck": (GradientCheckCommand.help, GradientCheckCommand.run),
            "schedule": (ScheduleCommand.help, ScheduleCommand.run),
            "bench": (BenchCommand.help, BenchCommand.run),
        ]
        if command == "--help" || command == "-h" || command == "help" {
            print(help)
            return
        }
        guard let entry = commands[command] else {
            let hint = nearest(to: command, in: Array(commands.keys)).map { " Did you mean '\($0)'?" } ?? ""
            fail("unknown command '\(command)'.\(hint) Commands: \(commands.keys.sorted().joined(separator: ", "))", code: 64)
        }
        if arguments.contains("--help") || arguments.contains("-h") {
            print(entry.help)
            return
        }
        do {
            try entry.run(arguments)
        } catch let error as CLIError {
            fail(error.description, code: error.exitCode)
        } catch {
            fail("\(error)", code: 1)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Foundation.Data("error: \(message)\n".utf8))
        exit(code)
    }
}
