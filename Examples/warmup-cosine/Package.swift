// swift-tools-version:6.0
import PackageDescription

// A package of one's own that builds on Backprop, as a user's would: a schedule module with its tests,
// and `backprop-plus`, the `backprop` command line plus that schedule. It depends on the Backprop
// checkout two folders up by path; a released Backprop is `.package(url: "…", from: "1.0.0")` instead.
let package = Package(
    name: "WarmupCosine",
    products: [
        .library(name: "WarmupCosine", targets: ["WarmupCosine"]),
        .executable(name: "backprop-plus", targets: ["BackpropPlus"]),
    ],
    dependencies: [
        .package(name: "Backprop", path: "../.."),
    ],
    targets: [
        // The schedule: a module with no command line, usable from any program.
        .target(
            name: "WarmupCosine",
            dependencies: [.product(name: "Backprop", package: "Backprop")]),
        // `backprop` with the schedule registered: `backprop-plus train --config configs/warmup-cosine.json`.
        .executableTarget(
            name: "BackpropPlus",
            dependencies: [
                "WarmupCosine",
                .product(name: "Backprop", package: "Backprop"),
                .product(name: "BackpropCommandLine", package: "Backprop"),
            ]),
        .testTarget(
            name: "WarmupCosineTests",
            dependencies: [
                "WarmupCosine",
                .product(name: "Backprop", package: "Backprop"),
                .product(name: "BackpropCommandLine", package: "Backprop"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
