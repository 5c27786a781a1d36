import BackpropReports
import Foundation
import Testing

@Suite("HTMLReport")
struct HTMLReportTests {
    /// Checks that every element is closed in order (HTML void elements and self-closed SVG elements
    /// excepted) and returns the element names in document order.
    static func balancedTags(_ html: String) throws -> [String] {
        let voidElements: Set = ["meta", "img", "br", "hr", "link", "input"]
        let pattern = try NSRegularExpression(pattern: "<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
        var stack: [String] = [], names: [String] = []
        let range = NSRange(html.startIndex..., in: html)
        for match in pattern.matches(in: html, range: range) {
            guard let closing = Range(match.range(at: 1), in: html), let name = Range(match.range(at: 2), in: html),
                  let selfClosing = Range(match.range(at: 3), in: html) else { continue }
            let element = html[name].lowercased()
            if !html[closing].isEmpty {
                let open = stack.popLast()
                #expect(open == element, "</\(element)> closes <\(open ?? "nothing")>")
            } else {
                names.append(element)
                if html[selfClosing].isEmpty && !voidElements.contains(element) { stack.append(element) }
            }
        }
        #expect(stack.isEmpty, "unclosed: \(stack)")
        return names
    }

    @Test("an empty report is a complete HTML5 document with a style sheet and the title")
    func skeleton() throws {
        let html = HTMLReport(title: "Run 1").render()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>Run 1</title>") && html.contains("<h1>Run 1</h1>"))
        #expect(html.contains("max-width: 1000px") && html.contains("border: 1px solid"))
        #expect(try Self.balancedTags(html).prefix(6) == ["html", "head", "meta", "meta", "title", "style"])
    }

    @Test("blocks appear in the order they were added, with balanced tags")
    func order() throws {
        var report = HTMLReport(title: "Run")
        report.addHeading("Config")
        report.addKeyValues([("η", "0.01"), ("λ", "0.1")])
        report.addParagraph("Some text.")
        report.addTable(headers: ["a", "b"], rows: [["1", "2"], ["3"]], caption: "Short row")
        report.addSVG(LineChart(title: "c", xLabel: "x", yLabel: "y").svg(), caption: "Chart")
        report.addImage(relativePath: "weights.png", caption: "Weights")
        report.addPreformatted("{ }")
        report.addHeading("Deep", level: 9)
        report.addHeading("Top", level: 1)
        let html = report.render()
        let names = try Self.balancedTags(html).filter { ["h2", "h6", "table", "p", "svg", "img", "pre"].contains($0) }
        #expect(names == ["h2", "table", "p", "table", "svg", "img", "pre", "h6", "h2"])
        #expect(html.contains("<tr><td>3</td><td></td></tr>"))
        #expect(html.contains("<caption>Short row</caption>"))
        #expect(html.contains("<figcaption>Chart</figcaption>") && html.contains("<figcaption>Weights</figcaption>"))
        #expect(html.contains("<tr><th scope=\"row\">η</th><td>0.01</td></tr>"))
    }

    @Test("all text is HTML-escaped: title, headings, paragraphs, cells, keys, captions, paths and code")
    func escaping() throws {
        let nasty = "<script>alert('x')</script> & \"q\""
        let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        var report = HTMLReport(title: nasty)
        report.addHeading(nasty)
        report.addParagraph(nasty)
        report.addTable(headers: [nasty], rows: [[nasty]], caption: nasty)
        report.addTable(CSVTable(columns: [nasty], rows: [[.text(nasty)]]))
        report.addKeyValues([(nasty, nasty)])
        report.addPreformatted(nasty)
        report.addSVG("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", caption: nasty)
        report.addImage(relativePath: "a\"><script>.png", caption: nasty)
        let html = report.render()
        #expect(!html.contains("<script>"))
        // <title>, <h1>, heading, paragraph, 3 + 2 table cells, key and value, <pre>, 2 captions, image alt.
        #expect(html.components(separatedBy: escaped).count - 1 == 15)
        #expect(html.contains("src=\"a%22%3E%3Cscript%3E.png\""))
        _ = try Self.balancedTags(html)
    }

    @Test("SVG is inlined as markup, without an XML declaration")
    func inlineSVG() throws {
        var chart = LineChart(title: "Loss & cost", xLabel: "step", yLabel: "loss")
        chart.add(.init(name: "training", x: [0, 1, 2], y: [2.3, 1.9, 1.7]))
        var report = HTMLReport(title: "r")
        report.addSVG("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + chart.svg())
        let html = report.render()
        #expect(!html.contains("<?xml"))
        #expect(html.contains(chart.svg()))
        #expect(html.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\"").count == 2)
        _ = try Self.balancedTags(html)
    }

    @Test("image paths are percent-encoded relative links")
    func imagePaths() {
        var report = HTMLReport(title: "r")
        report.addImage(relativePath: "runs/λ 0.1/weights.png")
        let html = report.render()
        #expect(html.contains("<img src=\"runs/%CE%BB%200.1/weights.png\" alt=\"runs/λ 0.1/weights.png\">"))
        #expect(!html.contains("<figcaption>"))
    }

    @Test("tables from CSVTable right-align numeric columns and can round numbers")
    func csvTable() {
        let table = CSVTable(columns: ["name", "score"], rows: [["a", 0.38712345], ["b", .empty]])
        var report = HTMLReport(title: "r")
        report.addTable(table)
        report.addTable(table, significantDigits: 3)
        let html = report.render()
        #expect(html.contains("<tr><td>a</td><td class=\"num\">0.38712345</td></tr>"))
        #expect(html.contains("<tr><td>a</td><td class=\"num\">0.387</td></tr>"))
        #expect(html.contains("<tr><td>b</td><td class=\"num\"></td></tr>"))
        #expect(html.contains("<thead><tr><th>name</th><th>score</th></tr></thead>"))
    }

    @Test("write(to:) writes the rendered page")
    func write() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var report = HTMLReport(title: "Run")
        report.addParagraph("hello")
        let url = directory.url.appendingPathComponent("run/report.html")
        try report.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == report.render())
    }
}
