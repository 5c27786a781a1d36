import BackpropCommandLine
import Testing

/// What a subcommand received, thrown so that the test can see it.
struct Received: Error, Equatable {
    var command: String
    var count: Int?
}

let group = CommandGroup(
    name: "tool", abstract: "A tool.", version: "2.0",
    subcommands: [
        Subcommand(CommandInterface(name: "train", abstract: "train it", arguments: [
            .option("count", value: "N", help: "how many"),
        ])) { throw Received(command: $0.interface.name, count: try $0.value("count", as: Int.self)) },
        Subcommand(CommandInterface(name: "bench", abstract: "time it", arguments: [])) { _ in
            throw Received(command: "bench", count: nil)
        },
    ])

@Suite("A tool of subcommands")
struct CommandGroupTests {
    @Test("the first word picks the subcommand, which gets the rest parsed, under its full name")
    func dispatch() {
        #expect(throws: Received(command: "tool train", count: 3)) { try group.run(["train", "--count", "3"]) }
        #expect(throws: Received(command: "bench", count: nil)) { try group.run(["bench"]) }
        #expect(usageError { try group.run(["train", "--cont", "3"]) }
            == "unknown option '--cont' for 'tool train'. Did you mean '--count'? See 'tool train --help'.")
    }

    @Test("--version and version print the version")
    func version() {
        #expect(throws: CleanExit.version("2.0")) { try group.run(["--version"]) }
        #expect(throws: CleanExit.version("2.0")) { try group.run(["version"]) }
        let unversioned = CommandGroup(name: "t", abstract: "", subcommands: [])
        #expect(usageError { try unversioned.run(["--version"]) } == "unknown command '--version' for 't'. See 't --help'.")
    }

    @Test("help: the tool's lists every subcommand; a command's is generated from its interface")
    func help() throws {
        for words in [["--help"], ["-h"], ["help"]] {
            #expect(throws: CleanExit.help(group.help)) { try group.run(words) }
        }
        #expect(group.help.contains("  train    train it\n  bench    time it\n  version  print the version (2.0)\n"))
        let train = try #require(group.subcommand(named: "train"))
        #expect(train.interface.help.contains("USAGE: tool train [--count N]"))
        #expect(throws: CleanExit.help(train.interface.help)) { try group.run(["help", "train"]) }
        #expect(throws: CleanExit.help(train.interface.help)) { try group.run(["train", "--help"]) }
        #expect(usageError { try group.run(["help", "trian"]) }
            == "unknown command 'trian' for 'tool'. Did you mean 'train'? See 'tool --help'.")
    }

    @Test("no command, or an unknown one, is a usage error with the nearest name")
    func unknown() {
        #expect(usageError { try group.run([]) } == "name a command: train, bench.\n\n" + group.help)
        #expect(usageError { try group.run(["bnech"]) }
            == "unknown command 'bnech' for 'tool'. Did you mean 'bench'? See 'tool --help'.")
        #expect(usageError { try group.run(["--versoin"]) }
            == "unknown command '--versoin' for 'tool'. Did you mean 'version'? See 'tool --help'.")
    }
}

@Suite("The one exit path")
struct ProgramExitTests {
    @Test("help and version on standard output with status 0, usage errors 64, anything else 1")
    func statuses() {
        #expect(ProgramExit(for: CleanExit.help("HELP")) == ProgramExit(text: "HELP", toStandardError: false, status: 0))
        #expect(ProgramExit(for: CleanExit.version("1.0")).status == 0)
        #expect(ProgramExit(for: CLIError.usage("bad")) == ProgramExit(text: "error: bad", toStandardError: true, status: 64))
        #expect(ProgramExit(for: CLIError.failed("no")) == ProgramExit(text: "error: no", toStandardError: true, status: 1))
        #expect(ProgramExit(for: Received(command: "x")).status == 1)
        #expect(ProgramExit(for: Received(command: "x")).text.hasPrefix("error: "))
    }
}
