import BackpropCommandLine
import Foundation
import Testing

/// A command with one argument of every kind, as a user's command would declare them.
let toolRun = CommandInterface(
    name: "tool run",
    abstract: "Run something.",
    discussion: "Longer text.",
    arguments: [
        .positional("input", value: "INPUT", help: "the input"),
        .option("epochs", value: "N", help: "epochs", default: "40"),
        .option("rate", value: "R", help: "learning rate"),
        .option("seed", value: "N", help: "seed"),
        .option("out", value: "DIR", help: "where to write", default: "runs"),
        .option("stage", value: "S", help: "coarse, fine or all", default: "all"),
        .repeatedOption("merge", value: "DIR", help: "a directory to join;\nrepeatable"),
        .flag("quiet", help: "no progress line"),
    ],
    version: "1.2.3")

enum Stage: String, CaseIterable { case coarse, fine, all }

/// The usage error `body` throws; nil (and a recorded issue) when it throws something else or nothing.
func usageError(_ body: () throws -> Void) -> String? {
    do {
        try body()
        Issue.record("no error")
    } catch let CLIError.usage(text) {
        return text
    } catch {
        Issue.record("not a usage error: \(error)")
    }
    return nil
}

@Suite("The argument parser")
struct CommandInterfaceTests {
    @Test("every kind of argument, in both spellings of a value")
    func kinds() throws {
        let parsed = try toolRun.parse([
            "in.json", "--epochs=3", "--rate", "0.5", "--quiet", "--merge", "a", "--merge=b", "--seed", "7",
        ])
        #expect(try parsed.value("input", as: String.self) == "in.json")
        #expect(try parsed.value("epochs", as: Int.self) == 3)
        #expect(try parsed.value("rate", as: Double.self) == 0.5)
        #expect(try parsed.value("seed", as: UInt64.self) == 7)
        #expect(try parsed.values("merge", as: String.self) == ["a", "b"])
        #expect(parsed.flag("quiet"))
        #expect(parsed.otherOptions.isEmpty)
    }

    @Test("defaults are read as a given word would be, and absent values are nil")
    func defaults() throws {
        let parsed = try toolRun.parse([])
        #expect(try parsed.value("epochs", as: Int.self) == 40)
        #expect(!parsed.isGiven("epochs"))
        #expect(try parsed.value("out", as: URL.self) == URL(fileURLWithPath: "runs"))
        #expect(try parsed.choice("stage", as: Stage.self) == .all)
        #expect(try parsed.value("rate", as: Double.self) == nil)
        #expect(try parsed.value("input", as: String.self) == nil)
        #expect(try parsed.values("merge", as: String.self).isEmpty)
        #expect(!parsed.flag("quiet"))
        #expect(try parsed.required("epochs", as: Int.self) == 40)
        #expect(usageError { _ = try parsed.required("rate", as: Double.self) }
            == "missing option '--rate R'. See 'tool run --help'.")
    }

    @Test("a value that does not read as its type is an error naming the option, its type and the word")
    func typedErrors() throws {
        #expect(usageError { _ = try toolRun.parse(["--epochs", "ten"]).value("epochs", as: Int.self) }
            == "--epochs must be a whole number, got 'ten'. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--seed", "-1"]).value("seed", as: UInt64.self) }
            == "--seed must be a non-negative whole number, got '-1'. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--rate", "inf"]).value("rate", as: Double.self) }
            == "--rate must be a finite number, got 'inf'. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--out="]).value("out", as: URL.self) }
            == "--out must be a path, got ''. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--stage", "corse"]).choice("stage", as: Stage.self) }
            == "--stage must be one of coarse, fine, all, got 'corse'. Did you mean 'coarse'? See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--epochs", "0"]).required("epochs", as: Int.self, where: { $0 >= 1 }, must: "be at least 1") }
            == "--epochs must be at least 1, got '0'. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--merge", "x", "--merge", "y"]).values("merge", as: Int.self) }
            == "--merge must be a whole number, got 'x'. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--seed", "3/0"]).value("seed", must: "be K/N") { _ -> Int? in nil } }
            == "--seed must be K/N, got '3/0'. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["x"]).value("input", as: Int.self) }
            == "INPUT must be a whole number, got 'x'. See 'tool run --help'.")
    }

    @Test("asking for an undeclared name is a failure, not 'not given'")
    func undeclared() throws {
        #expect(throws: CLIError.failed("'epoch' is not an argument of 'tool run' (a bug in the command)")) {
            try toolRun.parse([]).value("epoch", as: Int.self)
        }
    }

    @Test("an unknown option is an error suggesting the nearest declared one")
    func unknownOptions() {
        #expect(usageError { _ = try toolRun.parse(["--epoch", "3"]) }
            == "unknown option '--epoch' for 'tool run'. Did you mean '--epochs'? See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--qiet"]) }
            == "unknown option '--qiet' for 'tool run'. Did you mean '--quiet'? See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--stge=all"]) }
            == "unknown option '--stge' for 'tool run'. Did you mean '--stage'? See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["-epochs", "3"]) }
            == "unknown option '-epochs' for 'tool run'. Did you mean '--epochs'? See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--completely-different"]) }
            == "unknown option '--completely-different' for 'tool run'. See 'tool run --help'.")
        // A positional's name is not an option.
        #expect(usageError { _ = try toolRun.parse(["--input", "x"]) }?.hasPrefix("unknown option '--input'") == true)
    }

    @Test("mistakes in the shape of the command line name the option")
    func shapeErrors() {
        #expect(usageError { _ = try toolRun.parse(["--epochs"]) }
            == "option '--epochs' needs a value. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--epochs", "--quiet"]) }
            == "option '--epochs' needs a value. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--epochs", "1", "--epochs=2"]) }
            == "option '--epochs' is given twice. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--quiet=yes"]) }
            == "'--quiet' is a flag and takes no value. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["a", "b"]) }
            == "unexpected argument 'b' for 'tool run'. See 'tool run --help'.")
        let required = CommandInterface(name: "r", abstract: "", arguments: [
            .positional("name", value: "NAME", help: "", required: true),
            .option("config", value: "FILE", help: "", required: true),
        ])
        #expect(usageError { _ = try required.parse(["--config", "c"]) } == "missing argument 'NAME'. See 'r --help'.")
        #expect(usageError { _ = try required.parse(["n"]) } == "missing option '--config FILE'. See 'r --help'.")
        #expect(required.usage == "USAGE: r NAME --config FILE")
    }

    @Test("-- ends the options; a value may start with one dash, not two")
    func doubleDash() throws {
        let parsed = try toolRun.parse(["--epochs", "-1", "--", "--help"])
        #expect(try parsed.value("epochs", as: Int.self) == -1)
        #expect(try parsed.value("input", as: String.self) == "--help")
        #expect(try toolRun.parse(["--", "--quiet"]).flag("quiet") == false)
        #expect(try toolRun.parse(["-2.5"]).value("input", as: Double.self) == -2.5)
        #expect(try toolRun.parse(["-"]).value("input", as: String.self) == "-")
        #expect(usageError { _ = try toolRun.parse(["--rate", "--", "1"]) } == "option '--rate' needs a value. See 'tool run --help'.")
        #expect(usageError { _ = try toolRun.parse(["--", "a", "b"]) } == "unexpected argument 'b' for 'tool run'. See 'tool run --help'.")
    }

    @Test("--help and -h throw the generated help, --version the version, wherever they are before --")
    func helpAndVersion() {
        #expect(throws: CleanExit.help(toolRun.help)) { try toolRun.parse(["--epochs", "x", "--help"]) }
        #expect(throws: CleanExit.help(toolRun.help)) { try toolRun.parse(["-h", "--unknown"]) }
        #expect(throws: CleanExit.version("1.2.3")) { try toolRun.parse(["--version"]) }
        let unversioned = CommandInterface(name: "plain", abstract: "", arguments: [])
        #expect(usageError { _ = try unversioned.parse(["--version"]) }
            == "unknown option '--version' for 'plain'. See 'plain --help'.")
        #expect(!unversioned.help.contains("--version"))
    }

    @Test("the help is generated from the declarations: every argument, its value, help and default")
    func help() {
        let help = toolRun.help
        #expect(help.hasPrefix("Run something.\n\nUSAGE: tool run [INPUT] [--epochs N] [--rate R] [--seed N] [--out DIR]"
            + " [--stage S] [--merge DIR ...] [--quiet]\n\nLonger text.\n\nARGUMENTS:\n  INPUT"))
        for argument in toolRun.arguments {
            #expect(help.contains(argument.spelling), "\(argument.spelling)")
            #expect(help.contains(argument.help.split(separator: "\n")[0]), "\(argument.name)")
        }
        #expect(help.contains("  --epochs N   epochs (default: 40)\n"))
        // A help of two lines goes on in the same column.
        #expect(help.contains("  --merge DIR  a directory to join;\n               repeatable\n"))
        #expect(help.contains("  --version    print the version (1.2.3)\n"))
        #expect(help.hasSuffix("\n  -h, --help   show this help"))
    }

    @Test("undeclared options are kept in order when the command declares otherOptions")
    func otherOptions() throws {
        let open = CommandInterface(name: "open", abstract: "", arguments: [
            .positional("name", value: "NAME", help: ""),
            .option("steps", value: "N", help: ""),
            .otherOptions(help: "parameters"),
        ])
        let parsed = try open.parse(["--eta-min", "1e-5", "tri", "--steps", "9", "--gamma=-1", "--eta-min", "2"])
        #expect(parsed.otherOptions == [
            .init(name: "eta-min", value: "1e-5"), .init(name: "gamma", value: "-1"), .init(name: "eta-min", value: "2"),
        ])
        #expect(try parsed.value("steps", as: Int.self) == 9)
        #expect(try parsed.value("name", as: String.self) == "tri")
        #expect(usageError { _ = try open.parse(["--gamma"]) } == "option '--gamma' needs a value. See 'open --help'.")
        #expect(usageError { _ = try open.parse(["-g", "1"]) }?.hasPrefix("unknown option '-g'") == true)
        #expect(open.help.contains("--KEY VALUE  parameters"))
        #expect(open.usage == "USAGE: open [NAME] [--steps N] [--KEY VALUE ...]")
    }

    @Test("a command within a tool is named, in errors and help, as typed")
    func within() {
        let train = CommandInterface(name: "train", abstract: "", arguments: []).within("backprop")
        #expect(train.name == "backprop train")
        #expect(usageError { _ = try train.parse(["--x"]) } == "unknown option '--x' for 'backprop train'. See 'backprop train --help'.")
        #expect(train.usage == "USAGE: backprop train")
    }
}

@Suite("docs/adding-a-schedule.md")
struct AddingAScheduleDocTests {
    @Test("the command-of-one's-own snippet compiles and does what the text says")
    func commandSnippet() throws {
        let preview = CommandInterface(
            name: "preview", abstract: "Print the first rates of cosine_restarts.",
            arguments: [.option("steps", value: "N", help: "steps to print", default: "10")])
        let arguments = try preview.parse(["--steps", "3"])
        let steps = try arguments.required("steps", as: Int.self)   // 3; `preview --help` lists --steps
        #expect(steps == 3)
        #expect(preview.help.contains("  --steps N   steps to print (default: 10)\n"))
    }
}
