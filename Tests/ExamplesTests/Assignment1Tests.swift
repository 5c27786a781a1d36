import Backprop
import BackpropTestSupport
import Foundation
import Testing

@testable import Assignment1

@Suite struct Assignment1Tests {
    @Test func writesTheReportTheTableAndEveryExperimentsFiles() throws {
        let data = try makeDatasetFixtureDirectory("a1-cifar")
        let out = try makeDatasetFixtureDirectory("a1-runs")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: out)
        }
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 200, seed: 11, testImages: 100)

        try Assignment1.run(["--data", data.path, "--out", out.path, "--epochs", "2", "--quiet"])

        let bases = try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil)
        let base = try #require(bases.first)
        #expect(bases.count == 1 && base.lastPathComponent.hasPrefix("assignment1-"))
        for file in ["report.html", "results.csv", "results.md"] {
            #expect(FileManager.default.fileExists(atPath: base.appending(path: file).path), "\(file)")
        }
        let csv = try String(contentsOf: base.appending(path: "results.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.first?.hasPrefix("experiment,lambda,eta,epochs,") == true)
        #expect(rows.count == 1 + Assignment1.experiments.count)
        #expect(rows.count == 5)

        let runs = try FileManager.default.contentsOfDirectory(at: base, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
        #expect(runs.count == 4)
        for run in runs {
            for file in ["metrics.json", "fc1.weight.npy", "weights.png"] {
                #expect(FileManager.default.fileExists(atPath: run.appending(path: file).path),
                        "\(run.lastPathComponent)/\(file)")
            }
        }
        // Each row names its run directory, so the table and the folders agree.
        for run in runs {
            #expect(csv.contains(run.lastPathComponent))
        }
    }
}
