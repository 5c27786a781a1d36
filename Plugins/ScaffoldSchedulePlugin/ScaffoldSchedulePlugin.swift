import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory scaffold-schedule NAME`: writes a new schedule
/// module, registered as `NAME`, and its test target into the package, then prints the lines that add
/// both targets to `Package.swift`.
///
/// ```
/// swift package --allow-writing-to-package-directory scaffold-schedule warmup_linear
/// #   Sources/WarmupLinear/WarmupLinearSchedule.swift       the type, its options reader, its registration
/// #   Tests/WarmupLinearTests/WarmupLinearScheduleTests.swift
/// ```
///
/// Options: `--target T` (the module's name; default NAME in UpperCamelCase), `--sources DIR`
/// (default `Sources`), `--tests DIR` (default `Tests`), and `--print-package-lines`, which writes
/// nothing and prints only the lines for `Package.swift` (for scripts: `… >> Package.swift`).
/// Existing files are never overwritten.
@main
struct ScaffoldSchedulePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        do {
            let request = try ScaffoldRequest(arguments: arguments)
            let dependency = try Self.backpropDependency(of: context.package)
            let scaffold = ScheduleScaffold(request: request, backprop: dependency)
            if request.printPackageLinesOnly {
                print(scaffold.packageLines, terminator: "")
                return
            }
            let root = context.package.directoryURL
            let files = scaffold.files
            for file in files where FileManager.default.fileExists(atPath: root.appending(path: file.path).path) {
                throw ScaffoldError("\(file.path) already exists; choose another name or --target")
            }
            for file in files {
                let url = root.appending(path: file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
                print("wrote \(file.path)")
            }
            print("""

                Add the two targets to Package.swift: append these lines to it as they are (or move the two
                entries into its targets list). Then 'swift test' runs the new tests.

                \(scaffold.packageLines)
                """, terminator: "")
        } catch let error as ScaffoldError {
            Diagnostics.error(error.message)
        }
    }

    /// How the new targets name Backprop: the `Backprop` target when the scaffold runs in Backprop's
    /// own package, else the product of the dependency that provides it.
    ///
    /// The package is named as `Package.swift` already names it in a `.product(name: "Backprop", …)`,
    /// since a dependency declared with `.package(name:path:)` answers only to that name; failing that,
    /// by the dependency's identity (the last part of its URL or path).
    static func backpropDependency(of package: Package) throws -> String {
        if package.products.contains(where: { $0.name == "Backprop" }) { return "\"Backprop\"" }
        guard let dependency = package.dependencies.first(where: {
            $0.package.products.contains { $0.name == "Backprop" }
        }) else {
            throw ScaffoldError("""
                this package does not depend on Backprop; add it first, for example
                  .package(url: "https://…/Backprop.git", from: "1.0.0")   or   .package(path: "../Backprop")
                """)
        }
        let manifest = (try? String(contentsOf: package.directoryURL.appending(path: "Package.swift"), encoding: .utf8)) ?? ""
        let pattern = #/\.product\(\s*name:\s*"Backprop",\s*package:\s*"(?<name>[^"]+)"/#
        let name = manifest.firstMatch(of: pattern).map { String($0.output.name) } ?? dependency.package.id
        return ".product(name: \"Backprop\", package: \"\(name)\")"
    }
}

/// What the command line asked for.
struct ScaffoldRequest {
    /// The schedule's configuration name, `lower_snake_case`.
    var name: String
    var target: String
    var sources = "Sources"
    var tests = "Tests"
    var printPackageLinesOnly = false

    init(arguments: [String]) throws {
        var extractor = ArgumentExtractor(arguments)
        printPackageLinesOnly = extractor.extractFlag(named: "print-package-lines") > 0
        let target = extractor.extractOption(named: "target").last
        sources = extractor.extractOption(named: "sources").last ?? sources
        tests = extractor.extractOption(named: "tests").last ?? tests
        if let unknown = extractor.unextractedOptionsOrFlags.first {
            throw ScaffoldError("unknown option '\(unknown)'. Options: --target T, --sources DIR, --tests DIR, --print-package-lines")
        }
        let rest = extractor.remainingArguments
        guard rest.count == 1, let name = rest.first else {
            throw ScaffoldError("name the schedule once, in lower_snake_case: scaffold-schedule warmup_linear")
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard let first = name.first, first.isLetter, first.isLowercase, name.allSatisfy(allowed.contains) else {
            throw ScaffoldError("the schedule's name '\(name)' must be lower_snake_case (a–z, 0–9, _), starting with a letter")
        }
        self.name = name
        self.target = target ?? name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        guard let letter = self.target.first, letter.isLetter,
              self.target.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw ScaffoldError("--target '\(self.target)' is not a Swift module name")
        }
    }
}

/// A message for the user, printed as the plugin's error.
struct ScaffoldError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
