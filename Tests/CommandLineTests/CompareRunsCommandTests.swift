import Backprop
import Foundation
import Testing

@testable import BackpropCommandLine

@Suite("backprop compare and backprop runs")
struct CompareRunsCommandTests {
    /// A fresh folder with a finished run directory in it, as `RunReport.write` lays out the files read.
    func folderWithARun(_ name: String = "r-20261204-101500") throws -> (base: URL, run: URL) {
        let base = FileManager.default.temporaryDirectory.appending(path: "compare-command-\(UUID().uuidString)")
        let run = base.appending(path: name)
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let metrics: JSONValue = [
            "name": "r", "test_accuracy": 0.25, "train_accuracy": 0.5, "validation_accuracy": 0.3, "final_cost": 2,
            "steps": 4, "diverged_at_step": .null, "stopped": .null, "config": ["training": ["batch_size": 10]],
        ]
        try metrics.prettyJSONText.write(to: run.appending(path: "metrics.json"), atomically: true, encoding: .utf8)
        try "step,learning_rate,train_loss\n0,0.1,2\n1,0.1,\n2,0.1,1.5\n"
            .write(to: run.appending(path: "history.csv"), atomically: true, encoding: .utf8)
        return (base, run)
    }

    @Test("a repeated positional takes every word left after the positionals before it, in order")
    func repeatedPositional() throws {
        let interface = CommandInterface(name: "t", abstract: "", arguments: [
            .positional("first", value: "A", help: "", required: true),
            .repeatedPositional("rest", value: "B", help: "more"),
            .flag("quiet", help: ""),
        ])
        #expect(interface.usage == "USAGE: t A [B ...] [--quiet]")
        #expect(interface.help.contains("\n  B  more"))
        let parsed = try interface.parse(["a", "b", "--quiet", "c", "--", "--d"])
        #expect(try parsed.value("first", as: String.self) == "a")
        #expect(try parsed.values("rest", as: String.self) == ["b", "c", "--d"])
        #expect(try interface.parse(["a"]).values("rest", as: String.self).isEmpty)
    }

    @Test("compare takes any number of run directories and --out; none is a usage error")
    func compareArguments() throws {
        let interface = CompareCommand.interface
        #expect(interface.usage == "USAGE: compare RUN_DIR ... [--out FILE]")
        let parsed = try interface.parse(["a", "b", "--out", "x.html", "c"])
        #expect(try parsed.values("runs", as: String.self) == ["a", "b", "c"])
        #expect(try parsed.value("out", as: String.self) == "x.html")
        #expect(usageError { try BackpropTool().commands.run(["compare"]) }
            == "missing argument 'RUN_DIR'. See 'backprop compare --help'.")
        #expect(usageError { try BackpropTool().commands.run(["compare", "a", "--out", "/no/such/folder/x.html"]) }?
            .hasPrefix("--out must be a file path in an existing directory") == true)
        #expect(ProgramExit(for: CLIError.usage("x")).status == 64)
    }

    @Test("compare writes the page; a folder that is not a run is a failure naming it (exit status 1)")
    func compareRuns() throws {
        let (base, run) = try folderWithARun()
        defer { try? FileManager.default.removeItem(at: base) }
        let out = base.appending(path: "compare.html")
        try BackpropTool().run(["compare", run.path, run.path, "--out", out.path])
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.contains("Backprop: 2 runs compared"))
        #expect(html.contains(">r-20261204-101500 (2)</text>"))

        let plain = base.appending(path: "plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        do {
            try BackpropTool().run(["compare", run.path, plain.path, "--out", out.path])
            Issue.record("no error")
        } catch let error as CLIError {
            #expect(error.exitCode == 1)
            #expect(error.description.contains(plain.path) && error.description.contains("not a run directory"))
        }
    }

    @Test("runs takes an optional folder, lists its runs and writes index.html there")
    func runs() throws {
        let interface = RunsCommand.interface
        #expect(interface.usage == "USAGE: runs [DIR]")
        #expect(usageError { try BackpropTool().commands.run(["runs", "a", "b"]) }
            == "unexpected argument 'b' for 'backprop runs'. See 'backprop runs --help'.")
        let (base, _) = try folderWithARun()
        defer { try? FileManager.default.removeItem(at: base) }
        try BackpropTool().run(["runs", base.path])
        let html = try String(contentsOf: base.appending(path: "index.html"), encoding: .utf8)
        #expect(html.contains("1 run: 1 finished."))
        #expect(html.contains("25.00%"))
        do {
            try BackpropTool().run(["runs", base.appending(path: "absent").path])
            Issue.record("no error")
        } catch let error as CLIError {
            #expect(error.exitCode == 1 && error.description.contains("absent"))
        }
    }
}
