import Backprop
import BackpropTestSupport
import Foundation
import Testing

@testable import Assignment2

@Suite struct Assignment2Tests {
    @Test func quickRunWritesEveryStageAndOneReport() throws {
        let data = try makeDatasetFixtureDirectory("a2-cifar")
        let out = try makeDatasetFixtureDirectory("a2-runs")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: out)
        }
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 12, testImages: 40)

        try Assignment2.run(["--data", data.path, "--out", out.path, "--quick", "--quiet", "--parallel", "2"])

        let base = try #require(try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil).first)
        for file in ["report.html", "results.csv", "results.md", "a2-lambda-search/search.csv", "a2-lambda-search/search.svg"] {
            #expect(FileManager.default.fileExists(atPath: base.appending(path: file).path), "\(file)")
        }
        // Each data note once, at the top, not again in every run's section.
        let report = try String(contentsOf: base.appending(path: "report.html"), encoding: .utf8)
        let notes = report.components(separatedBy: "<p>Data note: ").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(!notes.isEmpty && Set(notes).count == notes.count, "\(notes)")
        // Sanity check, one cycle, three cycles and the final model, in that order.
        let rows = try String(contentsOf: base.appending(path: "results.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 5)
        #expect(rows[1].contains("Sanity check") && rows[4].contains("Final model"))
        // The quick search has 3 coarse and 2 fine trials, each with its own finished run directory.
        let search = try String(contentsOf: base.appending(path: "a2-lambda-search/search.csv"), encoding: .utf8)
        #expect(search.split(separator: "\n").count == 1 + 5)
        for stage in ["coarse", "fine"] {
            let trials = try FileManager.default.contentsOfDirectory(atPath: base.appending(path: "a2-lambda-search/\(stage)").path)
            for trial in trials {
                #expect(FileManager.default.fileExists(atPath: base.appending(path: "a2-lambda-search/\(stage)/\(trial)/trial.json").path))
            }
        }
    }
}
