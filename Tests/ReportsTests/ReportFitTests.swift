import BackpropReports
import Foundation
import Testing

/// Issue 15: reports fit their page. Tables wrap, numbers have one format per kind, rows link to
/// their runs, charts switch to a log axis for a diverged run and wrap long titles, weight tiles
/// carry class names. (The browser check, scripts/browser-check.py, measures the rendered pages.)
@Suite("Reports fit the page")
struct ReportFitTests {
    @Test("accuracies are percentages with two decimals, rates scientific with four significant digits, NaN is 'diverged'")
    func numberFormats() {
        var report = HTMLReport(title: "t")
        report.addTable(CSVTable(columns: ["run", "lambda", "validation_accuracy", "final_cost"],
                                 rows: [["a", 0.00020998000000000002, 0.38712, 1.234567], ["b", 0.0, .number(.nan), .number(-.nan)]]),
                        significantDigits: 4)
        let html = report.render()
        #expect(html.contains("<td class=\"num\">2.100e-04</td>"))
        #expect(html.contains("<td class=\"num\">38.71%</td>"))
        #expect(html.contains("<td class=\"num\">1.235</td>"))
        #expect(html.contains("<td class=\"num\">diverged</td>"))
        #expect(html.contains("<td class=\"num\">0</td>"))
        #expect(!html.lowercased().contains("nan<"))
    }

    @Test("a column name may break after an underscore only")
    func headerBreaks() {
        var report = HTMLReport(title: "t")
        report.addTable(CSVTable(columns: ["validation_accuracy"], rows: [[0.5]]))
        #expect(report.render().contains("<th>validation_<wbr>accuracy</th>"))
    }

    @Test("each row's first cell links to the address given for it; rows without one have no link")
    func rowLinks() {
        var report = HTMLReport(title: "t")
        report.addTable(CSVTable(columns: ["run", "directory"], rows: [["a", "a-1"], ["b", "b 2"]]),
                        rowLinks: ["a-1/report.html", nil])
        let html = report.render()
        #expect(html.contains("<td><a href=\"a-1/report.html\">a</a></td>"))
        #expect(html.contains("<td>b</td>"))
    }

    @Test("table cells wrap instead of widening the table past the page")
    func tablesWrap() {
        let html = HTMLReport(title: "t").render()
        #expect(html.contains("overflow-wrap: break-word"))
        #expect(html.contains("td.num { white-space: nowrap"))
        #expect(html.contains(".table-wrap { overflow-x: auto; max-width: 100%"))
    }

    @Test("tile labels are written under an image, one grid column per tile")
    func tileLabels() {
        var report = HTMLReport(title: "t")
        report.addImage(relativePath: "weights.png", caption: "Weights", tileLabels: ["airplane", "cat & dog"])
        let html = report.render()
        #expect(html.contains("repeat(2, 1fr)"))
        #expect(html.contains("<span>airplane</span><span>cat &amp; dog</span>"))
    }

    @Test("a diverged loss spanning many decades is drawn on a log axis, labelled so")
    func divergedRunLogAxis() {
        var chart = LineChart(title: "Loss", xLabel: "step", yLabel: "loss")
        chart.add(.init(name: "training", x: [0, 1, 2, 3], y: [2.3, 1.9, 1.5e28, .nan]))
        let svg = chart.svg()
        #expect(svg.contains("loss (log scale)"))
        #expect(svg.contains("10²⁸") || svg.contains("10³⁰") || svg.contains("10²⁹"))
        var flat = LineChart(title: "Loss", xLabel: "step", yLabel: "loss")
        flat.add(.init(name: "training", x: [0, 1], y: [2.3, 1.9]))
        #expect(!flat.svg().contains("log scale"))
    }

    @Test("a title longer than the chart wraps onto lines that all fit its width")
    func longTitleWraps() throws {
        let title = "exp_range(eta_min: 1e-05, eta_max: 0.1, step_size: 500, cycles: 3, gamma: 0.99994) over 3000 steps"
        let chart = LineChart(title: title, xLabel: "step", yLabel: "learning rate")
        let svg = chart.svg(width: 480, height: 300)
        let regex = try NSRegularExpression(pattern: "class=\"chart-title\" x=\"([0-9.]+)\"[^>]*>([^<]*)</text>")
        let lines = regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { match in
            (x: Double(svg[Range(match.range(at: 1), in: svg)!])!, text: String(svg[Range(match.range(at: 2), in: svg)!]))
        }
        #expect(lines.count >= 2)
        #expect(lines.map(\.text).joined(separator: " ") == title)
        for line in lines {
            // Centred; at most 8.5 px a character of 15 px bold text leaves both ends inside.
            #expect(line.x - Double(line.text.count) * 8.5 / 2 >= 0)
            #expect(line.x + Double(line.text.count) * 8.5 / 2 <= 480)
        }
    }
}
