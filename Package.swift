// swift-tools-version:6.0
import PackageDescription

// MARK: - Layout
//
// Every library module lives in `Modules/<Folder>` and is named `Backprop<Folder>` so that no module
// shadows a Foundation type (`Data`) or its own main type (`Tensor`). Its tests live in
// `Tests/<Folder>Tests`. Adding a module and its test target is one line in `libraries`.

struct Library {
    let folder: String
    let dependencies: [Target.Dependency]
    var name: String { "Backprop\(folder)" }
}

let libraries: [Library] = [
    Library(folder: "Registry", dependencies: []),
    Library(folder: "Tensor", dependencies: ["CBackpropKernels"]),
    Library(folder: "Data", dependencies: ["BackpropTensor", "BackpropRegistry", "CZlib", "CBackpropKernels"]),
    Library(folder: "Layers", dependencies: ["BackpropTensor"]),
    Library(folder: "Schedules", dependencies: ["BackpropRegistry"]),
    Library(folder: "Regularizers", dependencies: ["BackpropTensor", "BackpropLayers", "BackpropRegistry"]),
    Library(folder: "Training", dependencies: [
        "BackpropTensor", "BackpropData", "BackpropLayers", "BackpropSchedules", "BackpropRegularizers",
        "BackpropRegistry",
    ]),
    Library(folder: "Reports", dependencies: ["BackpropTensor", "BackpropTraining", "CZlib"]),
]

// Example executables of this package. `Examples/warmup-cosine` is not one: it is a separate package
// (its own Package.swift) that depends on this one as a user's package would; no target here reaches
// into it, since every target names its own folder.
let examples = ["Assignment1", "Assignment2", "CustomSchedule", "ImprovedMLP"]

// MARK: - Targets

var targets: [Target] = [
    .systemLibrary(
        name: "CZlib", path: "Modules/CZlib",
        providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
    // The matrix-product kernels: C so that AVX2/FMA code can be enabled per function and chosen at run time.
    // No flags: SwiftPM refuses unsafe ones in a versioned dependency; release builds compile it at the
    // default optimisation (see docs/performance.md).
    .target(name: "CBackpropKernels", path: "Modules/Kernels"),
    .target(
        name: "Backprop", dependencies: libraries.map { .target(name: $0.name) },
        path: "Modules/Backprop"),
    // The `backprop` command line as a library (`BackpropTool`, its commands, data loading, run
    // directories), so that a package with plug-ins of its own builds its own `backprop` around them.
    .target(
        name: "BackpropCommandLine", dependencies: ["Backprop", "BackpropReports", "BackpropBenchmarks"],
        path: "Modules/CommandLine"),
    // Timings of the matrix product and of a training epoch (`backprop bench`): not part of `Backprop`.
    .target(
        name: "BackpropBenchmarks", dependencies: ["Backprop", "CBackpropKernels"],
        path: "Modules/Benchmarks"),
    .testTarget(
        name: "BackpropBenchmarksTests", dependencies: ["BackpropBenchmarks", "Backprop"],
        path: "Tests/BenchmarksTests"),
    // `backprop`: `BackpropTool` with the built-in plug-ins.
    .executableTarget(
        name: "BackpropCLI", dependencies: ["Backprop", "BackpropCommandLine"],
        path: "Modules/CLI"),
    // `swift package backprop gradcheck`: the command line, reachable through SwiftPM. It builds the
    // tool itself, in release, so it depends on no target (a dependency would be built in debug).
    .plugin(
        name: "BackpropPlugin",
        capability: .command(
            intent: .custom(verb: "backprop", description: "Run a backprop command (train, gradcheck, schedule, search, bench)")),
        path: "Plugins/BackpropPlugin"),
    // `swift package --allow-writing-to-package-directory scaffold-schedule NAME`: a new schedule module
    // and its tests in the package it runs in.
    .plugin(
        name: "ScaffoldSchedulePlugin",
        capability: .command(
            intent: .custom(verb: "scaffold-schedule", description: "Write a new learning-rate schedule module and its test target"),
            permissions: [.writeToPackageDirectory(reason: "writes the new schedule's source and test files")]),
        path: "Plugins/ScaffoldSchedulePlugin"),
    .target(
        name: "BackpropTestSupport", dependencies: ["Backprop"],
        path: "Tests/Support"),
    // The argument parser, and every `backprop` command's declared interface (and, as processes, the
    // executables, which `swift test` builds beside the tests).
    .testTarget(
        name: "BackpropCommandLineTests",
        dependencies: ["Backprop", "BackpropCommandLine", "BackpropTestSupport"],
        path: "Tests/CommandLineTests"),
    .testTarget(
        name: "ExamplesTests",
        dependencies: [
            "Backprop", "BackpropTestSupport", "BackpropCommandLine", "Assignment1", "Assignment2", "CustomSchedule",
            "ImprovedMLP",
        ],
        path: "Tests/ExamplesTests"),
]

for library in libraries {
    targets.append(.target(
        name: library.name, dependencies: library.dependencies, path: "Modules/\(library.folder)"))
    targets.append(.testTarget(
        name: "\(library.name)Tests",
        dependencies: [.target(name: library.name), "BackpropTestSupport", "Backprop"],
        path: "Tests/\(library.folder)Tests"))
}

for example in examples {
    targets.append(.executableTarget(
        name: example, dependencies: ["Backprop", "BackpropReports", "BackpropCommandLine"],
        path: "Examples/\(example)"))
}

// MARK: - Package

let package = Package(
    name: "Backprop",
    products: [
        .library(name: "Backprop", targets: ["Backprop"]),
        // Building one's own `backprop` with extra plug-ins: `BackpropTool(registries:).main()`.
        .library(name: "BackpropCommandLine", targets: ["BackpropCommandLine"]),
        .executable(name: "backprop", targets: ["BackpropCLI"]),
        // The same tool under its target's name, kept for scripts that build or run it by that name.
        .executable(name: "BackpropCLI", targets: ["BackpropCLI"]),
        .plugin(name: "BackpropPlugin", targets: ["BackpropPlugin"]),
        .plugin(name: "ScaffoldSchedulePlugin", targets: ["ScaffoldSchedulePlugin"]),
    ] + examples.map { .executable(name: $0, targets: [$0]) },
    targets: targets,
    swiftLanguageModes: [.v6]
)
