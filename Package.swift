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
    Library(folder: "Data", dependencies: ["BackpropTensor", "BackpropRegistry", "CZlib"]),
    Library(folder: "Layers", dependencies: ["BackpropTensor"]),
    Library(folder: "Schedules", dependencies: ["BackpropRegistry"]),
    Library(folder: "Regularizers", dependencies: ["BackpropTensor", "BackpropLayers", "BackpropRegistry"]),
    Library(folder: "Training", dependencies: [
        "BackpropTensor", "BackpropData", "BackpropLayers", "BackpropSchedules", "BackpropRegularizers",
        "BackpropRegistry",
    ]),
    Library(folder: "Reports", dependencies: ["BackpropTensor", "BackpropTraining", "CZlib"]),
]

let examples = ["Assignment1", "Assignment2", "CustomSchedule"]

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
    // What the `backprop` command and the examples share: options, data loading, run directories.
    .target(
        name: "BackpropCommandLine", dependencies: ["Backprop", "BackpropReports"],
        path: "Modules/CommandLine"),
    // Timings of the matrix product and of a training epoch (`backprop bench`): not part of `Backprop`.
    .target(
        name: "BackpropBenchmarks", dependencies: ["Backprop", "CBackpropKernels"],
        path: "Modules/Benchmarks"),
    .testTarget(
        name: "BackpropBenchmarksTests", dependencies: ["BackpropBenchmarks", "Backprop"],
        path: "Tests/BenchmarksTests"),
    .executableTarget(
        name: "BackpropCLI", dependencies: ["Backprop", "BackpropReports", "BackpropCommandLine", "BackpropBenchmarks"],
        path: "Modules/CLI"),
    // `swift package backprop gradcheck`: the command line, reachable through SwiftPM.
    .plugin(
        name: "BackpropPlugin",
        capability: .command(
            intent: .custom(verb: "backprop", description: "Run a backprop command (train, gradcheck, schedule, search, bench)")),
        dependencies: ["BackpropCLI"],
        path: "Plugins/BackpropPlugin"),
    .target(
        name: "BackpropTestSupport", dependencies: ["Backprop"],
        path: "Tests/Support"),
    .testTarget(
        name: "ExamplesTests",
        dependencies: [
            "Backprop", "BackpropTestSupport", "BackpropCommandLine", "Assignment1", "Assignment2", "CustomSchedule",
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
        .executable(name: "backprop", targets: ["BackpropCLI"]),
        // The same tool under its target's name, which is how a plugin finds an executable it depends on.
        .executable(name: "BackpropCLI", targets: ["BackpropCLI"]),
        .plugin(name: "BackpropPlugin", targets: ["BackpropPlugin"]),
    ] + examples.map { .executable(name: $0, targets: [$0]) },
    targets: targets,
    swiftLanguageModes: [.v6]
)
