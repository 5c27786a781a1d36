// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets, one per reader of untrusted input (see docs/fuzzing.md). A package of its own,
// depending on Backprop by path, because every module in a build with `-sanitize=fuzzer` is instrumented
// and linked against libFuzzer's `main`: `scripts/fuzz.sh` builds it that way and runs a target.
let readers = ["FuzzCIFARBinary", "FuzzPickle", "FuzzIDX", "FuzzNumpy", "FuzzJSONConfig", "FuzzPNG"]

let package = Package(
    name: "BackpropFuzz",
    dependencies: [
        .package(name: "Backprop", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", .product(name: "Backprop", package: "Backprop")]),
    ] + readers.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport", .product(name: "Backprop", package: "Backprop")])
    })
