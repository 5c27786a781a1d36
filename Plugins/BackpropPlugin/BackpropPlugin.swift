import Foundation
import PackagePlugin

/// `swift package backprop <command> [options]`: runs the `backprop` tool from inside SwiftPM.
///
/// A thin bridge, as ArgumentParser's plugins are: it asks SwiftPM to build the tool in the release
/// configuration (training in a debug build is some 40 times slower) and runs it with the arguments,
/// so the command line has one implementation. `--product NAME` runs another executable product built
/// on `BackpropTool` instead, such as a package's own `backprop` with its plug-ins. Commands that write
/// files (train, search) need `--allow-writing-to-package-directory`.
@main
struct BackpropPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var arguments = arguments
        let product = Self.extractProduct(from: &arguments) ?? "backprop"
        Diagnostics.progress("building \(product) (release; the first time takes a few minutes)")
        let build = try packageManager.build(
            .product(product), parameters: .init(configuration: .release, logging: .concise))
        guard build.succeeded else {
            print(build.logText)
            Diagnostics.error("building \(product) (release) failed")
            return
        }
        guard let tool = build.builtArtifacts.first(where: {
            $0.kind == .executable && $0.url.lastPathComponent == product
        }) else {
            Diagnostics.error("the release build of \(product) produced no executable named \(product)")
            return
        }
        let process = Process()
        process.executableURL = tool.url
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Diagnostics.error("\(product) \(arguments.first ?? "") exited with status \(process.terminationStatus)")
            return
        }
    }

    /// Removes `--product NAME` (or `--product=NAME`) from `arguments` and returns NAME.
    static func extractProduct(from arguments: inout [String]) -> String? {
        if let index = arguments.firstIndex(of: "--product"), index + 1 < arguments.count {
            let name = arguments[index + 1]
            arguments.removeSubrange(index...index + 1)
            return name
        }
        if let index = arguments.firstIndex(where: { $0.hasPrefix("--product=") }) {
            return String(arguments.remove(at: index).dropFirst("--product=".count))
        }
        return nil
    }
}
