import Backprop
import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

@Suite("The backprop command line")
struct BackpropCommandTests {
    @Test("backprop --version and backprop version print BackpropVersion.current")
    func version() {
        #expect(BackpropVersion.current.split(separator: ".").count == 3)
        #expect(throws: CleanExit.version(BackpropVersion.current)) { try BackpropTool().commands.run(["--version"]) }
        #expect(throws: CleanExit.version(BackpropVersion.current)) { try BackpropTool().commands.run(["version"]) }
    }

    @Test("the tool's help lists every command, and every command's help each of its declared arguments once")
    func everyHelpListsEveryArgument() throws {
        let names = BackpropTool().commands.subcommands.map(\.interface.name)
        #expect(names == ["train", "evaluate", "predict", "compare", "runs", "search", "gradcheck", "schedule", "lr-range", "bench"])
        for name in names {
            #expect(BackpropTool().commands.help.contains("\n  \(name) "), "\(name)")
            let interface = try #require(BackpropTool().commands.subcommand(named: name)).interface
            #expect(interface.help.hasPrefix("\(interface.abstract)\n\nUSAGE: backprop \(name)"))
            #expect(throws: CleanExit.help(interface.help)) { try BackpropTool().commands.run([name, "--help"]) }
            let declared = interface.arguments.map(\.name).filter { !$0.isEmpty }
            #expect(Set(declared).count == declared.count, "\(name) declares a name twice")
            for argument in interface.arguments {
                let listed = interface.help.split(separator: "\n").filter { $0.hasPrefix("  \(argument.spelling) ") }
                #expect(listed.count == 1, "\(name): \(argument.spelling)")
                #expect(interface.usage.contains(argument.spelling), "\(name): \(argument.spelling)")
            }
        }
    }

    @Test("the command lines CI and the README use are accepted")
    func documentedCommandLines() throws {
        let lines: [[String]] = [
            ["gradcheck"],
            ["bench", "--compare-numpy", "--quick"],
            ["bench", "--epoch-only", "--threads", "1"],
            ["train", "--config", "Examples/configs/fashion-mnist.json", "--out", "o", "--quiet"],
            ["train", "--config", "c.json", "--download"],
            ["search", "--config", "s.json", "--data", "d", "--stage", "coarse", "--shard", "1/2", "--parallel", "2"],
            ["search", "--config", "s.json", "--merge", "a", "--merge", "b"],
            ["schedule", "triangular", "--eta-min", "1e-5", "--eta-max", "0.1", "--step-size", "500", "--steps", "2000",
             "--plot", "lr.svg"],
        ]
        for line in lines {
            let subcommand = try #require(BackpropTool().commands.subcommand(named: line[0]))
            #expect(throws: Never.self, "\(line)") { try subcommand.interface.parse(Array(line.dropFirst())) }
        }
    }

    @Test("bad values name the option before any work is done")
    func badValues() {
        #expect(usageError { try BackpropTool().commands.run(["bench", "--threads", "3"]) }
            == "--threads must be 1 or 2, got '3'. See 'backprop bench --help'.")
        #expect(usageError { try BackpropTool().commands.run(["gradcheck", "--threshold", "0"]) }
            == "--threshold must be positive, got '0'. See 'backprop gradcheck --help'.")
        #expect(usageError { try BackpropTool().commands.run(["search", "--config", "missing.json", "--stage", "fin"]) }
            == "--stage must be one of coarse, fine, random, all, got 'fin'. Did you mean 'fine'? See 'backprop search --help'.")
        #expect(usageError { try BackpropTool().commands.run(["search", "--config", "missing.json", "--shard", "3/2"]) }
            == "--shard must be K/N with 1 ≤ K ≤ N, got '3/2'. See 'backprop search --help'.")
        #expect(usageError { try BackpropTool().commands.run(["train"]) }
            == "give the experiment with --config FILE, or a run to continue with --resume RUN_DIR. See 'backprop train --help'.")
        #expect(usageError { try BackpropTool().commands.run(["train", "--config", "c.json", "--progress", "bars"]) }
            == "--progress must be one of bar, lines, none, got 'bars'. Did you mean 'bar'? See 'backprop train --help'.")
        #expect(usageError { try BackpropTool().commands.run(["train", "--config", "c.json", "--quiet", "--progress", "lines"]) }
            == "--quiet and --progress lines contradict each other. See 'backprop train --help'.")
        #expect(usageError { try BackpropTool().commands.run(["train", "--resume", "r", "--checkpoint-every", "-1"]) }
            == "--checkpoint-every must be 0 or more, got '-1'. See 'backprop train --help'.")
        #expect(usageError { try BackpropTool().commands.run(["train", "--config", "c.json", "--seed", "x"]) }
            == "--seed must be a non-negative whole number, got 'x'. See 'backprop train --help'.")
    }

    @Test("a file to write must be in an existing directory: no tree of folders is created for a typo")
    func outputFilesNeedAnExistingDirectory() {
        let missing = "/tmp/backprop-no-such-dir-\(UInt32.random(in: 0...UInt32.max))/sub/lr.svg"
        #expect(usageError {
            try BackpropTool().commands.run(["schedule", "constant", "--eta", "0.1", "--steps", "3", "--plot", missing])
        } == "--plot must be a file path in an existing directory, got '\(missing)'. See 'backprop schedule --help'.")
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: missing).deletingLastPathComponent().path))
        #expect(usageError {
            try BackpropTool().commands.run(["schedule", "constant", "--eta", "0.1", "--steps", "3", "--plot", "/tmp"])
        } == "--plot must be a file path in an existing directory, got '/tmp'. See 'backprop schedule --help'.")
    }

    @Test("sizes too large for the machine are refused with the figure before anything is allocated")
    func sizesBeyondMemory() {
        let tool = BackpropTool()
        #expect { try tool.commands.run(["schedule", "constant", "--eta", "0.1", "--steps", "4000000000"]) } throws: {
            "\($0)".hasPrefix("'--steps' needs about 160 GB for a table of 4000000000 rates, more than the ")
        }
        #expect { try tool.commands.run(["bench", "--examples", "100000000000"]) } throws: {
            "\($0)".hasPrefix("'--examples' needs about 1.23 PB for 100000000000 synthetic examples")
        }
    }
}

@Suite("BackpropTool: the command line around a user's registries and commands")
struct BackpropToolCommandsTests {
    /// The standard registries plus a schedule only they know.
    var extended: PluginRegistries { .withFlatSchedule }

    @Test("schedule lists and builds the given registries' schedules; the standard tool does not know them")
    func schedules() throws {
        let help = try #require(BackpropTool(registries: extended).commands.subcommand(named: "schedule")).interface.help
        #expect(help.contains("flat"))
        let standard = try #require(BackpropTool().commands.subcommand(named: "schedule")).interface.help
        #expect(!standard.contains("flat"))
        try BackpropTool(registries: extended).run(["schedule", "flat", "--rate", "0.5", "--steps", "2"])
        #expect { try BackpropTool().run(["schedule", "flat", "--rate", "0.5", "--steps", "2"]) } throws: {
            ($0 as? CLIError)?.exitCode == 64 && "\($0)".contains("unknown schedule 'flat'")
        }
    }

    @Test("a command of one's own joins the built-in ones, with its help generated and listed")
    func extraCommand() throws {
        var tool = BackpropTool(registries: extended)
        tool.commands.subcommands.append(Subcommand(CommandInterface(
            name: "hello", abstract: "say hello", arguments: [.flag("loud", help: "in capitals")]
        )) { arguments in throw Received(command: "hello", count: arguments.flag("loud") ? 1 : 0) })
        #expect(tool.help.contains("\n  hello      say hello\n"))
        #expect(throws: Received(command: "hello", count: 1)) { try tool.run(["hello", "--loud"]) }
        #expect(usageError { try tool.run(["hello", "--lod"]) }
            == "unknown option '--lod' for 'backprop hello'. Did you mean '--loud'? See 'backprop hello --help'.")
    }
}
