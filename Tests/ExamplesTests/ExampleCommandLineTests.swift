import BackpropCommandLine
import Foundation
import Testing

@testable import Assignment1
@testable import Assignment2
@testable import CustomSchedule

/// The examples' command lines: declared once, so that `--help` lists exactly what is accepted.
@Suite struct ExampleCommandLineTests {
    static let examples: [(CommandInterface, @Sendable ([String]) throws -> Void)] = [
        (Assignment1.interface, { try Assignment1.run($0) }),
        (Assignment2.interface, { try Assignment2.run($0) }),
        (CustomSchedule.interface, { try CustomSchedule.run($0) }),
    ]

    @Test func helpIsGeneratedAndListsEveryDeclaredOption() throws {
        for (interface, run) in Self.examples {
            #expect(throws: CleanExit.help(interface.help)) { try run(["--help"]) }
            #expect(throws: CleanExit.help(interface.help)) { try run(["--quiet", "-h"]) }
            #expect(throws: CleanExit.version(BackpropVersion.current)) { try run(["--version"]) }
            // The old help told the user to run --help; the generated one just helps.
            #expect(!interface.help.contains("--help'"))
            #expect(interface.help.hasPrefix(interface.abstract + "\n\nUSAGE: \(interface.name) "))
            for argument in interface.arguments {
                #expect(interface.help.contains("\n  \(argument.spelling) "), "\(interface.name): \(argument.spelling)")
            }
        }
    }

    @Test func theOptionsUsersRelyOnAreDeclared() {
        // README, CI (.ci/run) and these tests call the examples with these options.
        let relied = [
            "Assignment1": ["data", "download", "out", "epochs", "seed", "parallel", "quiet"],
            "Assignment2": ["data", "download", "out", "seed", "parallel", "quick", "quiet"],
            "CustomSchedule": ["data", "out", "seed", "quiet", "preview"],
        ]
        for (interface, _) in Self.examples {
            let declared = Set(interface.arguments.map(\.name))
            for name in relied[interface.name] ?? [] {
                #expect(declared.contains(name), "\(interface.name) --\(name)")
            }
        }
    }

    @Test func mistakesAreUsageErrorsNamingTheOption() {
        #expect(throws: CLIError.usage(
            "unknown option '--epoch' for 'Assignment1'. Did you mean '--epochs'? See 'Assignment1 --help'.")) {
            try Assignment1.run(["--epoch", "2"])
        }
        #expect(throws: CLIError.usage("--parallel must be at least 1, got '0'. See 'Assignment2 --help'.")) {
            try Assignment2.run(["--parallel", "0"])
        }
        #expect(throws: CLIError.usage("--preview must be a positive number of steps, got '0'. See 'CustomSchedule --help'.")) {
            try CustomSchedule.run(["--preview", "0"])
        }
        #expect(throws: CLIError.usage("unexpected argument 'extra' for 'CustomSchedule'. See 'CustomSchedule --help'.")) {
            try CustomSchedule.run(["extra"])
        }
    }
}
