import BackpropReports
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("LineChart")
struct LineChartTests {
    /// The elements of a parsed SVG document, or `nil` if it is not well-formed XML.
    final class ParsedSVG: NSObject, XMLParserDelegate {
        struct Element {
            let name: String
            let attributes: [String: String]
            /// The `class` of the nearest enclosing element that has one.
            let group: String?
            var text = ""
        }
        private(set) var elements: [Element] = []
        private var open: [Int] = []

        static func parse(_ svg: String) -> ParsedSVG? {
            let result = ParsedSVG()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.shouldProcessNamespaces = false
            parser.delegate = result
            return parser.parse() ? result : nil
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let group = open.reversed().lazy.compactMap { self.elements[$0].attributes["class"] }.first
            elements.append(Element(name: name, attributes: attributes, group: group))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let current = open.last { elements[current].text += string }
        }

        func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
        func texts(in group: String) -> [String] { all("text").filter { $0.group == group }.map(\.text) }
    }

    static func parsed(_ chart: LineChart, width: Int = 640, height: Int = 400) throws -> ParsedSVG {
        let svg = chart.svg(width: width, height: height)
        #expect(!svg.contains("nan") && !svg.contains("inf"), "non-finite coordinate in SVG")
        return try #require(ParsedSVG.parse(svg), "not well-formed XML:\n\(svg)")
    }

    static func curve(_ n: Int, _ f: (Double) -> Double) -> [(x: Double, y: Double)] {
        (0..<n).map { (x: Double($0), y: f(Double($0))) }
    }

    // MARK: - Structure

    @Test("the SVG is well-formed XML with the SVG namespace, size and viewBox")
    func wellFormed() throws {
        var chart = LineChart(title: "Cost", xLabel: "update step", yLabel: "cost")
        chart.add(.init(name: "training", points: Self.curve(50) { 2.3 * exp(-$0 / 20) }))
        let svg = try Self.parsed(chart, width: 800, height: 500)
        let root = try #require(svg.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["width"] == "800" && root.attributes["height"] == "500")
        #expect(root.attributes["viewBox"] == "0 0 800 500")
        #expect(svg.all("text").contains { $0.text == "Cost" && $0.attributes["class"] == "chart-title" })
        #expect(svg.all("text").contains { $0.text == "update step" })
        #expect(svg.all("text").contains { $0.text == "cost" && $0.attributes["transform"]?.contains("rotate(-90)") == true })
    }

    @Test("one path per line series, one marker per point of marker series, a legend entry per series")
    func pathsAndMarkers() throws {
        var chart = LineChart(title: "t", xLabel: "x", yLabel: "y")
        chart.add(.init(name: "line", points: Self.curve(20) { $0 }))
        chart.add(.init(name: "both", points: Self.curve(7) { $0 * 2 }, color: "#000000", style: .lineAndMarkers))
        chart.add(.init(name: "dots", x: [1, 2, 3], y: [3, 1, 2], style: .markers))
        let svg = try Self.parsed(chart)
        let paths = svg.all("path")
        #expect(paths.count == 2)
        #expect(svg.all("circle").filter { $0.group == "series" }.count == 7 + 3)
        #expect(svg.texts(in: "legend") == ["line", "both", "dots"])
        let seriesGroups = svg.all("g").filter { $0.attributes["class"] == "series" }
        #expect(seriesGroups.map { $0.attributes["stroke"] } == [LineChart.palette[0], "#000000", LineChart.palette[2]])
        // Each line visits all of its points: one M and n − 1 L commands.
        #expect(paths[0].attributes["d"]?.filter { $0 == "L" }.count == 19)
    }

    @Test("a legend below the plot lists every long name in full, under the x label and inside the chart")
    func legendBelow() throws {
        var chart = LineChart(title: "t", xLabel: "update step", yLabel: "y")
        chart.legendPlacement = .below
        let names = ["a2-three-cycles-ns800-20261204-152002", "a2-three-cycles-ns800-20261204-152002-2", "c"]
        for (index, name) in names.enumerated() {
            chart.add(.init(name: name, points: Self.curve(10) { $0 * Double(index + 1) }))
        }
        let height = 360 + LineChart.legendRowHeight * names.count
        let svg = try Self.parsed(chart, width: 640, height: height)
        #expect(svg.texts(in: "legend") == names)
        let frame = try #require(svg.all("rect").first { $0.group == "axes" })
        let plotRight = (Double(frame.attributes["x"] ?? "") ?? .nan) + (Double(frame.attributes["width"] ?? "") ?? .nan)
        #expect(plotRight == 640 - 16)
        let xLabel = try #require(svg.all("text").first { $0.attributes["class"] == "x-label" })
        let labelY = try #require(Double(xLabel.attributes["y"] ?? ""))
        let rows = svg.all("text").filter { $0.group == "legend" }.compactMap { Double($0.attributes["y"] ?? "") }
        #expect(rows.count == 3 && rows.allSatisfy { $0 > labelY && $0 < Double(height) })
    }

    @Test("all drawn coordinates lie inside the plot frame")
    func insideFrame() throws {
        var chart = LineChart(title: "t", xLabel: "x", yLabel: "y")
        chart.add(.init(name: "a", points: Self.curve(30) { sin($0 / 3) * 7 - 1.3 }, style: .lineAndMarkers))
        let svg = try Self.parsed(chart)
        let frame = try #require(svg.all("rect").first { $0.group == "axes" })
        let (left, top) = (Double(frame.attributes["x"] ?? "") ?? .nan, Double(frame.attributes["y"] ?? "") ?? .nan)
        let right = left + (Double(frame.attributes["width"] ?? "") ?? .nan)
        let bottom = top + (Double(frame.attributes["height"] ?? "") ?? .nan)
        for circle in svg.all("circle") where circle.group == "series" {
            let x = try #require(Double(circle.attributes["cx"] ?? "")), y = try #require(Double(circle.attributes["cy"] ?? ""))
            #expect(x >= left && x <= right && y >= top && y <= bottom)
        }
    }

    // MARK: - Axes

    @Test("a logarithmic x axis over 1e-5…1e-1 has one labelled tick per decade")
    func logTicks() throws {
        var chart = LineChart(title: "λ search", xLabel: "λ", yLabel: "validation accuracy", xScale: .logarithmic)
        chart.add(.init(name: "trials", x: [1e-5, 3e-4, 2e-3, 1e-1], y: [0.38, 0.39, 0.41, 0.33], style: .markers))
        let svg = try Self.parsed(chart)
        let labels = svg.all("text").filter { $0.group == "tick-labels" && $0.attributes["text-anchor"] == "middle" }
        #expect(labels.map(\.text) == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹"])
        // The decades are evenly spaced.
        let positions = labels.compactMap { Double($0.attributes["x"] ?? "") }
        let gaps = zip(positions.dropFirst(), positions).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) < 0.2 })
    }

    @Test("linear ticks step by 1, 2 or 5 times a power of ten and cover the data")
    func niceTicks() throws {
        var chart = LineChart(title: "", xLabel: "", yLabel: "")
        chart.add(.init(name: "loss", x: [0, 1000], y: [0.04, 2.3]))
        let svg = try Self.parsed(chart)
        let x = svg.all("text").filter { $0.group == "tick-labels" && $0.attributes["text-anchor"] == "middle" }.map(\.text)
        let y = svg.all("text").filter { $0.group == "tick-labels" && $0.attributes["text-anchor"] == "end" }.map(\.text)
        #expect(x == ["0", "200", "400", "600", "800", "1000"])
        #expect(y == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
    }

    @Test("a logarithmic y axis with small tick labels and a linear x axis")
    func logY() throws {
        var chart = LineChart(title: "rate", xLabel: "step", yLabel: "η", yScale: .logarithmic)
        chart.add(.init(name: "η", points: Self.curve(100) { 1e-5 * pow(10, $0 / 99 * 4) }))
        let svg = try Self.parsed(chart)
        let y = svg.all("text").filter { $0.group == "tick-labels" && $0.attributes["text-anchor"] == "end" }.map(\.text)
        #expect(y == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹"])
    }

    // MARK: - Degenerate data

    @Test("NaN and infinite points are skipped and break the line")
    func nonFinite() throws {
        var chart = LineChart(title: "diverged", xLabel: "x", yLabel: "y")
        chart.add(.init(name: "a", x: [0, 1, 2, 3, 4, 5], y: [1, 2, .nan, 3, .infinity, 4]))
        let svg = try Self.parsed(chart)
        let d = try #require(svg.all("path").first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 3)
        #expect(d.filter { $0 == "L" }.count == 1)
        // The lone point between two gaps is shown as a dot.
        #expect(svg.all("circle").filter { $0.group == "series" }.count == 2)
    }

    @Test("zero and negative values are skipped on a logarithmic axis")
    func logSkipsNonPositive() throws {
        var chart = LineChart(title: "", xLabel: "", yLabel: "", xScale: .logarithmic)
        chart.add(.init(name: "a", x: [0, -1, 1e-3, 1e-2], y: [1, 2, 3, 4], style: .markers))
        let svg = try Self.parsed(chart)
        #expect(svg.all("circle").filter { $0.group == "series" }.count == 2)
    }

    @Test("charts without data, with empty series, one point or constant data render")
    func degenerate() throws {
        let empty = try Self.parsed(LineChart(title: "nothing", xLabel: "x", yLabel: "y"))
        #expect(empty.all("path").isEmpty)
        #expect(empty.all("text").contains { $0.text == "no data" })

        var emptySeries = LineChart(title: "", xLabel: "", yLabel: "", xScale: .logarithmic, yScale: .logarithmic)
        emptySeries.add(.init(name: "none", points: []))
        emptySeries.add(.init(name: "all NaN", x: [.nan], y: [.nan]))
        let parsedEmpty = try Self.parsed(emptySeries)
        #expect(parsedEmpty.all("path").isEmpty)
        #expect(parsedEmpty.texts(in: "legend") == ["none", "all NaN"])

        for scale in [LineChart.Scale.linear, .logarithmic] {
            var single = LineChart(title: "", xLabel: "", yLabel: "", xScale: scale, yScale: scale)
            single.add(.init(name: "one", x: [1e-3], y: [5]))
            let parsedSingle = try Self.parsed(single)
            #expect(parsedSingle.all("circle").filter { $0.group == "series" }.count == 1)
            #expect(parsedSingle.all("text").filter { $0.group == "tick-labels" }.count >= 4)
        }

        var constant = LineChart(title: "", xLabel: "", yLabel: "")
        constant.add(.init(name: "flat", points: Self.curve(10) { _ in 0.1 }))
        constant.add(.init(name: "zero", points: Self.curve(10) { _ in 0 }))
        let parsedConstant = try Self.parsed(constant)
        #expect(parsedConstant.all("path").count == 2)
    }

    @Test("very large and very small linear values get compact scientific labels")
    func scientificLabels() throws {
        var chart = LineChart(title: "", xLabel: "", yLabel: "")
        chart.add(.init(name: "a", x: [0, 3e7], y: [1e-6, 4e-6]))
        let svg = try Self.parsed(chart)
        let labels = svg.texts(in: "tick-labels")
        #expect(labels.contains("1e7") && labels.contains("3e7"))
        #expect(labels.contains("2e-6"))
    }

    // MARK: - Escaping

    @Test("titles, labels, names and colours are XML-escaped")
    func escaping() throws {
        let nasty = "<b>Loss & \"cost\" 'n' </svg>"
        var chart = LineChart(title: nasty, xLabel: nasty, yLabel: nasty)
        chart.add(.init(name: nasty, points: [(x: 0, y: 1), (x: 1, y: 2)], color: "\"red\"><script>"))
        let rendered = chart.svg()
        #expect(!rendered.contains("<script>") && !rendered.contains("<b>"))
        let svg = try #require(ParsedSVG.parse(rendered))
        #expect(svg.all("text").filter { $0.text == nasty }.count == 3)
        #expect(svg.all("title").first?.text == nasty)
    }

    @Test("write(to:) writes the SVG")
    func write() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let chart = LineChart(title: "x", xLabel: "", yLabel: "", series: [.init(name: "a", points: [(x: 1, y: 1)])])
        let url = directory.url.appendingPathComponent("plots/a.svg")
        try chart.write(to: url, width: 300, height: 200)
        #expect(try String(contentsOf: url, encoding: .utf8) == chart.svg(width: 300, height: 200))
    }
}
