import Foundation

/// A request to stop early and successfully: `--help` or `--version`. ``runProgram(_:)`` prints the
/// text on standard output and exits with status 0.
public enum CleanExit: Error, Equatable, CustomStringConvertible {
    case help(String)
    case version(String)

    public var description: String {
        switch self {
        case .help(let text), .version(let text): text
        }
    }
}

/// How a program ends for a thrown error: the text and where it goes, and the exit status.
///
/// Semantics:
/// - ``CleanExit``: its text on standard output, status 0.
/// - ``CLIError``: `error: …` on standard error, status 64 for a usage error and 1 for a failure.
/// - Any other error (a `ConfigurationError`, a file that cannot be read): `error: …`, status 1.
public struct ProgramExit: Equatable, Sendable {
    /// What is printed: the help or version, or `error: …`.
    public var text: String
    /// Where it is printed: standard error for an error, standard output otherwise.
    public var toStandardError: Bool
    /// The process's exit status.
    public var status: Int32

    public init(text: String, toStandardError: Bool, status: Int32) {
        self.text = text
        self.toStandardError = toStandardError
        self.status = status
    }

    public init(for error: any Error) {
        switch error {
        case let exit as CleanExit:
            self.text = exit.description
            self.toStandardError = false
            self.status = 0
        case let error as CLIError:
            self.text = "error: \(error)"
            self.toStandardError = true
            self.status = error.exitCode
        default:
            self.text = "error: \(error)"
            self.toStandardError = true
            self.status = 1
        }
    }
}

/// Runs a command-line program's body with the process's arguments (without the program's name): the one
/// way every Backprop executable ends on an error, `--help` or `--version` (see ``ProgramExit``).
///
/// ```swift
/// @main enum Tool { static func main() { runProgram(run) } }
/// ```
///
/// Standard output is line-buffered even when it is a file or a pipe (the C library's default there is
/// a 4 KB block), so that a run's log redirected to a file holds every finished line when the run is
/// killed.
public func runProgram(_ body: ([String]) throws -> Void) {
    lineBufferStandardOutput()
    do {
        try body(Array(CommandLine.arguments.dropFirst()))
    } catch {
        let exit = ProgramExit(for: error)
        if exit.toStandardError {
            FileHandle.standardError.write(Foundation.Data((exit.text + "\n").utf8))
        } else {
            print(exit.text)  // after the body's own output, which `print` may still hold in its buffer
        }
        Foundation.exit(exit.status)
    }
}
