import Backprop
import BackpropTestSupport
import Foundation
import Testing

@testable import ImprovedMLP

@Suite struct ImprovedMLPTests {
    @Test func quickRunWritesEveryStageBesideTheReportsFigures() throws {
        let data = try makeDatasetFixtureDirectory("improved-cifar")
        let out = try makeDatasetFixtureDirectory("improved-runs")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: out)
        }
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 21, testImages: 40)
        let best = data.appending(path: "best.json")
        try """
            {"name": "tiny-best", "seed": 1, "data": {"kind": "cifar10", "split": "all", "validation": 20},
             "model": {"hidden": [16, 8], "initializer": "he_normal"}, "training": {"batch_size": 20, "momentum": 0.9},
             "schedule": {"name": "triangular", "eta_min": 1e-4, "eta_max": 0.02, "step_size_epochs": 1, "cycles": 2},
             "augmentations": [{"name": "horizontal_flip"}, {"name": "random_translation", "pixels": 2}]}
            """.write(to: best, atomically: true, encoding: .utf8)

        try ImprovedMLP.run(["--data", data.path, "--out", out.path, "--best", best.path, "--quick", "--quiet"])

        let base = try #require(try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil).first)
        // Two range tests, four trained bonus models and the best recipe.
        let rows = try String(contentsOf: base.appending(path: "results.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 5, "\(rows)")
        #expect(rows[1].contains("80 nodes") && rows[3].contains("120 nodes") && rows[5].contains("best.json"))
        let ranges = try String(contentsOf: base.appending(path: "lr_ranges.csv"), encoding: .utf8).split(separator: "\n")
        #expect(ranges.count >= 3 && ranges.dropFirst().allSatisfy { $0.contains("0.000262144") || $0.contains("0.004782") })
        let names = try FileManager.default.contentsOfDirectory(atPath: base.path)
        #expect(names.filter { $0.contains("-lr-range-") }.count == 2)
        for test in names where test.contains("-lr-range-") {
            #expect(FileManager.default.fileExists(atPath: base.appending(path: "\(test)/lr_range.html").path))
        }
        let report = try String(contentsOf: base.appending(path: "report.html"), encoding: .utf8)
        #expect(report.contains("LR range tests") && report.contains("Best recipe"))
        // The random search over all of these: three trials in quick mode, their table and chart in the report.
        let trials = try FileManager.default.contentsOfDirectory(atPath: base.appending(path: "cifar-mlp-random-search/random").path)
        #expect(trials.sorted() == ["random-00", "random-01", "random-02"])
        let table = try String(contentsOf: base.appending(path: "cifar-mlp-random-search/search.csv"), encoding: .utf8)
        #expect(table.contains("model.width") && table.contains("training.batch_size"))
        #expect(report.contains("Random search over all of these") && report.contains("model.width") && report.contains("<svg"))
    }
}
