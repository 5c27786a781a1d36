import Foundation

/// Runs a command-line program's body with its arguments, turning a thrown error into a message on
/// standard error and a non-zero exit: 64 for a usage error, 1 for anything else.
///
/// ```swift
/// @main enum Tool { static func main() { runProgram(run) } }
/// ```
public func runProgram(_ body: ([String]) throws -> Void) {
    do {
        try body(Array(CommandLine.arguments.dropFirst()))
    } catch {
        FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
        exit((error as? CLIError)?.exitCode ?? 1)
    }
}
