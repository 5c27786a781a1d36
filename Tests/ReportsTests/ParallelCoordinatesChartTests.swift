import BackpropReports
import Foundation
import Testing

/// The parallel-coordinates chart of a random search (issue 17).
@Suite("ParallelCoordinatesChart")
struct ParallelCoordinatesChartTests {
    typealias ParsedSVG = LineChartTests.ParsedSVG

    static func parsed(_ chart: ParallelCoordinatesChart) throws -> ParsedSVG {
        let svg = chart.svg(width: 800, height: 420)
        #expect(!svg.contains("nan") && !svg.contains("inf"), "non-finite coordinate in SVG")
        return try #require(ParsedSVG.parse(svg), "not well-formed XML:\n\(svg)")
    }

    /// The points of a `points` attribute.
    static func points(_ element: ParsedSVG.Element) -> [(x: Double, y: Double)] {
        (element.attributes["points"] ?? "").split(separator: " ").map { pair in
            let xy = pair.split(separator: ",").compactMap { Double($0) }
            return (xy[0], xy[1])
        }
    }

    var chart: ParallelCoordinatesChart {
        var chart = ParallelCoordinatesChart(title: "search", scoreName: "validation accuracy", dimensions: [
            .init(name: "lambda", axis: .logarithmic),
            .init(name: "width", axis: .linear),
            .init(name: "batch", axis: .categorical(["100", "200", "500"])),
        ])
        chart.add(.init(label: "best", values: [1e-3, 512, 2], score: 0.6))
        chart.add(.init(label: "worst", values: [1e-5, 128, 0], score: 0.4))
        chart.add(.init(label: "middle", values: [1e-4, 256, 1], score: 0.5))
        return chart
    }

    @Test("each line passes through its values, evenly spaced axes, best drawn last, thicker and yellow")
    func positions() throws {
        let svg = try Self.parsed(chart)
        let lines = svg.all("polyline")
        #expect(lines.count == 3)
        let best = Self.points(try #require(lines.last)), worst = Self.points(try #require(lines.first))
        #expect(best.count == 4 && worst.count == 4)
        // Four axes, evenly spaced from x = 64 to 736.
        #expect(best.map(\.x) == [64, 288, 512, 736])
        // Categorical: 500 (index 2) at the top, 100 (index 0) at the bottom; the best score at the top of
        // the score axis' nice range, the worst at the bottom.
        #expect(best[2].y < worst[2].y && best[3].y < worst[3].y)
        let top = best[2].y, bottom = worst[2].y
        #expect(abs(Self.points(lines[1])[2].y - (top + bottom) / 2) < 0.11)
        // Logarithmic: 1e-4 is halfway between 1e-5 and 1e-3 when the axis spans those decades exactly.
        let middle = Self.points(lines[1])
        #expect(abs((middle[0].y - worst[0].y) - (best[0].y - middle[0].y)) < 0.11)
        let groups = svg.elements.filter { $0.name == "g" && $0.attributes["stroke"] != nil }
        #expect(groups.last?.attributes["stroke"] == "#fde725" && groups.first?.attributes["stroke"] == "#440154")
        #expect(groups.last?.attributes["stroke-width"] == "3" && groups.first?.attributes["stroke-width"] == "1.5")
        #expect(svg.all("text").contains { $0.text == "validation accuracy" } && svg.all("text").contains { $0.text == "500" })
    }

    @Test("a value that cannot be drawn breaks the line; a line with the wrong count is left out")
    func brokenAndSkippedLines() throws {
        var chart = chart
        chart.add(.init(label: "diverged", values: [.nan, 300, 1], score: .nan))
        chart.add(.init(label: "negative", values: [-1, 300, 1], score: 0.45))
        chart.add(.init(label: "short", values: [1e-4], score: 0.9))
        let svg = try Self.parsed(chart)
        let titles = svg.all("title").map(\.text)
        #expect(!titles.contains { $0.hasPrefix("short") })
        #expect(titles.contains { $0.hasPrefix("diverged") } && titles.contains { $0.hasPrefix("negative") })
        // "negative": not drawable on the log axis, so its line starts at the second axis.
        let polylines = svg.all("polyline").map(Self.points)
        #expect(polylines.contains { $0.count == 3 && $0[0].x == 288 })
        // "diverged": only its width and batch are drawn (a NaN score breaks the end too).
        #expect(polylines.contains { $0.count == 2 && $0[0].x == 288 && $0[1].x == 512 })
    }

    @Test("empty, single and constant charts render; text is escaped")
    func edgeCases() throws {
        var empty = ParallelCoordinatesChart(title: "<none & all>", scoreName: "a<b", dimensions: [.init(name: "x&y", axis: .linear)])
        var svg = try Self.parsed(empty)
        #expect(svg.all("polyline").isEmpty)
        #expect(empty.svg().contains("x&amp;y") && empty.svg().contains("&lt;none &amp; all&gt;"))
        empty.add(.init(label: "one", values: [3], score: 0.5))
        empty.add(.init(label: "two", values: [3], score: 0.5))
        svg = try Self.parsed(empty)
        #expect(svg.all("polyline").count == 2)
        let none = ParallelCoordinatesChart(title: "", scoreName: "score", dimensions: [])
        _ = try Self.parsed(none)
        var huge = ParallelCoordinatesChart(title: "huge", scoreName: "score", dimensions: [.init(name: "x", axis: .linear)])
        huge.add(.init(label: "a", values: [1e308], score: -1e308))
        huge.add(.init(label: "b", values: [-1e308], score: 1e308))
        _ = try Self.parsed(huge)
    }
}
