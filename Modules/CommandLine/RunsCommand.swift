import Backprop
import BackpropReports
import Foundation

/// `backprop runs [DIR]`.
enum RunsCommand {
    static let interface = CommandInterface(
        name: "runs",
        abstract: "list the runs in a folder, with their status, and write its index.html",
        discussion: """
            Lists every run directory under DIR (down to four levels, so the runs of Assignment2 and of λ
            searches too): its path, date, data, final test accuracy and status (finished, diverged at step N,
            stopped at step N: reason, in progress or interrupted, or unreadable: reason). Writes the same table
            as DIR/index.html, each run linked to its report.
            """,
        arguments: [
            .positional("dir", value: "DIR", help: "the folder the runs are in (default: runs)"),
        ])

    static let subcommand = Subcommand(interface) { try run($0) }

    static func run(_ args: ParsedArguments) throws {
        let typed = try args.value("dir", as: String.self) ?? "runs"
        let base = URL(fileURLWithPath: typed)
        let index: RunIndex
        do {
            index = try RunIndex.scan(base)
        } catch let error as ReportFileError {
            throw CLIError.failed("\(error)")
        }
        print(index.terminalTable(basePath: typed), terminator: "")
        print(try index.write(basePath: typed).path)
    }
}
