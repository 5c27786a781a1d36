// swift-tools-version:6.0
import PackageDescription

// Fuzz targets for Backprop's readers of untrusted files (see docs/threat-model.md), one executable per
// reader. They are libFuzzer targets, built only by `scripts/fuzz.sh`, which passes `-sanitize=fuzzer`:
// a separate package so that the main package's build and `swift test` never see them.
let readers = ["CIFARBinary", "Pickle", "IDX", "Numpy", "JSON", "PNG"]

let package = Package(
    name: "BackpropFuzz",
    dependencies: [.package(name: "Backprop", path: "..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
    ] + readers.map { reader in
        .executableTarget(
            name: "Fuzz\(reader)",
            dependencies: ["FuzzSupport", .product(name: "Backprop", package: "Backprop")],
            path: "Sources/Fuzz\(reader)")
    },
    swiftLanguageModes: [.v6]
)
