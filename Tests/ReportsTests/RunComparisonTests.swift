import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@Suite struct RunComparisonTests {
    /// Two short real runs on fixture CIFAR-10 files that differ in λ, written by `RunReport.write`.
    func writtenRuns(under base: URL) throws -> [URL] {
        let data = try makeDatasetFixtureDirectory("compare-cifar")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 4, testImages: 30)
        return try [0.1, 0.001].map { lambda in
            let config = try ExperimentConfig(json: [
                "name": .string("compare-\(lambda)"), "seed": 5, "data": ["kind": "cifar10", "split": "batch1"],
                "model": ["hidden": [4]], "training": ["batch_size": 20, "epochs": 2],
                "schedule": ["name": "constant", "eta": 0.01],
                "regularizers": [["name": "l2", "lambda": .number(lambda)]], "evaluation": ["every": 2],
            ])
            let (splits, standardizer) = try config.data.loadStandardized(relativeTo: data)
            let result = try config.experiment(splits: splits, standardizer: standardizer).run(quiet: true)
            let directory = try RunDirectory.create(under: base, name: result.name)
            try RunReport.write(result, to: directory)
            return directory
        }
    }

    @Test func thePageHasEveryRunTheDifferingSettingsAndOverlaidCurvesWithALegend() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let directories = try writtenRuns(under: base.url)
        let comparison = try RunComparison.read(directories)
        #expect(comparison.labels == ["compare-0.1", "compare-0.001"])
        #expect(comparison.runs.allSatisfy { $0.status == .finished && $0.testAccuracy != nil && $0.seconds != nil })
        let charts = comparison.charts()
        #expect(Set(charts.map(\.column)) == Set(RunCurves.columns))
        for (_, chart) in charts {
            #expect(chart.series.map(\.name) == comparison.labels)
            #expect(chart.series.map(\.color) == [LineChart.palette[0], LineChart.palette[1]])
        }
        // Accuracy is drawn in percent.
        let accuracy = try #require(charts.first { $0.column == "train_accuracy" }?.chart)
        #expect(accuracy.yLabel == "accuracy (%)")
        #expect(accuracy.series.allSatisfy { $0.points.allSatisfy { $0.y > 1 } })

        let out = base.url.appending(path: "pages/compare.html")
        try comparison.write(to: out)
        let html = try String(contentsOf: out, encoding: .utf8)
        for label in comparison.labels {
            #expect(html.contains(">\(label)</text>"), "legend entry \(label)")
            #expect(html.contains(">\(label)</a>"), "linked table row \(label)")
        }
        #expect(html.contains("class=\"legend\""))
        #expect(html.contains("href=\"../\(directories[0].lastPathComponent)/report.html\""))
        // Only the settings that differ are highlighted: the name, λ and the regularisers as built.
        #expect(html.components(separatedBy: "<tr class=\"highlight\">").count - 1 == 3)
        #expect(html.contains("<tr class=\"highlight\"><td>regularizers[0].lambda</td><td>0.1</td><td>0.001</td></tr>"))
        #expect(html.contains("<tr><td>training.batch_size</td><td>20</td><td>20</td></tr>"))
        #expect(!html.contains("<script"))
    }

    @Test func runsOfOneNameAreToldApartByTheirDirectories() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let a = try RunDirectoryFixture.write("same-20261204-101500", under: base.url, metrics: RunDirectoryFixture.metrics(name: "same"))
        let b = try RunDirectoryFixture.write("same-20261204-101500-2", under: base.url,
                                              metrics: RunDirectoryFixture.metrics(name: "same"), history: RunDirectoryFixture.history(diverged: true))
        let comparison = try RunComparison.read([a, b, a])
        #expect(comparison.labels == ["same-20261204-101500", "same-20261204-101500-2", "same-20261204-101500 (3)"])
        // The diverged history's NaN losses are skipped, not drawn.
        let svg = try #require(comparison.charts().first { $0.column == "train_loss" }).chart.svg()
        #expect(!svg.contains("nan") && !svg.contains("NaN"))
    }

    @Test func aFolderThatIsNotARunOrIsDamagedIsAnErrorNamingIt() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let plain = base.url.appending(path: "plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        do {
            _ = try RunComparison.read([plain])
            Issue.record("no error")
        } catch let ReportFileError.cannotRead(path, reason) {
            #expect(path == plain.path)
            #expect(reason.contains("not a run directory"))
        }
        let noHistory = try RunDirectoryFixture.write("n", under: base.url, metrics: RunDirectoryFixture.metrics(name: "n"), history: nil)
        #expect(throws: ReportFileError.self) { try RunComparison.read([noHistory]) }
        let bad = try RunDirectoryFixture.write("bad", under: base.url, metrics: nil)
        try "[".write(to: bad.appending(path: "metrics.json"), atomically: true, encoding: .utf8)
        #expect(throws: ReportFileError.self) { try RunComparison.read([bad]) }
    }

    @Test func theIndexListsRunsAtAnyDepthWithTheirStatusAndSkipsOtherFolders() throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        try RunDirectoryFixture.write("b-20261204-120000", under: base.url, metrics: RunDirectoryFixture.metrics(name: "b", testAccuracy: 0.5))
        let nested = base.url.appending(path: "assignment2-20261204-100000")
        try RunDirectoryFixture.write("a2-final-20261204-110000", under: nested, metrics: RunDirectoryFixture.metrics(
            name: "a2-final", extra: ["diverged_at_step": 7, "test_accuracy": .null]))
        try RunDirectoryFixture.write("trial-00", under: nested.appending(path: "search/coarse"),
                                      metrics: RunDirectoryFixture.metrics(name: "trial"))
        let killed = try RunDirectoryFixture.write("k-20261204-130000", under: base.url, metrics: nil, history: nil)
        try FileManager.default.createDirectory(at: killed.appending(path: "checkpoint"), withIntermediateDirectories: true)
        let bad = try RunDirectoryFixture.write("bad-20261204-140000", under: base.url, metrics: nil)
        try "{".write(to: bad.appending(path: "metrics.json"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: base.url.appending(path: "screenshots/deep"), withIntermediateDirectories: true)

        let index = try RunIndex.scan(base.url)
        #expect(index.runs.map(\.name).sorted() == ["a2-final", "b", "bad", "k", "trial"])
        let table = index.terminalTable(basePath: "runs")
        let lines = table.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("RUN "))
        // Oldest first; the trial's date is its metrics.json's, today.
        #expect(lines[1].hasPrefix("assignment2-20261204-100000/a2-final-20261204-110000 "))
        #expect(lines[1].hasSuffix("diverged at step 7"))
        #expect(lines[2].contains("50.00%") && lines[2].hasSuffix("finished"))
        #expect(lines[3].hasSuffix("in progress or interrupted (resume with: backprop train --resume runs/k-20261204-130000)"))
        #expect(lines[4].contains("unreadable: "))
        #expect(lines[5].hasPrefix("assignment2-20261204-100000/search/coarse/trial-00 "))

        let file = try index.write(basePath: "runs")
        #expect(file.lastPathComponent == "index.html")
        let html = try String(contentsOf: file, encoding: .utf8)
        #expect(html.contains("5 runs: 2 finished, 1 diverged, 1 in progress or interrupted, 1 unreadable."))
        #expect(html.contains("<td>k-20261204-130000</td>"))
        #expect(try RunIndex.scan(base.url.appending(path: "screenshots")).terminalTable(basePath: "s") == "no runs under s\n")
        #expect(throws: ReportFileError.self) { try RunIndex.scan(base.url.appending(path: "absent")) }
    }
}
