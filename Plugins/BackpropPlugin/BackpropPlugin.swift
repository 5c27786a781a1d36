import Foundation
import PackagePlugin

/// `swift package backprop <command> [options]`: runs the `backprop` tool from inside SwiftPM.
///
/// A thin bridge, as ArgumentParser's plugins are: it builds nothing itself and delegates to the
/// executable, so the command line has one implementation. Commands that write files (train, search)
/// need `--allow-writing-to-package-directory`.
@main
struct BackpropPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "BackpropCLI")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Diagnostics.error("backprop \(arguments.first ?? "") exited with status \(process.terminationStatus)")
            return
        }
    }
}
